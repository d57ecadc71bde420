import type { ChatRequest, TokenwireError } from '@tokenwire/core';
import { imageSourceOf, requestProblem } from '@tokenwire/core/adapter';
import { bedrockFileProblem } from './bedrock-files.js';
import { type BedrockStructuredOutput, jsonAnswerProblem } from './bedrock-json-answer.js';
import { BEDROCK_IMAGE_FORMATS, formatOfPath } from './bedrock-turns.js';

/**
 * Bedrock's own limits on a request core has already validated, checked before anything is sent.
 * Throws the `invalid_request` error of the first one broken, naming the field by its path:
 * - `seed` is refused: Converse has no seed parameter;
 * - `toolChoice: 'none'` is refused: Converse's tool choices are auto, any and one tool;
 * - `temperature` from 0 to 1 (Converse's range);
 * - a JSON answer through the forced `json` tool has an object schema and no request tool named
 *   `json` (see `jsonAnswerProblem`);
 * - images are PNG, JPEG, GIF or WebP bytes, or an `s3://` location (Converse fetches no web URLs),
 *   also in tool results;
 * - files are Converse documents, video or audio within its limits (see `bedrockFileProblem`).
 * @see https://docs.aws.amazon.com/bedrock/latest/APIReference/API_runtime_ConverseStream.html
 */
export function checkBedrockRequest(
  request: ChatRequest,
  provider: string,
  structuredOutput: BedrockStructuredOutput,
): void {
  const problem =
    optionProblem(request, provider) ??
    jsonAnswerProblem(request, structuredOutput, provider) ??
    imageProblem(request, provider) ??
    bedrockFileProblem(request, provider);
  if (problem !== undefined) throw problem;
}

function optionProblem(request: ChatRequest, provider: string): TokenwireError | undefined {
  if (request.seed !== undefined) {
    return requestProblem(
      'seed',
      'is not supported by Bedrock: Converse has no seed parameter, so leave it unset',
      request.seed,
      provider,
    );
  }
  if (request.toolChoice === 'none' && (request.tools?.length ?? 0) > 0) {
    return requestProblem(
      'toolChoice',
      "cannot be 'none' on Bedrock: Converse's tool choices are auto, any and one named tool. Leave the tools out of the request, or use 'auto'",
      request.toolChoice,
      provider,
    );
  }
  if (request.temperature !== undefined && request.temperature > 1) {
    return requestProblem('temperature', 'must be from 0 to 1 for Bedrock', request.temperature, provider);
  }
  return undefined;
}

function imageProblem(request: ChatRequest, provider: string): TokenwireError | undefined {
  for (const [messageIndex, message] of request.messages.entries()) {
    if ((message.role !== 'user' && message.role !== 'tool') || typeof message.content === 'string') continue;
    for (const [partIndex, part] of message.content.entries()) {
      if (part.type !== 'image') continue;
      const path = `messages[${messageIndex}].content[${partIndex}]`;
      const source = imageSourceOf(part);
      if (source.kind === 'url' && !source.url.startsWith('s3://')) {
        return requestProblem(
          path,
          'is an image URL, which Bedrock cannot fetch: send its bytes (data, or a data: URL), or an s3:// location',
          source.url.slice(0, 60),
          provider,
        );
      }
      const format =
        source.kind === 'url'
          ? (BEDROCK_IMAGE_FORMATS[source.mediaType ?? ''] ?? formatOfPath(source.url))
          : BEDROCK_IMAGE_FORMATS[source.mediaType];
      if (format === undefined) {
        return requestProblem(
          path,
          'must be a PNG, JPEG, GIF or WebP image for Bedrock (give its mediaType)',
          source.mediaType,
          provider,
        );
      }
    }
  }
  return undefined;
}
