import type { AdapterDelta } from '@tokenwire/core/adapter';
import { describe, expect, it } from 'vitest';
import {
  createOpenAIChatStreamState,
  type OpenAICompatibleChatChunk,
  translateOpenAIChatChunk,
} from './openai-chat-stream.js';
import { accumulate } from './openai-fixtures.test-helpers.js';

const id = 'chatcmpl-1';
const model = 'gpt-test';

/** A chunk with one choice (index 0) carrying this delta. */
function chunk(
  delta: Record<string, unknown>,
  finishReason: string | null = null,
  extra: Record<string, unknown> = {},
): OpenAICompatibleChatChunk {
  return {
    id,
    object: 'chat.completion.chunk',
    created: 1,
    model,
    choices: [{ index: 0, delta, finish_reason: finishReason, logprobs: null }],
    ...extra,
  } as OpenAICompatibleChatChunk;
}

function usageChunk(usage: Record<string, unknown>): OpenAICompatibleChatChunk {
  return {
    id,
    object: 'chat.completion.chunk',
    created: 1,
    model,
    choices: [],
    usage,
  } as unknown as OpenAICompatibleChatChunk;
}

function translate(chunks: OpenAICompatibleChatChunk[]): AdapterDelta[] {
  const state = createOpenAIChatStreamState();
  return chunks.flatMap((item) => translateOpenAIChatChunk(item, state));
}

const start: AdapterDelta = { type: 'start', model, responseId: id };

