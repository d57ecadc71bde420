import type { ChatRequest, TokenwireError } from '@tokenwire/core';
import { imageSourceOf, requestProblem } from '@tokenwire/core/adapter';
import { compactionProblem } from './anthropic-compaction.js';
import { anthropicFileProblem } from './anthropic-files.js';
import { type AnthropicStructuredOutput, jsonAnswerProblem } from './anthropic-json-answer.js';
import { ANTHROPIC_IMAGE_TYPES } from './anthropic-turns.js';

/** The smallest extended-thinking budget the Messages API takes. */
const MINIMUM_THINKING_BUDGET = 1024;
const NO_SEED = 'is not supported by Anthropic: the Messages API has no seed parameter, so leave it unset';
/** The lowest `top_p` the API takes while extended thinking is on. */
const MINIMUM_THINKING_TOP_P = 0.95;
/** The API version `@anthropic-ai/sdk` 1.x sends, and the first without `temperature`, `top_p` and `top_k`. */
export const SDK_API_VERSION = '2026-10-21';

/**
 * The `anthropic-version` a request is sent with: the request's header, else the adapter's
 * configured headers, else the SDK's own version.
 */
export function apiVersionOf(...headers: Array<Record<string, string> | undefined>): string {
  for (const set of headers) {
    for (const name in set) if (name.toLowerCase() === 'anthropic-version') return set[name] as string;
  }
  return SDK_API_VERSION;
}

/**
 * Anthropic's own limits on a request core has already validated, checked before anything is sent
 * (DESIGN.md, "Requests are checked before they leave"). Throws the `invalid_request` error of the
 * first one broken, naming the field by its path:
 * - `temperature` from 0 to 1 (core allows up to 2), and with `topP` only on API versions before
 *   2026-10-21 (the version `@anthropic-ai/sdk` 1.x sends has neither; `anthropic-version: 2023-06-01`
 *   in `headers` selects the older one);
 * - `seed` is refused: the Messages API has no such parameter;
 * - a JSON answer through the forced `json` tool (`{ type: 'json' }`, or `json_schema` with
 *   `structuredOutput: 'tool'`, thinking off) has an object schema and no request tool named `json`
 *   (see `jsonAnswerProblem`);
 * - `reasoning.budgetTokens` is 0 (thinking off) or at least 1,024, and below `maxTokens`;
 * - `reasoning.includeThoughts` needs thinking turned on by `reasoning.budgetTokens`;
 * - with extended thinking on: `temperature` only 1, `topP` from 0.95 to 1, and no forced tool use;
 * - base64 images are JPEG, PNG, GIF or WebP (also in tool results);
 * - files are PDFs or plain text, within the 32 MB request limit (see `anthropicFileProblem`);
 * - a compaction block with a summary stands in the first message, and there is one at most
 *   (see `compactionProblem`).
 *
 * @see https://platform.claude.com/docs/en/build-with-claude/extended-thinking
 */
export function checkAnthropicRequest(
  request: ChatRequest,
  provider: string,
  apiVersion: string,
  structuredOutput: AnthropicStructuredOutput = 'native',
): void {
  const problem =
    samplingProblem(request, provider, apiVersion) ??
    seedProblem(request, provider) ??
    jsonAnswerProblem(request, structuredOutput, provider) ??
    reasoningProblem(request, provider) ??
    thinkingConflict(request, provider) ??
    imageProblem(request, provider) ??
    anthropicFileProblem(request, provider) ??
    compactionProblem(request, provider);
  if (problem !== undefined) throw problem;
}

function samplingProblem(
  request: ChatRequest,
  provider: string,
  apiVersion: string,
): TokenwireError | undefined {
  const { temperature, topP } = request;
  if ((temperature !== undefined || topP !== undefined) && apiVersion >= SDK_API_VERSION) {
    const field = temperature === undefined ? 'topP' : 'temperature';
    return requestProblem(
      field,
      `is not taken by Anthropic's Messages API version ${apiVersion} (the one @anthropic-ai/sdk 1.x sends), ` +
        "which removed temperature and top_p: leave it unset, or send headers: { 'anthropic-version': '2023-06-01' } to use it",
      temperature ?? topP,
      provider,
    );
  }
  if (temperature !== undefined && temperature > 1) {
    return requestProblem('temperature', 'must be from 0 to 1 for Anthropic', temperature, provider);
  }
  return undefined;
}

