import type { Usage } from '@tokenwire/core';
import { describe, expect, it } from 'vitest';
import {
  type AnthropicDeltaUsage,
  applyDeltaUsage,
  countsOfStart,
  emptyCounts,
  usageOf,
} from './anthropic-usage.js';

// Iteration shapes of the SDK's BetaIterationsUsage (@anthropic-ai/sdk 1.12,
// resources/beta/messages/messages.d.ts); the counts are made up.
const noCache = { cache_creation: null, cache_read_input_tokens: 0, cache_creation_input_tokens: 0 };
const compactionStep = { type: 'compaction', input_tokens: 60_000, output_tokens: 700, ...noCache };
const messageStep = {
  type: 'message',
  model: null,
  input_tokens: 900,
  output_tokens: 1200,
  cache_creation: null,
  cache_read_input_tokens: 4000,
  cache_creation_input_tokens: 300,
};

/** The normalized usage of one message: `message_start` usage, then `message_delta` usage. */
function usageOfMessage(start: Record<string, unknown>, delta: Record<string, unknown>): Partial<Usage> {
  const counts = countsOfStart(start as never);
  applyDeltaUsage(counts, delta as unknown as AnthropicDeltaUsage);
  return usageOf(emptyCounts(), counts);
}

// The top-level counts of message_delta are the last step's: here the message step.
const topLevel = {
  input_tokens: 900,
  output_tokens: 1200,
  cache_read_input_tokens: 4000,
  cache_creation_input_tokens: 300,
};

describe('Anthropic usage', () => {
  it('is the sum of the iterations, cache reads and writes counted as input, when compaction ran', () => {
    const usage = usageOfMessage(
      { input_tokens: 60_000, output_tokens: 1 },
      { ...topLevel, iterations: [compactionStep, messageStep] },
    );
    expect(usage).toEqual({
      inputTokens: 60_000 + 900 + 4000 + 300,
      cachedInputTokens: 4000,
      cacheWriteTokens: 300,
      outputTokens: 700 + 1200,
    });
  });

  it('is the top-level counts when there are no iterations, or an empty or null list', () => {
    const expected = {
      inputTokens: 5200,
      cachedInputTokens: 4000,
      cacheWriteTokens: 300,
      outputTokens: 1200,
    };
    for (const iterations of [undefined, null, []]) {
      const delta = iterations === undefined ? topLevel : { ...topLevel, iterations };
      expect(usageOfMessage({ input_tokens: 900, output_tokens: 1 }, delta)).toEqual(expected);
    }
  });

  it('keeps the thinking tokens of the top level, which the iterations do not break down', () => {
    const usage = usageOfMessage(
      { input_tokens: 10, output_tokens: 1 },
      {
        ...topLevel,
        output_tokens_details: { thinking_tokens: 800 },
        iterations: [compactionStep, messageStep],
      },
    );
    expect(usage).toMatchObject({ outputTokens: 1900, reasoningTokens: 800 });
  });

  it('counts an advisor sub-inference, which is billed at the advisor model’s rates', () => {
    const executor = { type: 'message', model: null, input_tokens: 10, output_tokens: 50, ...noCache };
    const advisor = {
      ...executor,
      type: 'advisor_message',
      model: 'claude-advisor',
      input_tokens: 3000,
      output_tokens: 400,
    };
    const usage = usageOfMessage(
      { input_tokens: 10, output_tokens: 1 },
      {
        input_tokens: 10,
        output_tokens: 50,
        iterations: [executor, advisor, { ...executor, output_tokens: 70 }],
      },
    );
    expect(usage).toMatchObject({ inputTokens: 3020, outputTokens: 520 });
  });

  it('leaves out a hop declined before any output when a fallback served the turn, not one that had output', () => {
    const declined = { type: 'message', model: 'claude-a', input_tokens: 408, output_tokens: 0, ...noCache };
    const fallback = {
      type: 'fallback_message',
      model: 'claude-b',
      input_tokens: 412,
      output_tokens: 264,
      ...noCache,
    };
    const top = {
      input_tokens: 412,
      output_tokens: 264,
      cache_read_input_tokens: 0,
      cache_creation_input_tokens: 0,
    };
    expect(
      usageOfMessage({ input_tokens: 408, output_tokens: 1 }, { ...top, iterations: [declined, fallback] }),
    ).toEqual({
      inputTokens: 412,
      cachedInputTokens: 0,
      cacheWriteTokens: 0,
      outputTokens: 264,
    });
    // Refused mid-output: the declined hop produced tokens, which are billed.
    const midOutput = { ...declined, output_tokens: 35 };
    expect(
      usageOfMessage({ input_tokens: 408, output_tokens: 1 }, { ...top, iterations: [midOutput, fallback] }),
    ).toMatchObject({
      inputTokens: 820,
      outputTokens: 299,
    });
  });

  it('ignores entries without counts, and keeps the top level when no entry has any', () => {
    const usage = usageOfMessage(
      { input_tokens: 10, output_tokens: 1 },
      { ...topLevel, iterations: [{ type: 'message' }, null, compactionStep, messageStep] },
    );
    expect(usage.inputTokens).toBe(65_200);
    expect(
      usageOfMessage(
        { input_tokens: 10, output_tokens: 1 },
        { ...topLevel, iterations: [{ type: 'message' }] },
      ),
    ).toEqual({
      inputTokens: 5200,
      cachedInputTokens: 4000,
      cacheWriteTokens: 300,
      outputTokens: 1200,
    });
  });
});
