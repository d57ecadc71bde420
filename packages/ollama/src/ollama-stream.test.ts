import type { AdapterDelta } from '@tokenwire/core/adapter';
import { readFixture } from '@tokenwire/testing';
import type { ChatResponse } from 'ollama';
import { describe, expect, it } from 'vitest';
import { mapOllamaFinishReason } from './map-ollama-finish-reason.js';
import { createOllamaStreamState, translateOllamaChunk } from './ollama-stream.js';

const fixture = (name: string) => new URL(`./__fixtures__/${name}`, import.meta.url);

/** A chunk as the server writes it; only the fields a test cares about. */
function chunk(fields: Record<string, unknown>): ChatResponse {
  return {
    model: 'qwen3',
    created_at: '2025-06-10T14:02:11Z',
    done: false,
    ...fields,
  } as unknown as ChatResponse;
}

function translateAll(chunks: unknown[]): AdapterDelta[] {
  const state = createOllamaStreamState();
  return chunks.flatMap((each) => [...translateOllamaChunk(each as ChatResponse, state)]);
}

describe('translateOllamaChunk', () => {
  it('opens the first chunk with start and the model, then maps content to text', () => {
    const state = createOllamaStreamState();
    expect(translateOllamaChunk(chunk({ message: { role: 'assistant', content: 'Hi' } }), state)).toEqual([
      { type: 'start', model: 'qwen3' },
      { type: 'text', delta: 'Hi' },
    ]);
    expect(translateOllamaChunk(chunk({ message: { role: 'assistant', content: '!' } }), state)).toEqual([
      { type: 'text', delta: '!' },
    ]);
  });

  it('maps message.thinking to reasoning, before the text of the same chunk', () => {
    const deltas = translateAll([chunk({ message: { role: 'assistant', content: 'A', thinking: 'T' } })]);
    expect(deltas).toEqual([
      { type: 'start', model: 'qwen3' },
      { type: 'reasoning', delta: 'T' },
      { type: 'text', delta: 'A' },
    ]);
  });

  it('leaves the thinking out when the state says so, keeping the text', () => {
    const state = createOllamaStreamState({ includeThoughts: false });
    expect(
      translateOllamaChunk(chunk({ message: { role: 'assistant', content: 'A', thinking: 'T' } }), state),
    ).toEqual([
      { type: 'start', model: 'qwen3' },
      { type: 'text', delta: 'A' },
    ]);
  });

  it('emits nothing for a chunk with empty content and thinking', () => {
    const state = createOllamaStreamState();
    translateOllamaChunk(chunk({ message: { role: 'assistant', content: 'x' } }), state);
    expect(
      translateOllamaChunk(chunk({ message: { role: 'assistant', content: '', thinking: '' } }), state),
    ).toEqual([]);
  });

  it('turns each whole tool call into one closed call, leaving the id to the runtime when none is sent', () => {
    const deltas = translateAll([
      chunk({
        message: {
          role: 'assistant',
          content: '',
          tool_calls: [{ function: { name: 'get_weather', arguments: { city: 'Toronto' } } }],
        },
      }),
    ]);
    expect(deltas.slice(1)).toEqual([
      { type: 'tool_call', index: 0, name: 'get_weather', argumentsDelta: '{"city":"Toronto"}' },
      { type: 'tool_call_end', index: 0 },
    ]);
    expect((deltas[1] as { id?: string }).id).toBeUndefined();
  });

  it('numbers calls itself when the server reuses function.index, and keeps the server id', () => {
    const call = (id: string, city: string) => ({
      id,
      function: { index: 0, name: 'get_weather', arguments: { city } },
    });
    const state = createOllamaStreamState();
    translateOllamaChunk(
      chunk({ message: { role: 'assistant', content: '', tool_calls: [call('call_a', 'Paris')] } }),
      state,
    );
    const second = translateOllamaChunk(
      chunk({
        message: {
          role: 'assistant',
          content: '',
          tool_calls: [call('call_b', 'Rome'), call('call_c', 'Oslo')],
        },
      }),
      state,
    );
    expect(second).toEqual([
      { type: 'tool_call', index: 1, id: 'call_b', name: 'get_weather', argumentsDelta: '{"city":"Rome"}' },
      { type: 'tool_call_end', index: 1 },
      { type: 'tool_call', index: 2, id: 'call_c', name: 'get_weather', argumentsDelta: '{"city":"Oslo"}' },
      { type: 'tool_call_end', index: 2 },
    ]);
  });

  it('passes string arguments through and leaves missing arguments empty for the runtime to complete as {}', () => {
    const deltas = translateAll([
      chunk({
        message: {
          role: 'assistant',
          content: '',
          tool_calls: [
            { id: '', function: { name: 'a', arguments: '{"x":1}' } },
            { function: { name: 'b' } },
          ],
        },
      }),
    ]);
    expect(deltas.filter((delta) => delta.type === 'tool_call')).toEqual([
      { type: 'tool_call', index: 0, name: 'a', argumentsDelta: '{"x":1}' },
      { type: 'tool_call', index: 1, name: 'b', argumentsDelta: '' },
    ]);
  });

  it('reports usage and the finish reason on the done line only', () => {
    const deltas = translateAll([
      chunk({ message: { role: 'assistant', content: 'x' } }),
      chunk({
        message: { role: 'assistant', content: '' },
        done: true,
        done_reason: 'length',
        prompt_eval_count: 12,
        eval_count: 40,
      }),
    ]);
    expect(deltas.slice(2)).toEqual([
      { type: 'usage', usage: { inputTokens: 12, outputTokens: 40 } },
      { type: 'finish', reason: 'length', rawReason: 'length' },
    ]);
  });

  it('finishes with stop and no raw reason when an old server sends no done_reason or counts', () => {
    const deltas = translateAll([chunk({ message: { role: 'assistant', content: '' }, done: true })]);
    expect(deltas).toEqual([
      { type: 'start', model: 'qwen3' },
      { type: 'finish', reason: 'stop' },
    ]);
  });

  it('ignores unknown fields and a chunk without a message', () => {
    const deltas = translateAll([
      chunk({
        remote_host: 'https://ollama.com',
        logprobs: [],
        message: { role: 'assistant', content: 'a', images: null },
      }),
      chunk({}),
    ]);
    expect(deltas).toEqual([
      { type: 'start', model: 'qwen3' },
      { type: 'text', delta: 'a' },
    ]);
  });
});

