import type { TokenUsage } from '@aws-sdk/client-bedrock-runtime';
import type { Usage } from '@tokenwire/core';

/**
 * Core's usage from a ConverseStream `metadata.usage`. Bedrock reports the input in three disjoint
 * counts, as Anthropic does: `inputTokens` (not read from or written to the cache),
 * `cacheReadInputTokens` and `cacheWriteInputTokens`; core's `inputTokens` counts all input, so it
 * is their sum, and `totalTokens` is that plus the output (DESIGN.md invariant 5). Bedrock reports
 * no reasoning count: reasoning is part of `outputTokens`.
 * @see https://docs.aws.amazon.com/bedrock/latest/APIReference/API_runtime_TokenUsage.html
 * @see https://docs.aws.amazon.com/bedrock/latest/userguide/prompt-caching.html
 */
export function usageOfBedrock(usage: TokenUsage | undefined): Partial<Usage> {
  if (usage === undefined) return {};
  const cacheRead = usage.cacheReadInputTokens ?? 0;
  const cacheWrite = usage.cacheWriteInputTokens ?? 0;
  const counts: Partial<Usage> = {};
  if (usage.inputTokens !== undefined) counts.inputTokens = usage.inputTokens + cacheRead + cacheWrite;
  if (usage.outputTokens !== undefined) counts.outputTokens = usage.outputTokens;
  if (counts.inputTokens !== undefined && counts.outputTokens !== undefined) {
    counts.totalTokens = counts.inputTokens + counts.outputTokens;
  }
  if (usage.cacheReadInputTokens !== undefined) counts.cachedInputTokens = usage.cacheReadInputTokens;
  if (usage.cacheWriteInputTokens !== undefined) counts.cacheWriteTokens = usage.cacheWriteInputTokens;
  return counts;
}
