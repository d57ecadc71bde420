import type { FinishEvent } from '@tokenwire/core';
import type { AdapterDelta } from '@tokenwire/core/adapter';
import { findInvariantViolations } from '@tokenwire/testing';
import { describe, expect, it } from 'vitest';
import {
  createOpenAIChatStreamState,
  type OpenAICompatibleChatChunk,
  translateOpenAIChatChunk,
} from './openai-chat-stream.js';
import { accumulateEvents } from './openai-fixtures.test-helpers.js';
import {
  createOpenAIResponsesStreamState,
  translateOpenAIResponsesEvent,
} from './openai-responses-stream.js';
import { mapOpenAIChatUsage, mapOpenAIResponsesUsage, type OpenAICompatibleUsage } from './openai-usage.js';

// xAI's Chat Completions usage for a grok reasoning model, in the shape of its API reference, with
// the counts of a recorded xAI stream (VENDOR-NOTES §6): the reasoning tokens are counted beside
// `completion_tokens`, and `total_tokens` is the sum of all three.
const xaiUsage = {
  prompt_tokens: 12,
  completion_tokens: 1,
  total_tokens: 303,
  prompt_tokens_details: { text_tokens: 12, audio_tokens: 0, image_tokens: 0, cached_tokens: 0 },
  completion_tokens_details: {
    reasoning_tokens: 290,
    audio_tokens: 0,
    accepted_prediction_tokens: 0,
    rejected_prediction_tokens: 0,
  },
  num_sources_used: 0,
};

function xaiChunk(fields: Partial<OpenAICompatibleChatChunk>): OpenAICompatibleChatChunk {
  return {
    id: 'c6e2b1a0-xai',
    object: 'chat.completion.chunk',
    created: 1_767_225_600,
    model: 'grok-3-mini',
    system_fingerprint: 'fp_6ca29cf396',
    choices: [],
    ...fields,
  };
}

function finishOf(deltas: AdapterDelta[]): FinishEvent {
  const events = accumulateEvents(deltas);
  expect(findInvariantViolations(events)).toEqual([]);
  const last = events.at(-1);
  if (last?.type !== 'finish') throw new Error(`expected a finish, got ${last?.type}`);
  return last;
}

describe('mapOpenAIChatUsage', () => {
  it('counts reasoning reported beside completion_tokens (xAI: 12 + 1 + 290 = 303) as output', () => {
    expect(mapOpenAIChatUsage(xaiUsage)).toEqual({
      inputTokens: 12,
      outputTokens: 291,
      totalTokens: 303,
      cachedInputTokens: 0,
      reasoningTokens: 290,
    });
  });

  it('keeps the usual report unchanged: OpenAI counts reasoning inside completion_tokens', () => {
    const openai = {
      prompt_tokens: 20,
      completion_tokens: 300,
      total_tokens: 320,
      completion_tokens_details: { reasoning_tokens: 256 },
    };
    expect(mapOpenAIChatUsage(openai)).toEqual({
      inputTokens: 20,
      outputTokens: 300,
      totalTokens: 320,
      reasoningTokens: 256,
    });
  });

  it('keeps a compatible service that reports the usual way unchanged (DeepSeek reasoner)', () => {
    // DeepSeek's API reference: reasoning inside completion_tokens, cache hits beside the details.
    const deepseek = {
      prompt_tokens: 13,
      completion_tokens: 412,
      total_tokens: 425,
      prompt_cache_hit_tokens: 0,
      prompt_cache_miss_tokens: 13,
      completion_tokens_details: { reasoning_tokens: 370 },
    };
    expect(mapOpenAIChatUsage(deepseek)).toEqual({
      inputTokens: 13,
      outputTokens: 412,
      totalTokens: 425,
      cachedInputTokens: 0,
      reasoningTokens: 370,
    });
  });

  it('without a total, counts reasoning as output only when it exceeds the output', () => {
    // A service that sends no total_tokens (the SDK types it as always there).
    const details = { completion_tokens_details: { reasoning_tokens: 40 } };
    const outside = { prompt_tokens: 5, completion_tokens: 3, ...details } as OpenAICompatibleUsage;
    const inside = { prompt_tokens: 5, completion_tokens: 50, ...details } as OpenAICompatibleUsage;
    expect(mapOpenAIChatUsage(outside)).toMatchObject({ outputTokens: 43, reasoningTokens: 40 });
    expect(mapOpenAIChatUsage(inside)).toMatchObject({ outputTokens: 50, reasoningTokens: 40 });
  });

  it('gives an xAI stream a finish whose usage keeps invariant 5', () => {
    const state = createOpenAIChatStreamState({ usageRequested: true });
    const chunks = [
      xaiChunk({ choices: [{ index: 0, delta: { role: 'assistant', reasoning_content: 'Two plus two…' } }] }),
      xaiChunk({ choices: [{ index: 0, delta: { content: '4' } }] }),
      xaiChunk({ choices: [{ index: 0, delta: {}, finish_reason: 'stop' }] }),
      xaiChunk({ usage: xaiUsage }),
    ];
    const deltas = chunks.flatMap((chunk) => translateOpenAIChatChunk(chunk, state));
    expect(finishOf(deltas).usage).toEqual({
      inputTokens: 12,
      outputTokens: 291,
      totalTokens: 303,
      cachedInputTokens: 0,
      reasoningTokens: 290,
      estimated: false,
    });
  });
});

describe('mapOpenAIResponsesUsage', () => {
  const details = { input_tokens_details: { cached_tokens: 0, cache_write_tokens: 0 } };

  it('counts reasoning reported beside output_tokens as output, by the same rule', () => {
    const beside = {
      input_tokens: 12,
      output_tokens: 1,
      output_tokens_details: { reasoning_tokens: 290 },
      total_tokens: 303,
      ...details,
    };
    expect(mapOpenAIResponsesUsage(beside)).toMatchObject({ outputTokens: 291, totalTokens: 303 });
  });

  it("keeps OpenAI's report, reasoning inside output_tokens, unchanged", () => {
    const openai = {
      input_tokens: 31_073,
      output_tokens: 4416,
      output_tokens_details: { reasoning_tokens: 3712 },
      total_tokens: 35_489,
      ...details,
    };
    expect(mapOpenAIResponsesUsage(openai)).toMatchObject({
      inputTokens: 31_073,
      outputTokens: 4416,
      totalTokens: 35_489,
      reasoningTokens: 3712,
    });
  });

  it('gives a Responses stream reporting reasoning beside the output a finish that keeps invariant 5', () => {
    const state = createOpenAIResponsesStreamState({ provider: 'xai' });
    const response = { id: 'resp_xai', model: 'grok-4', status: 'completed', output: [] };
    const events = [
      { type: 'response.created', response: { ...response, status: 'in_progress' } },
      { type: 'response.output_text.delta', item_id: 'msg_1', output_index: 0, content_index: 0, delta: '4' },
      {
        type: 'response.completed',
        response: {
          ...response,
          usage: {
            input_tokens: 12,
            output_tokens: 1,
            output_tokens_details: { reasoning_tokens: 290 },
            total_tokens: 303,
            ...details,
          },
        },
      },
    ];
    const deltas = events.flatMap((event) => translateOpenAIResponsesEvent(event, state));
    expect(finishOf(deltas).usage).toMatchObject({ inputTokens: 12, outputTokens: 291, totalTokens: 303 });
  });
});
