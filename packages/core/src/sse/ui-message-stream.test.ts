import { DefaultChatTransport, readUIMessageStream, type UIMessage, type UIMessageChunk } from 'ai';
import { describe, expect, it } from 'vitest';
import { inMemoryCoordinator } from '../coordinate/in-memory-coordinator.js';
import { TokenwireError } from '../model/errors.js';
import type { FinishEvent, StreamEvent, Usage } from '../model/types.js';
import { resumeSSE } from './sse-resume.js';
import { toUIMessageStream, uiMessageStreamHeaders } from './ui-message-stream.js';

const usage: Usage = { inputTokens: 3, outputTokens: 4, totalTokens: 7, estimated: false };

async function* eventsOf(events: StreamEvent[]): AsyncGenerator<StreamEvent> {
  for (const event of events) yield event;
}

function finish(reason: FinishEvent['reason'], content: string): FinishEvent {
  return {
    type: 'finish',
    reason,
    usage,
    content,
    reasoning: '',
    toolCalls: [],
    provider: 'p',
    model: 'm',
    messages: [],
  };
}

function token(content: string, accumulatedContent: string): StreamEvent {
  return {
    type: 'token',
    content,
    accumulatedContent,
    tokenCount: 1,
    totalTokens: 1,
    model: 'm',
    finishReason: null,
  };
}

/** A two-step answer: reasoning, text, a tool call in two fragments, its result, then text. */
const TOOL_ANSWER: StreamEvent[] = [
  { type: 'start', provider: 'p', model: 'm' },
  { type: 'step_start', step: 1, provider: 'p', model: 'm' },
  { type: 'reasoning', content: 'Weather.', accumulatedReasoning: 'Weather.' },
  token('Checking.', 'Checking.'),
  {
    type: 'tool_call_chunk',
    index: 0,
    id: 'call_1',
    name: 'get_weather',
    argumentsDelta: '{"city":',
    arguments: '{"city":',
  },
  {
    type: 'tool_call_chunk',
    index: 0,
    id: 'call_1',
    name: 'get_weather',
    argumentsDelta: '"Paris"}',
    arguments: '{"city":"Paris"}',
  },
  {
    type: 'tool_call_complete',
    index: 0,
    id: 'call_1',
    name: 'get_weather',
    arguments: '{"city":"Paris"}',
    input: { city: 'Paris' },
  },
  { type: 'step_finish', step: 1, reason: 'tool_calls', usage, toolCalls: [] },
  { type: 'tool_result', toolCallId: 'call_1', name: 'get_weather', output: { celsius: 21 } },
  { type: 'step_start', step: 2, provider: 'p', model: 'm' },
  token('Sunny.', 'Checking.Sunny.'),
  { type: 'step_finish', step: 2, reason: 'stop', usage, toolCalls: [] },
  finish('stop', 'Checking.Sunny.'),
];

async function textOf(body: ReadableStream<Uint8Array>): Promise<string> {
  return new Response(body).text();
}

function dataLines(text: string): unknown[] {
  return text
    .split('\n')
    .filter((line) => line.startsWith('data: '))
    .map((line) => line.slice(6))
    .map((data) => (data === '[DONE]' ? data : JSON.parse(data)));
}

/** Reads a body the way `useChat` does: the AI SDK's own transport, then its message reader. */
async function lastMessage(body: ReadableStream<Uint8Array>): Promise<UIMessage | undefined> {
  const transport = new DefaultChatTransport({
    api: 'http://tokenwire.test/chat',
    fetch: async () => new Response(body, { headers: uiMessageStreamHeaders }),
  });
  const chunks: ReadableStream<UIMessageChunk> = await transport.sendMessages({
    trigger: 'submit-message',
    chatId: 'chat-1',
    messageId: undefined,
    messages: [],
    abortSignal: undefined,
  });
  let message: UIMessage | undefined;
  for await (const snapshot of readUIMessageStream({ stream: chunks, terminateOnError: true }))
    message = snapshot;
  return message;
}