function seedProblem(request: ChatRequest, provider: string): TokenwireError | undefined {
  return request.seed === undefined ? undefined : requestProblem('seed', NO_SEED, request.seed, provider);
}

function reasoningProblem(request: ChatRequest, provider: string): TokenwireError | undefined {
  const budget = request.reasoning?.budgetTokens;
  const includeThoughts = request.reasoning?.includeThoughts;
  if (budget !== undefined && budget > 0 && budget < MINIMUM_THINKING_BUDGET) {
    return requestProblem(
      'reasoning.budgetTokens',
      `must be 0 (thinking off) or at least ${MINIMUM_THINKING_BUDGET} for Anthropic`,
      budget,
      provider,
    );
  }
  if (budget !== undefined && request.maxTokens !== undefined && budget >= request.maxTokens) {
    return requestProblem(
      'reasoning.budgetTokens',
      `must be less than maxTokens (${request.maxTokens}): Anthropic counts thinking within max_tokens`,
      budget,
      provider,
    );
  }
  if (includeThoughts !== undefined && budget === undefined) {
    return requestProblem(
      'reasoning.includeThoughts',
      "needs reasoning.budgetTokens on Anthropic, where it is the thinking's display (for adaptive thinking, pass providerOptions.anthropic.thinking: { type: 'adaptive', display })",
      includeThoughts,
      provider,
    );
  }
  if (includeThoughts === true && budget === 0) {
    return requestProblem(
      'reasoning.includeThoughts',
      'cannot be true when reasoning.budgetTokens is 0 (thinking off)',
      includeThoughts,
      provider,
    );
  }
  return undefined;
}

// With extended thinking on, the API takes temperature 1 only, top_p from 0.95 to 1, and
// tool_choice auto or none. @see https://platform.claude.com/docs/en/build-with-claude/extended-thinking
function thinkingConflict(request: ChatRequest, provider: string): TokenwireError | undefined {
  const budget = request.reasoning?.budgetTokens;
  if (budget === undefined || budget === 0) return undefined;
  const { temperature, topP, toolChoice } = request;
  if (temperature !== undefined && temperature !== 1) {
    return requestProblem(
      'temperature',
      'must be 1 or unset while extended thinking is on (reasoning.budgetTokens): Anthropic refuses other values with thinking',
      temperature,
      provider,
    );
  }
  if (topP !== undefined && topP < MINIMUM_THINKING_TOP_P) {
    return requestProblem(
      'topP',
      `must be from ${MINIMUM_THINKING_TOP_P} to 1 while extended thinking is on (reasoning.budgetTokens)`,
      topP,
      provider,
    );
  }
  if (toolChoice === 'required' || typeof toolChoice === 'object') {
    return requestProblem(
      'toolChoice',
      "must be 'auto' or 'none' while extended thinking is on (reasoning.budgetTokens): Anthropic does not force tool use with thinking",
      toolChoice === 'required' ? toolChoice : toolChoice.name,
      provider,
    );
  }
  return undefined;
}

function imageProblem(request: ChatRequest, provider: string): TokenwireError | undefined {
  for (const [messageIndex, message] of request.messages.entries()) {
    if ((message.role !== 'user' && message.role !== 'tool') || typeof message.content === 'string') continue;
    for (const [partIndex, part] of message.content.entries()) {
      if (part.type !== 'image') continue;
      const source = imageSourceOf(part);
      if (source.kind === 'url' || ANTHROPIC_IMAGE_TYPES.includes(source.mediaType)) continue;
      const field = part.mediaType === undefined ? 'url' : 'mediaType';
      return requestProblem(
        `messages[${messageIndex}].content[${partIndex}].${field}`,
        `must be an image of type ${ANTHROPIC_IMAGE_TYPES.join(', ')} for Anthropic base64 data`,
        source.mediaType,
        provider,
      );
    }
  }
  return undefined;
}
