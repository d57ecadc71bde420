import type { Usage as AnthropicUsage, MessageDeltaUsage } from '@anthropic-ai/sdk/resources/messages';
import type { Usage } from '@tokenwire/core';

/** Token counts of one message (or of several summed), as the API reports them. */
export interface TokenCounts {
  input: number;
  cacheRead: number | undefined;
  cacheWrite: number | undefined;
  output: number | undefined;
  thinking: number | undefined;
}

/** Counts of a message that reported nothing yet. */
export const emptyCounts = (): TokenCounts => ({
  input: 0,
  cacheRead: undefined,
  cacheWrite: undefined,
  output: undefined,
  thinking: undefined,
});

/** The counts of `message_start`, whose `output_tokens` is a placeholder until `message_delta`. */
export function countsOfStart(usage: AnthropicUsage | undefined): TokenCounts {
  return {
    input: usage?.input_tokens ?? 0,
    cacheRead: usage?.cache_read_input_tokens ?? undefined,
    cacheWrite: usage?.cache_creation_input_tokens ?? undefined,
    output: undefined,
    thinking: usage?.output_tokens_details?.thinking_tokens ?? undefined,
  };
}

/** Applies `message_delta` usage: its counts are cumulative for the message and correct those of `message_start`. */
export function applyDeltaUsage(counts: TokenCounts, usage: MessageDeltaUsage | undefined): void {
  if (usage === undefined || usage === null) return;
  if (typeof usage.input_tokens === 'number') counts.input = usage.input_tokens;
  if (typeof usage.cache_read_input_tokens === 'number') counts.cacheRead = usage.cache_read_input_tokens;
  if (typeof usage.cache_creation_input_tokens === 'number') {
    counts.cacheWrite = usage.cache_creation_input_tokens;
  }
  if (typeof usage.output_tokens === 'number') counts.output = usage.output_tokens;
  const thinking = usage.output_tokens_details?.thinking_tokens;
  if (typeof thinking === 'number') counts.thinking = thinking;
}

/** Adds the counts of a message that stopped to the total of the stream's earlier messages. */
export function addCounts(total: TokenCounts, counts: TokenCounts): void {
  total.input += counts.input;
  total.cacheRead = sum(total.cacheRead, counts.cacheRead);
  total.cacheWrite = sum(total.cacheWrite, counts.cacheWrite);
  total.output = sum(total.output, counts.output);
  total.thinking = sum(total.thinking, counts.thinking);
}

/**
 * The normalized usage of the earlier messages plus the current one. `inputTokens` counts all
 * input: uncached, cache reads and cache writes (DESIGN.md invariant 5).
 */
export function usageOf(previous: TokenCounts, current: TokenCounts): Partial<Usage> {
  const cacheRead = sum(previous.cacheRead, current.cacheRead);
  const cacheWrite = sum(previous.cacheWrite, current.cacheWrite);
  const usage: Partial<Usage> = {
    inputTokens: previous.input + current.input + (cacheRead ?? 0) + (cacheWrite ?? 0),
  };
  if (cacheRead !== undefined) usage.cachedInputTokens = cacheRead;
  if (cacheWrite !== undefined) usage.cacheWriteTokens = cacheWrite;
  const output = sum(previous.output, current.output);
  if (output !== undefined) usage.outputTokens = output;
  const thinking = sum(previous.thinking, current.thinking);
  if (thinking !== undefined) usage.reasoningTokens = thinking;
  return usage;
}

function sum(left: number | undefined, right: number | undefined): number | undefined {
  if (left === undefined) return right;
  return right === undefined ? left : left + right;
}