describe('translateOpenAIChatChunk', () => {
  it('translates text deltas and the finish reason, keeping the raw one', () => {
    expect(
      translate([
        chunk({ role: 'assistant', content: '', refusal: null }),
        chunk({ content: 'Hel' }),
        chunk({ content: 'lo' }),
        chunk({}, 'stop'),
      ]),
    ).toEqual([
      start,
      { type: 'text', delta: 'Hel' },
      { type: 'text', delta: 'lo' },
      { type: 'finish', reason: 'stop', rawReason: 'stop' },
    ]);
  });

  it('takes model and response id from a later chunk when the first one has none (Azure)', () => {
    const azureFilterChunk = {
      id: '',
      model: '',
      object: '',
      created: 0,
      choices: [],
      prompt_filter_results: [{ prompt_index: 0, content_filter_results: {} }],
    } as unknown as OpenAICompatibleChatChunk;
    expect(
      translate([azureFilterChunk, chunk({ content: 'Hi' }, null, { content_filter_results: {} })]),
    ).toEqual([start, { type: 'text', delta: 'Hi' }]);
  });

  it('translates reasoning_content (DeepSeek, Qwen) and reasoning (OpenRouter, vLLM) into reasoning', () => {
    expect(
      translate([
        chunk({ content: null, reasoning_content: 'Think' }),
        chunk({ reasoning: 'ing' }),
        chunk({ content: 'Answer', reasoning_content: null }),
      ]),
    ).toEqual([
      start,
      { type: 'reasoning', delta: 'Think' },
      { type: 'reasoning', delta: 'ing' },
      { type: 'text', delta: 'Answer' },
    ]);
  });

  it('reads reasoning once when a server sends both reasoning_content and reasoning', () => {
    expect(translate([chunk({ reasoning_content: 'same', reasoning: 'same' })])).toEqual([
      start,
      { type: 'reasoning', delta: 'same' },
    ]);
  });

  it('passes tool-call continuations with an empty-string id on without the id (Qwen)', () => {
    const deltas = translate([
      chunk({
        tool_calls: [
          { index: 0, id: 'call_1', type: 'function', function: { name: 'weather', arguments: '' } },
        ],
      }),
      chunk({ tool_calls: [{ index: 0, id: '', type: 'function', function: { arguments: '{"city":' } }] }),
      chunk({ tool_calls: [{ index: 0, id: '', type: 'function', function: { arguments: '"Rome"}' } }] }),
      chunk({ tool_calls: [{ index: 0, id: '', type: 'function', function: { arguments: '' } }] }),
      chunk({}, 'tool_calls'),
    ]);
    expect(deltas).toEqual([
      start,
      { type: 'tool_call', index: 0, id: 'call_1', name: 'weather' },
      { type: 'tool_call', index: 0, argumentsDelta: '{"city":' },
      { type: 'tool_call', index: 0, argumentsDelta: '"Rome"}' },
      { type: 'finish', reason: 'tool_calls', rawReason: 'tool_calls' },
    ]);
    expect(accumulate(deltas)).toMatchObject({
      toolCalls: [{ id: 'call_1', name: 'weather', arguments: '{"city":"Rome"}', input: { city: 'Rome' } }],
    });
  });

  it('passes a whole tool call without index in one delta, finish on the same chunk (Mistral)', () => {
    const deltas = translate([
      chunk(
        {
          content: null,
          tool_calls: [{ id: 'gSIM', function: { name: 'weather', arguments: '{"city":"Rome"}' } }],
        },
        'tool_calls',
        { usage: { prompt_tokens: 10, completion_tokens: 5, total_tokens: 15 } },
      ),
    ]);
    expect(deltas).toEqual([
      start,
      { type: 'tool_call', id: 'gSIM', name: 'weather', argumentsDelta: '{"city":"Rome"}' },
      { type: 'usage', usage: { inputTokens: 10, outputTokens: 5, totalTokens: 15 } },
      { type: 'finish', reason: 'tool_calls', rawReason: 'tool_calls' },
    ]);
  });

  it('keeps parallel calls apart when a provider reuses index 0 with new ids', () => {
    const deltas = translate([
      chunk({
        tool_calls: [{ index: 0, id: 'call_a', function: { name: 'weather', arguments: '{"city":' } }],
      }),
      chunk({ tool_calls: [{ index: 0, function: { arguments: '"Rome"}' } }] }),
      chunk({ tool_calls: [{ index: 0, id: 'call_b', function: { name: 'time', arguments: '{"zone":' } }] }),
      chunk({ tool_calls: [{ index: 0, function: { arguments: '"CET"}' } }] }),
      chunk({}, 'tool_calls'),
    ]);
    expect(deltas.slice(1, 5)).toEqual([
      { type: 'tool_call', index: 0, id: 'call_a', name: 'weather', argumentsDelta: '{"city":' },
      { type: 'tool_call', index: 0, argumentsDelta: '"Rome"}' },
      { type: 'tool_call', index: 0, id: 'call_b', name: 'time', argumentsDelta: '{"zone":' },
      { type: 'tool_call', index: 0, argumentsDelta: '"CET"}' },
    ]);
    expect(accumulate(deltas)).toMatchObject({
      reason: 'tool_calls',
      toolCalls: [
        { id: 'call_a', name: 'weather', input: { city: 'Rome' } },
        { id: 'call_b', name: 'time', input: { zone: 'CET' } },
      ],
    });
  });

  it('passes several calls of one delta on in order (OpenAI parallel tool calls)', () => {
    const deltas = translate([
      chunk({
        tool_calls: [
          { index: 0, id: 'call_a', type: 'function', function: { name: 'a', arguments: '{}' } },
          { index: 1, id: 'call_b', type: 'function', function: { name: 'b', arguments: '{}' } },
        ],
      }),
    ]);
    expect(deltas.slice(1)).toEqual([
      { type: 'tool_call', index: 0, id: 'call_a', name: 'a', argumentsDelta: '{}' },
      { type: 'tool_call', index: 1, id: 'call_b', name: 'b', argumentsDelta: '{}' },
    ]);
  });

  it('maps the usage chunk with cached-input and reasoning details', () => {
    expect(
      translate([
        usageChunk({
          prompt_tokens: 100,
          completion_tokens: 40,
          total_tokens: 140,
          prompt_tokens_details: { cached_tokens: 64, cache_write_tokens: 8, audio_tokens: 0 },
          completion_tokens_details: { reasoning_tokens: 30, audio_tokens: 0 },
        }),
      ]),
    ).toEqual([
      start,
      {
        type: 'usage',
        usage: {
          inputTokens: 100,
          outputTokens: 40,
          totalTokens: 140,
          cachedInputTokens: 64,
          cacheWriteTokens: 8,
          reasoningTokens: 30,
        },
      },
    ]);
  });

  it("reads cached input from DeepSeek's prompt_cache_hit_tokens when details are missing", () => {
    expect(
      translate([
        usageChunk({ prompt_tokens: 9, completion_tokens: 1, total_tokens: 10, prompt_cache_hit_tokens: 8 }),
      ]),
    ).toContainEqual({
      type: 'usage',
      usage: { inputTokens: 9, outputTokens: 1, totalTokens: 10, cachedInputTokens: 8 },
    });
  });

  it("reads usage from Groq's x_groq and from Moonshot's choice when the chunk has none", () => {
    const groq = chunk({}, 'stop', {
      x_groq: { usage: { prompt_tokens: 1, completion_tokens: 2, total_tokens: 3 } },
    });
    const moonshot = chunk({}, 'stop');
    (moonshot.choices?.[0] as { usage?: unknown }).usage = {
      prompt_tokens: 4,
      completion_tokens: 5,
      total_tokens: 9,
    };
    expect(translate([groq])).toContainEqual({
      type: 'usage',
      usage: { inputTokens: 1, outputTokens: 2, totalTokens: 3 },
    });
    expect(translate([moonshot])).toContainEqual({
      type: 'usage',
      usage: { inputTokens: 4, outputTokens: 5, totalTokens: 9 },
    });
  });

  it('surfaces a refusal as text and finishes with content_filter', () => {
    expect(
      translate([chunk({ refusal: "I can't" }), chunk({ refusal: ' help.' }), chunk({}, 'stop')]),
    ).toEqual([
      start,
      { type: 'text', delta: "I can't" },
      { type: 'text', delta: ' help.' },
      { type: 'finish', reason: 'content_filter', rawReason: 'refusal' },
    ]);
  });

  it.each([
    ['length', 'length'],
    ['content_filter', 'content_filter'],
    ['tool_calls', 'tool_calls'],
    ['function_call', 'tool_calls'],
    ['sensitive', 'content_filter'],
    ['insufficient_system_resource', 'other'],
  ])('maps finish_reason %s to %s and keeps the raw reason', (raw, reason) => {
    expect(translate([chunk({}, raw)])).toEqual([start, { type: 'finish', reason, rawReason: raw }]);
  });

  it('produces no finish delta when no finish_reason came, so the runtime reports truncation', () => {
    const deltas = translate([chunk({ content: 'cut' })]);
    expect(deltas).toEqual([start, { type: 'text', delta: 'cut' }]);
    expect(accumulate(deltas)).toMatchObject({ type: 'error', error: { code: 'invalid_response' } });
  });

  it('ignores a repeated finish_reason and choices other than the first', () => {
    const second = chunk({ content: 'other choice' });
    (second.choices?.[0] as { index: number }).index = 1;
    expect(translate([chunk({}, 'stop'), second, chunk({}, 'stop')])).toEqual([
      start,
      { type: 'finish', reason: 'stop', rawReason: 'stop' },
    ]);
  });

  it("reads Magistral's content parts: thinking as reasoning, text as text (Mistral)", () => {
    expect(
      translate([
        chunk({ content: [{ type: 'thinking', thinking: [{ type: 'text', text: 'Hmm' }] }] }),
        chunk({ content: [{ type: 'text', text: 'Yes' }] }),
      ]),
    ).toEqual([start, { type: 'reasoning', delta: 'Hmm' }, { type: 'text', delta: 'Yes' }]);
  });

  it('passes custom tool calls on with their free-form input as arguments', () => {
    expect(
      translate([
        chunk({
          tool_calls: [
            { index: 0, id: 'call_c', type: 'custom', custom: { name: 'sql', input: 'SELECT 1' } },
          ],
        }),
      ]),
    ).toEqual([
      start,
      { type: 'tool_call', index: 0, id: 'call_c', name: 'sql', argumentsDelta: 'SELECT 1' },
    ]);
  });
});

