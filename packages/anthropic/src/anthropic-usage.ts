import type { BetaIterationsUsage } from '@anthropic-ai/sdk/resources/beta/messages/messages';
import type { Usage as AnthropicUsage, MessageDeltaUsage } from '@anthropic-ai/sdk/resources/messages';
import type { Usage } from '@tokenwire/core';

/**
 * `message_delta` usage as the API sends it. `iterations` (typed by the SDK's beta API only) lists
 * every billed step of a request that had several: compaction, server-side fallback, advisor.
 */
export type AnthropicDeltaUsage = MessageDeltaUsage & { iterations?: BetaIterationsUsage | null };

type Iteration = BetaIterationsUsage[number];

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

/**
 * Applies `message_delta` usage: its counts are cumulative for the message and correct those of
 * `message_start`. With `iterations`, the billed steps replace the top-level counts, which are those
 * of the last step only (see `applyIterations`).
 */
export function applyDeltaUsage(counts: TokenCounts, usage: AnthropicDeltaUsage | undefined): void {
  if (usage === undefined || usage === null) return;
  if (typeof usage.input_tokens === 'number') counts.input = usage.input_tokens;
  if (typeof usage.cache_read_input_tokens === 'number') counts.cacheRead = usage.cache_read_input_tokens;
  if (typeof usage.cache_creation_input_tokens === 'number') {
    counts.cacheWrite = usage.cache_creation_input_tokens;
  }
  if (typeof usage.output_tokens === 'number') counts.output = usage.output_tokens;
  const thinking = usage.output_tokens_details?.thinking_tokens;
  if (typeof thinking === 'number') counts.thinking = thinking;
  const iterations = usage.iterations;
  if (Array.isArray(iterations) && iterations.length > 0) applyIterations(counts, iterations);
}

/**
 * Sets the counts to the sum of the billed steps of `usage.iterations` (DESIGN.md invariant 5: sum
 * the steps). The top-level counts are the last step's only, and leave out every `compaction` step.
 * Summed, by type:
 * - `compaction`: the server-side summarization that closed the context (billed, not in the top level);
 * - `message`: each sampling step, such as the turns of a server-side tool loop;
 * - `fallback_message`: the fallback model's step that served the answer, billed at its rates;
 * - `advisor_message`: an advisor sub-inference, billed at the advisor model's rates;
 * - types added later, when they carry the same counts.
 * Left out: in a turn a fallback served, a `message` step without output, which is a hop the
 * requested model declined before any output: Anthropic bills no request refused before output.
 * Thinking tokens stay the top level's: the steps do not break them down.
 *
 * @see https://platform.claude.com/docs/en/build-with-claude/compaction
 * @see https://platform.claude.com/docs/en/build-with-claude/refusals-and-fallback
 */
function applyIterations(counts: TokenCounts, iterations: readonly Iteration[]): void {
  const served = iterations.some((iteration) => iteration?.type === 'fallback_message');
  const total = emptyCounts();
  let billed = 0;
  for (const iteration of iterations) {
    if (typeof iteration?.input_tokens !== 'number' || typeof iteration.output_tokens !== 'number') continue;
    if (served && iteration.type === 'message' && iteration.output_tokens === 0) continue; // declined
    addCounts(total, {
      input: iteration.input_tokens,
      cacheRead: iteration.cache_read_input_tokens ?? undefined,
      cacheWrite: iteration.cache_creation_input_tokens ?? undefined,
      output: iteration.output_tokens,
      thinking: undefined,
    });
    billed++;
  }
  if (billed === 0) return; // no entry with counts: keep the top level's
  counts.input = total.input;
  counts.cacheRead = total.cacheRead;
  counts.cacheWrite = total.cacheWrite;
  counts.output = total.output;
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
