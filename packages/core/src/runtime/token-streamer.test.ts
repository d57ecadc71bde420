import { describe, expect, it } from 'vitest';
import type { Adapter, ChatRequest, StreamEvent, TokenChunk } from '../model/types.js';
import { scriptedAdapter } from './scripted-adapter.test-helpers.js';
import { TokenStreamer } from './token-streamer.js';

const messages = [{ role: 'user' as const, content: 'Hi' }];

function streamerWith(adapter: Adapter, onToken?: (chunk: TokenChunk) => void) {
  return new TokenStreamer({
    model: 'mock/m',
    config: { providers: { mock: adapter }, retries: 0 },
    ...(onToken ? { onToken } : {}),
  });
}

describe('TokenStreamer', () => {
  it('yields token chunks, the last one carrying the finish reason', async () => {
    const seen: string[] = [];
    const streamer = streamerWith(
      scriptedAdapter([
        { type: 'text', delta: 'Hello' },
        { type: 'text', delta: ' there' },
        { type: 'usage', usage: { inputTokens: 3, outputTokens: 2 } },
        { type: 'finish', reason: 'stop' },
      ]),
      (chunk) => seen.push(chunk.content),
    );
    const chunks: TokenChunk[] = [];
    for await (const chunk of streamer.streamCompletion(messages)) chunks.push(chunk);
    expect(chunks.map((chunk) => [chunk.content, chunk.finishReason])).toEqual([
      ['Hello', null],
      [' there', null],
      ['', 'stop'],
    ]);
    expect(chunks[2]?.accumulatedContent).toBe('Hello there');
    expect(seen).toEqual(['Hello', ' there']);
    expect(streamer.accumulatedContent).toBe('Hello there');
    expect(streamer.totalTokens).toBe(3);
  });

  it('sends maxTokens 4096 by default, and a temperature only when given', async () => {
    let request: ChatRequest | undefined;
    const adapter: Adapter = {
      name: 'spy',
      async *stream(given) {
        request = given;
        yield { type: 'finish', reason: 'stop' };
      },
    };
    for await (const _chunk of streamerWith(adapter).streamCompletion(messages)) {
      // drain
    }
    expect(request).toMatchObject({ model: 'm', maxTokens: 4096 });
    expect(request?.temperature).toBeUndefined();
    for await (const _chunk of streamerWith(adapter).streamCompletion(messages, { temperature: 0.3 })) {
      // drain
    }
    expect(request?.temperature).toBe(0.3);
  });

  it('throws the error after yielding what arrived', async () => {
    const streamer = streamerWith(
      scriptedAdapter([{ type: 'text', delta: 'partial' }, { throw: new Error('reset') }]),
    );
    const chunks: string[] = [];
    await expect(async () => {
      for await (const chunk of streamer.streamCompletion(messages)) chunks.push(chunk.content);
    }).rejects.toMatchObject({ name: 'TokenwireError', message: 'reset' });
    expect(chunks).toEqual(['partial']);
    expect(streamer.accumulatedContent).toBe('partial');
  });

  it('completes tool calls even when the provider says stop', async () => {
    const streamer = streamerWith(
      scriptedAdapter([
        { type: 'tool_call', id: 'call_1', name: 'weather', argumentsDelta: '{"city":"Rome"}' },
        { type: 'finish', reason: 'stop' },
      ]),
    );
    const events: StreamEvent[] = [];
    for await (const event of streamer.streamWithTools(messages, [{ name: 'weather' }])) events.push(event);
    expect(events.map((event) => event.type)).toEqual([
      'start',
      'tool_call_chunk',
      'tool_call_complete',
      'finish',
    ]);
    expect(events[3]).toMatchObject({ reason: 'tool_calls' });
  });

  it('runs executable tools and streams the next step', async () => {
    const adapter = scriptedAdapter([
      [
        { type: 'tool_call', id: 'call_1', name: 'weather', argumentsDelta: '{"city":"Rome"}' },
        { type: 'finish', reason: 'tool_calls' },
      ],
      [
        { type: 'text', delta: 'Sunny in Rome.' },
        { type: 'finish', reason: 'stop' },
      ],
    ]);
    const tools = [{ name: 'weather', execute: ({ city }: { city: string }) => `sunny in ${city}` }];
    const events: StreamEvent[] = [];
    for await (const event of streamerWith(adapter).streamWithTools(messages, tools, { maxSteps: 3 }))
      events.push(event);
    expect(events.find((event) => event.type === 'tool_result')).toMatchObject({ output: 'sunny in Rome' });
    expect(events.at(-1)).toMatchObject({ type: 'finish', reason: 'stop', content: 'Sunny in Rome.' });
    expect(adapter.requests[1]?.messages.at(-1)).toMatchObject({ role: 'tool', content: 'sunny in Rome' });
  });

  it('carries partial inputs and partial objects; a step that calls tools carries no object', async () => {
    const adapter = scriptedAdapter([
      { type: 'tool_call', id: 'call_1', name: 'weather', argumentsDelta: '{"city":"Ro' },
      { type: 'text', delta: '{"ok": tr' },
      { type: 'text', delta: 'ue}' },
      { type: 'finish', reason: 'stop' },
    ]);
    const events: StreamEvent<{ ok: boolean }>[] = [];
    const schema = { type: 'object', properties: { ok: { type: 'boolean' } }, required: ['ok'] };
    for await (const event of streamerWith(adapter).streamWithTools<{ ok: boolean }>(
      messages,
      [{ name: 'weather' }],
      {
        responseFormat: { type: 'json_schema', schema },
      },
    )) {
      events.push(
        event.type === 'partial_object' ? { ...event, object: structuredClone(event.object) } : event,
      );
    }
    const chunk = events.find((event) => event.type === 'tool_call_chunk');
    expect(chunk?.type === 'tool_call_chunk' && chunk.partialInput).toEqual({ city: 'Ro' });
    expect(events.filter((event) => event.type === 'partial_object').map((event) => event.object)).toEqual([
      {},
      { ok: true },
    ]);
    const finish = events.at(-1);
    // It ends calling a tool the caller runs: the object comes from the step that answers (issue 26).
    expect(finish).toMatchObject({ type: 'finish', reason: 'tool_calls' });
    expect(finish !== undefined && ('object' in finish || 'objectError' in finish)).toBe(false);
  });

  it('cancel() ends the stream with reason cancelled and aborts the request', async () => {
    const adapter = scriptedAdapter([{ type: 'text', delta: 'Hi' }, { stall: true }]);
    const streamer = streamerWith(adapter);
    const chunks: TokenChunk[] = [];
    for await (const chunk of streamer.streamCompletion(messages)) {
      chunks.push(chunk);
      if (chunk.content === 'Hi') streamer.cancel();
    }
    expect(chunks.map((chunk) => chunk.finishReason)).toEqual([null, 'cancelled']);
    expect(adapter.aborted).toBe(1);
  });

  it('reset() forgets the accumulated content', async () => {
    const streamer = streamerWith(
      scriptedAdapter([
        { type: 'text', delta: 'x' },
        { type: 'finish', reason: 'stop' },
      ]),
    );
    for await (const _chunk of streamer.streamCompletion(messages)) {
      // drain
    }
    streamer.reset();
    expect([streamer.accumulatedContent, streamer.totalTokens]).toEqual(['', 0]);
  });

  it('passes apiKey and baseURL to the model provider settings', async () => {
    let settings: unknown;
    const streamer = new TokenStreamer({
      model: 'deepseek/deepseek-chat',
      apiKey: 'sk-test-deepseek-0000',
      baseURL: 'http://127.0.0.1:9/v1',
      config: {
        loadModule: async () => ({
          createAdapter(given: unknown) {
            settings = given;
            return scriptedAdapter([{ type: 'finish', reason: 'stop' }]);
          },
        }),
      },
    });
    for await (const _chunk of streamer.streamCompletion(messages)) {
      // drain
    }
    expect(settings).toEqual({
      apiKey: 'sk-test-deepseek-0000',
      baseURL: 'http://127.0.0.1:9/v1',
      provider: 'deepseek',
    });
  });
});