describe('the terminal record of a Chat Completions stream', () => {
  /** `state.complete` after each chunk. */
  function completeAfter(chunks: OpenAICompatibleChatChunk[], usageRequested: boolean): boolean[] {
    const state = createOpenAIChatStreamState({ usageRequested });
    return chunks.map((item) => {
      translateOpenAIChatChunk(item, state);
      return state.complete;
    });
  }
  const usage = { prompt_tokens: 3, completion_tokens: 2, total_tokens: 5 };

  it('is the requested usage chunk after the finish (OpenAI: the last chunk before [DONE])', () => {
    expect(completeAfter([chunk({ content: 'Hi' }), chunk({}, 'stop'), usageChunk(usage)], true)).toEqual([
      false,
      false,
      true,
    ]);
  });

  it('is not the finish chunk, so usage sent after it is kept', () => {
    const state = createOpenAIChatStreamState({ usageRequested: true });
    translateOpenAIChatChunk(chunk({}, 'stop'), state);
    expect(state.complete).toBe(false);
    expect(translateOpenAIChatChunk(usageChunk(usage), state)).toEqual([
      { type: 'usage', usage: { inputTokens: 3, outputTokens: 2, totalTokens: 5 } },
    ]);
    expect(state.complete).toBe(true);
  });

  it('is not a finish chunk that carries usage itself (Mistral, Groq, Moonshot): more may follow', () => {
    const onFinish = chunk({}, 'stop', { usage });
    const groq = chunk({}, 'stop', { x_groq: { usage } });
    expect(completeAfter([onFinish], true)).toEqual([false]);
    expect(completeAfter([groq], true)).toEqual([false]);
  });

  it('is not a usage chunk before the finish (usage on every chunk)', () => {
    expect(completeAfter([usageChunk(usage), chunk({ content: 'Hi' }), chunk({}, 'stop')], true)).toEqual([
      false,
      false,
      false,
    ]);
  });

  it('is never reached when usage was not requested (quirk streamOptions: false, or rejected): [DONE] ends it', () => {
    expect(completeAfter([chunk({}, 'stop'), usageChunk(usage)], false)).toEqual([false, false]);
    expect(completeAfter([chunk({}, 'stop'), chunk({ content: '' })], true)).toEqual([false, false]);
  });
});
