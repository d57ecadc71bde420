import type { Usage } from '@tokenwire/core';
import type { CompletionUsage } from 'openai/resources/completions';
import type { ResponseUsage } from 'openai/resources/responses/responses';

/**
 * Usage as OpenAI-compatible services report it. DeepSeek adds `prompt_cache_hit_tokens` (older
 * deployments report cached input only there).
 */
export type OpenAICompatibleUsage = CompletionUsage & { prompt_cache_hit_tokens?: number };

/**
 * Maps Chat Completions usage to core usage. `prompt_tokens` already includes cached input. OpenAI
 * counts reasoning inside `completion_tokens` (total = prompt + completion); xAI, in its recorded
 * streams, counts it beside them (total = prompt + completion + reasoning, e.g. 12 + 1 + 290 = 303),
 * and so may any compatible service: told apart by the numbers (`outputWithReasoning`), whatever
 * the provider's name, the output then includes reasoning.
 *
 * @see https://platform.openai.com/docs/api-reference/chat/object#chat/object-usage
 */
export function mapOpenAIChatUsage(usage: OpenAICompatibleUsage): Partial<Usage> {
  return usageOf({
    input: usage.prompt_tokens,
    output: usage.completion_tokens,
    total: usage.total_tokens,
    cached: usage.prompt_tokens_details?.cached_tokens ?? usage.prompt_cache_hit_tokens,
    cacheWrite: usage.prompt_tokens_details?.cache_write_tokens,
    reasoning: usage.completion_tokens_details?.reasoning_tokens,
  });
}

/**
 * Maps Responses API usage to core usage. `input_tokens` already includes cached input; OpenAI
 * counts reasoning inside `output_tokens`, and a compatible service that counts it beside them is
 * recognised by the numbers, as for Chat Completions (`outputWithReasoning`).
 *
 * @see https://platform.openai.com/docs/api-reference/responses/object#responses/object-usage
 */
export function mapOpenAIResponsesUsage(usage: ResponseUsage): Partial<Usage> {
  return usageOf({
    input: usage.input_tokens,
    output: usage.output_tokens,
    total: usage.total_tokens,
    cached: usage.input_tokens_details?.cached_tokens,
    cacheWrite: usage.input_tokens_details?.cache_write_tokens,
    reasoning: usage.output_tokens_details?.reasoning_tokens,
  });
}

/** The counts of either API, by meaning. */
interface Counts {
  input: number | null | undefined;
  output: number | null | undefined;
  total: number | null | undefined;
  cached: number | null | undefined;
  cacheWrite: number | null | undefined;
  reasoning: number | null | undefined;
}

function usageOf(counts: Counts): Partial<Usage> {
  const { input, output, total, cached, cacheWrite, reasoning } = counts;
  const result: Partial<Usage> = {};
  if (typeof input === 'number') result.inputTokens = input;
  if (typeof output === 'number') {
    result.outputTokens = outputWithReasoning(
      input ?? undefined,
      output,
      reasoning ?? undefined,
      total ?? undefined,
    );
  }
  if (typeof total === 'number') result.totalTokens = total;
  if (typeof cached === 'number') result.cachedInputTokens = cached;
  if (typeof cacheWrite === 'number') result.cacheWriteTokens = cacheWrite;
  if (typeof reasoning === 'number') result.reasoningTokens = reasoning;
  return result;
}

/**
 * The output count including reasoning. Reasoning was reported beside the output, not inside it,
 * when input + output + reasoning make the total (they cannot also make input + output, as
 * reasoning is then above zero), or, without a total, when reasoning exceeds the output (it could
 * not fit inside). Otherwise the output already includes it (OpenAI's rule) and is kept.
 */
function outputWithReasoning(
  input: number | undefined,
  output: number,
  reasoning: number | undefined,
  total: number | undefined,
): number {
  if (typeof reasoning !== 'number' || reasoning <= 0) return output;
  const outside =
    typeof total === 'number'
      ? typeof input === 'number' && input + output + reasoning === total
      : reasoning > output;
  return outside ? output + reasoning : output;
}