describe('mapOllamaFinishReason', () => {
  it('keeps stop and length, and maps other words to other', () => {
    expect(['stop', 'length', 'load', 'unload', undefined].map(mapOllamaFinishReason)).toEqual([
      'stop',
      'length',
      'other',
      'other',
      'stop',
    ]);
  });
});

describe('translateOllamaChunk over the fixtures', () => {
  it('translates a text stream', async () => {
    expect(translateAll(await readFixture(fixture('ollama-text.ndjson')))).toEqual([
      { type: 'start', model: 'llama3.2' },
      { type: 'text', delta: 'The' },
      { type: 'text', delta: ' sky' },
      { type: 'text', delta: ' is' },
      { type: 'text', delta: ' blue' },
      { type: 'text', delta: ' because of Rayleigh scattering.' },
      { type: 'usage', usage: { inputTokens: 31, outputTokens: 10 } },
      { type: 'finish', reason: 'stop', rawReason: 'stop' },
    ]);
  });

  it('translates thinking, then text', async () => {
    const deltas = translateAll(await readFixture(fixture('ollama-thinking.ndjson')));
    expect(deltas.map((delta) => delta.type)).toEqual([
      'start',
      'reasoning',
      'reasoning',
      'reasoning',
      'text',
      'text',
      'usage',
      'finish',
    ]);
    expect(deltas[4]).toEqual({ type: 'text', delta: '17 × 23' });
  });

  it('translates a tool call on an intermediate line', async () => {
    const deltas = translateAll(await readFixture(fixture('ollama-tool-call.ndjson')));
    expect(deltas.slice(3)).toEqual([
      {
        type: 'tool_call',
        index: 0,
        name: 'get_current_weather',
        argumentsDelta: '{"format":"celsius","location":"Toronto"}',
      },
      { type: 'tool_call_end', index: 0 },
      { type: 'usage', usage: { inputTokens: 212, outputTokens: 61 } },
      { type: 'finish', reason: 'stop', rawReason: 'stop' },
    ]);
  });

  it('translates two tool calls on the done line, before the finish', async () => {
    expect(translateAll(await readFixture(fixture('ollama-parallel-tool-calls.ndjson')))).toEqual([
      { type: 'start', model: 'llama3.1' },
      {
        type: 'tool_call',
        index: 0,
        id: 'call_k3x9q2vd',
        name: 'get_current_weather',
        argumentsDelta: '{"format":"celsius","location":"Paris, FR"}',
      },
      { type: 'tool_call_end', index: 0 },
      {
        type: 'tool_call',
        index: 1,
        id: 'call_7wm1c0ta',
        name: 'get_current_weather',
        argumentsDelta: '{"format":"celsius","location":"Tokyo, JP"}',
      },
      { type: 'tool_call_end', index: 1 },
      { type: 'usage', usage: { inputTokens: 236, outputTokens: 52 } },
      { type: 'finish', reason: 'stop', rawReason: 'stop' },
    ]);
  });
});
