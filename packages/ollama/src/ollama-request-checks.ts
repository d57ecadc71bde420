import type { ChatRequest, TokenwireError } from '@tokenwire/core';
import { imageSourceOf, requestProblem } from '@tokenwire/core/adapter';

/** What the checks depend on besides the request. */
export interface OllamaRequestCheckContext {
  /** The provider named in errors. */
  provider: string;
  /** True when the adapter sends through a client passed in, which cannot take per-request headers. */
  clientPassedIn: boolean;
}

/** Base64 in either alphabet, as `Buffer.from(…, 'base64')` reads it; whitespace (line breaks) allowed. */
const BASE64 = /^[A-Za-z0-9+/_\-\s]*={0,2}\s*$/;

/**
 * Ollama's own limits on a request core has validated; throws the `invalid_request` error of
 * the first one broken, before anything is sent:
 * - images only as base64 (`images: ["iVBOR…"]`): Ollama cannot fetch a URL; no file parts;
 * - no `toolChoice: 'required'`: Ollama cannot force a tool call;
 * - no thinking budget (`reasoning.budgetTokens` above 0) without an effort: `think` is a level
 *   or on/off, nothing else;
 * - no per-request `headers` through a client passed in: ollama-js takes headers only in its constructor.
 *
 * @see https://github.com/ollama/ollama/blob/main/docs/api.md#generate-a-chat-completion
 */
export function checkOllamaRequest(request: ChatRequest, context: OllamaRequestCheckContext): void {
  const problem =
    imagesProblem(request, context.provider) ??
    toolChoiceProblem(request, context.provider) ??
    reasoningProblem(request, context.provider) ??
    headersProblem(request, context);
  if (problem !== undefined) throw problem;
}

function imagesProblem(request: ChatRequest, provider: string): TokenwireError | undefined {
  for (const [index, message] of request.messages.entries()) {
    if ((message.role !== 'user' && message.role !== 'tool') || typeof message.content === 'string') continue;
    for (const [partIndex, part] of message.content.entries()) {
      const path = `messages[${index}].content[${partIndex}]`;
      if (part.type === 'file') {
        return requestProblem(
          `${path}.type`,
          'is not taken by Ollama, whose messages carry text and base64 images only (no documents, audio or video): send a document as a text part',
          part.type,
          provider,
        );
      }
      if (part.type !== 'image') continue;
      const source = imageSourceOf(part);
      if (source.kind === 'url') {
        return requestProblem(
          `${path}.url`,
          "must be base64 data: Ollama takes images only as base64 and cannot fetch a URL. Download it and pass { type: 'image', data: <base64>, mediaType } instead",
          describeUrl(source.url),
          provider,
        );
      }
      if (!BASE64.test(source.data)) {
        return requestProblem(
          `${path}.${part.data === undefined ? 'url' : 'data'}`,
          'must be base64: Ollama takes images only as base64 bytes',
          source.data,
          provider,
        );
      }
    }
  }
  return undefined;
}

/** Only origin and path: a signed URL's query string may hold credentials. */
function describeUrl(url: string): string {
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'http:' || parsed.protocol === 'https:'
      ? `${parsed.origin}${parsed.pathname}`
      : parsed.protocol;
  } catch {
    return 'a URL';
  }
}

function toolChoiceProblem(request: ChatRequest, provider: string): TokenwireError | undefined {
  if (request.toolChoice !== 'required') return undefined;
  return requestProblem(
    'toolChoice',
    "cannot be 'required' on Ollama, which cannot force a tool call: use 'auto', or { name } to offer only that tool (still not forced)",
    request.toolChoice,
    provider,
  );
}

/**
 * `effort` is Ollama's level and wins over `budgetTokens`, the knob of providers with a budget
 * (a portable request sets both); a budget alone cannot be honoured, so it is refused.
 */
function reasoningProblem(request: ChatRequest, provider: string): TokenwireError | undefined {
  const budgetTokens = request.reasoning?.budgetTokens;
  if (budgetTokens === undefined || budgetTokens === 0 || request.reasoning?.effort !== undefined)
    return undefined;
  return requestProblem(
    'reasoning.budgetTokens',
    "cannot be used without reasoning.effort on Ollama, which has no thinking budget: add an effort ('low', 'medium', 'high') or use reasoning: {} to turn thinking on",
    budgetTokens,
    provider,
  );
}

function headersProblem(
  request: ChatRequest,
  context: OllamaRequestCheckContext,
): TokenwireError | undefined {
  const { headers } = request;
  if (!context.clientPassedIn || headers === undefined || Object.keys(headers).length === 0) return undefined;
  return requestProblem(
    'headers',
    'cannot be sent through an Ollama client passed as client, since ollama-js takes headers only in its constructor: give the adapter host and headers settings instead of a client',
    headers,
    context.provider,
  );
}