describe('toUIMessageStream', () => {
  it('sends the AI SDK chunks of text, reasoning, a tool call, its result and the steps', async () => {
    const lines = dataLines(await textOf(toUIMessageStream(eventsOf(TOOL_ANSWER))));
    expect(lines).toEqual([
      { type: 'start' },
      { type: 'start-step' },
      { type: 'reasoning-start', id: 'reasoning-1' },
      { type: 'reasoning-delta', id: 'reasoning-1', delta: 'Weather.' },
      { type: 'reasoning-end', id: 'reasoning-1' },
      { type: 'text-start', id: 'text-2' },
      { type: 'text-delta', id: 'text-2', delta: 'Checking.' },
      { type: 'text-end', id: 'text-2' },
      { type: 'tool-input-start', toolCallId: 'call_1', toolName: 'get_weather' },
      { type: 'tool-input-delta', toolCallId: 'call_1', inputTextDelta: '{"city":' },
      { type: 'tool-input-delta', toolCallId: 'call_1', inputTextDelta: '"Paris"}' },
      {
        type: 'tool-input-available',
        toolCallId: 'call_1',
        toolName: 'get_weather',
        input: { city: 'Paris' },
      },
      { type: 'finish-step' },
      { type: 'tool-output-available', toolCallId: 'call_1', output: { celsius: 21 } },
      { type: 'start-step' },
      { type: 'text-start', id: 'text-3' },
      { type: 'text-delta', id: 'text-3', delta: 'Sunny.' },
      { type: 'text-end', id: 'text-3' },
      { type: 'finish-step' },
      { type: 'finish', finishReason: 'stop', messageMetadata: { finishReason: 'stop', usage } },
      '[DONE]',
    ]);
  });

  it("is read by the AI SDK's own transport and message reader into one assistant message", async () => {
    const message = await lastMessage(toUIMessageStream(eventsOf(TOOL_ANSWER), { messageId: 'msg-1' }));
    expect(message?.id).toBe('msg-1');
    expect(message?.metadata).toEqual({ finishReason: 'stop', usage });
    expect(message?.parts.map((part) => part.type)).toEqual([
      'step-start',
      'reasoning',
      'text',
      'tool-get_weather',
      'step-start',
      'text',
    ]);
    expect(message?.parts[3]).toMatchObject({
      type: 'tool-get_weather',
      toolCallId: 'call_1',
      state: 'output-available',
      input: { city: 'Paris' },
      output: { celsius: 21 },
    });
    expect(message?.parts[5]).toMatchObject({ type: 'text', text: 'Sunny.', state: 'done' });
  });

  it('sends a partial object as one data part that the reader replaces as it grows', async () => {
    const events: StreamEvent[] = [
      { type: 'start', provider: 'p', model: 'm' },
      token('{"a":', '{"a":'),
      { type: 'partial_object', object: {} },
      token('1}', '{"a":1}'),
      { type: 'partial_object', object: { a: 1 } },
      finish('stop', '{"a":1}'),
    ];
    const message = await lastMessage(toUIMessageStream(eventsOf(events)));
    expect(message?.parts.filter((part) => part.type === 'data-object')).toEqual([
      { type: 'data-object', id: 'object', data: { a: 1 } },
    ]);
  });

  it('ends a failed stream with an error chunk carrying the message only, then [DONE]', async () => {
    const error = new TokenwireError({ code: 'rate_limit', message: 'Slow down.', provider: 'p' });
    const events: StreamEvent[] = [
      { type: 'start', provider: 'p', model: 'm' },
      token('Hi', 'Hi'),
      { type: 'error', error, partial: { content: 'Hi', reasoning: '', toolCalls: [], usage } },
    ];
    const lines = dataLines(await textOf(toUIMessageStream(eventsOf(events))));
    expect(lines.slice(-4)).toEqual([
      { type: 'text-end', id: 'text-1' },
      { type: 'finish-step' },
      { type: 'error', errorText: 'Slow down.' },
      '[DONE]',
    ]);
  });

  it('says cancelled in the metadata, as the AI SDK has no finish reason for it', async () => {
    const events: StreamEvent[] = [{ type: 'start', provider: 'p', model: 'm' }, finish('cancelled', '')];
    const lines = dataLines(await textOf(toUIMessageStream(eventsOf(events))));
    expect(lines).toEqual([
      { type: 'start' },
      { type: 'finish', messageMetadata: { finishReason: 'cancelled', usage } },
      '[DONE]',
    ]);
  });

  it('with a coordinator, writes resume ids and replays every chunk once from any point', async () => {
    const coordinator = inMemoryCoordinator();
    const body = toUIMessageStream(eventsOf(TOOL_ANSWER), { coordinator, streamId: 'ui-1', flushMs: 0 });
    const live = await textOf(body);
    expect(live.startsWith('id: ui-1:1\ndata: {"type":"start","messageMetadata":{"streamId":"ui-1"}}')).toBe(
      true,
    );
    const replayed = await resumeSSE(coordinator, 'ui-1:0');
    expect(replayed && (await textOf(replayed))).toBe(live);
    // After the tool call's completion (record 7), the rest: the step's end and the result first.
    const rest = await resumeSSE(coordinator, 'ui-1:7');
    const restLines = dataLines(rest ? await textOf(rest) : '');
    expect(restLines.slice(0, 2)).toEqual([
      { type: 'finish-step' },
      { type: 'tool-output-available', toolCallId: 'call_1', output: { celsius: 21 } },
    ]);
    expect(dataLines(live).slice(-restLines.length)).toEqual(restLines);
    const message = await lastMessage((await resumeSSE(coordinator, 'ui-1:0')) as ReadableStream<Uint8Array>);
    expect(message?.metadata).toEqual({ streamId: 'ui-1', finishReason: 'stop', usage });
  });
});
