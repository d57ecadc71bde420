import {
  createTokenwire,
  type FinishEvent,
  type StreamEvent,
  tool,
  toUIMessageStream,
  uiMessageStreamHeaders,
} from '@tokenwire/core';
import { collect, createReplayServer, type ReplayServer } from '@tokenwire/testing';
import { DefaultChatTransport, readUIMessageStream, type UIMessage } from 'ai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOpenAIAdapter } from './openai-adapter.js';
import { readFixturePayloads } from './openai-fixtures.test-helpers.js';

// Recorded streams through the openai adapter and the tool loop, then `toUIMessageStream`, then
// the AI SDK's own transport and message reader: what `useChat` would show.

let server: ReplayServer;
beforeAll(async () => {
  server = await createReplayServer();
});
afterAll(async () => {
  await server.close();
});

async function* eventsOf(events: StreamEvent[]): AsyncGenerator<StreamEvent> {
  for (const event of events) yield event;
}

async function messageOf(events: StreamEvent[]): Promise<UIMessage | undefined> {
  const transport = new DefaultChatTransport({
    api: 'http://tokenwire.test/chat',
    fetch: async () => new Response(toUIMessageStream(eventsOf(events)), { headers: uiMessageStreamHeaders }),
  });
  const stream = await transport.sendMessages({
    trigger: 'submit-message',
    chatId: 'chat-1',
    messageId: undefined,
    messages: [],
    abortSignal: undefined,
  });
  let message: UIMessage | undefined;
  for await (const snapshot of readUIMessageStream({ stream, terminateOnError: true })) message = snapshot;
  return message;
}

describe('toUIMessageStream on recorded streams, read by the AI SDK', () => {
  it('shows reasoning, a tool call with its input and result, then the next step’s text', async () => {
    server.enqueue({
      payloads: readFixturePayloads('openai-chat-compatible/deepseek-tool-call.chunks.txt').payloads,
    });
    server.enqueue({ payloads: readFixturePayloads('openai-chat/openai-text.chunks.txt').payloads });
    const adapter = createOpenAIAdapter({
      apiKey: 'sk-replay-test-key',
      baseURL: `${server.url}/v1`,
      api: 'chat',
    });
    const tokenwire = createTokenwire({ providers: { openai: adapter }, retries: 0 });
    const weather = tool({
      name: 'weather',
      parameters: { type: 'object', properties: { location: { type: 'string' } } },
      execute: () => ({ celsius: 18 }),
    });
    const events = await collect(
      tokenwire.stream({
        model: 'openai/m',
        messages: [{ role: 'user', content: 'Weather?' }],
        tools: [weather],
      }),
    );
    const finish = events.at(-1) as FinishEvent;
    expect(finish.type).toBe('finish');
    const message = await messageOf(events);
    expect(message?.parts.map((part) => part.type)).toEqual([
      'step-start',
      'reasoning',
      'tool-weather',
      'step-start',
      'text',
    ]);
    expect(message?.parts[1]).toMatchObject({ type: 'reasoning', state: 'done' });
    expect((message?.parts[1] as { text?: string } | undefined)?.text?.length).toBe(191);
    expect(message?.parts[2]).toMatchObject({
      toolCallId: 'call_00_ioIn7yN9p1ZOMNpDLwd4MgAF',
      state: 'output-available',
      input: { location: 'San Francisco' },
      output: { celsius: 18 },
    });
    expect(message?.parts[4]).toEqual({ type: 'text', text: finish.content, state: 'done' });
    expect(finish.content.length).toBe(1724);
    expect(message?.metadata).toMatchObject({ finishReason: 'stop', usage: finish.usage });
  });

  it('shows a recorded reasoning answer as one reasoning part and one text part', async () => {
    server.enqueue({
      payloads: readFixturePayloads('openai-chat-compatible/deepseek-reasoning.chunks.txt').payloads,
    });
    const adapter = createOpenAIAdapter({
      apiKey: 'sk-replay-test-key',
      baseURL: `${server.url}/v1`,
      api: 'chat',
    });
    const tokenwire = createTokenwire({ providers: { openai: adapter }, retries: 0 });
    const events = await collect(
      tokenwire.stream({ model: 'openai/m', messages: [{ role: 'user', content: 'Hi' }] }),
    );
    const message = await messageOf(events);
    expect(message?.parts.map((part) => part.type)).toEqual(['step-start', 'reasoning', 'text']);
    expect(message?.parts[2]).toEqual({
      type: 'text',
      text: 'The word "strawberry" contains three "r"s.',
      state: 'done',
    });
  });
});
