import { describe, expect, it } from 'vitest';
import type { ErrorEvent, FinishEvent, StreamEvent, ToolCallEvent } from '../model/types.js';
import { createTokenwire } from './create-tokenwire.js';
import { collectEvents, type Step, scriptedAdapter, typesOf } from './scripted-adapter.test-helpers.js';

const messages = [{ role: 'user' as const, content: 'Hi' }];

async function run(script: Step[]) {
  const adapter = scriptedAdapter(script);
  const tokenwire = createTokenwire({ providers: { mock: adapter }, retries: 0 });
  const events = await collectEvents(tokenwire.stream({ model: 'mock/model-1', messages }));
  return { events, adapter };
}

function last<T extends StreamEvent>(events: StreamEvent[]): T {
  return events[events.length - 1] as T;
}

function completes(events: StreamEvent[]) {
  return events
    .filter(
      (event): event is Extract<ToolCallEvent, { type: 'tool_call_complete' }> =>
        event.type === 'tool_call_complete',
    )
    .map(({ index, id, name, arguments: text, input, inputError }) => ({
      index,
      id,
      name,
      arguments: text,
      input,
      ...(inputError ? { inputError: inputError.code } : {}),
    }));
}

describe('the normalized event stream', () => {
  it('starts with start, accumulates text and ends with one finish', async () => {
    const { events } = await run([
      { type: 'start', model: 'model-1-2026', responseId: 'resp_1' },
      { type: 'text', delta: 'Hello' },
      { type: 'text', delta: ', world' },
      { type: 'finish', reason: 'stop', rawReason: 'end_turn' },
    ]);
    expect(events).toEqual([
      { type: 'start', provider: 'mock', model: 'model-1-2026', responseId: 'resp_1' },
      {
        type: 'token',
        content: 'Hello',
        accumulatedContent: 'Hello',
        tokenCount: 2,
        totalTokens: 2,
        model: 'model-1-2026',
        finishReason: null,
      },
      {
        type: 'token',
        content: ', world',
        accumulatedContent: 'Hello, world',
        tokenCount: 1,
        totalTokens: 3,
        model: 'model-1-2026',
        finishReason: null,
      },
      {
        type: 'finish',
        reason: 'stop',
        rawReason: 'end_turn',
        usage: { inputTokens: 5, outputTokens: 3, totalTokens: 8, estimated: true },
        content: 'Hello, world',
        reasoning: '',
        toolCalls: [],
        provider: 'mock',
        model: 'model-1-2026',
        responseId: 'resp_1',
        messages: [{ role: 'assistant', content: 'Hello, world' }],
      },
    ]);
  });

  it('synthesizes start with the requested model when the adapter sends none', async () => {
    const { events } = await run([
      { type: 'text', delta: 'x' },
      { type: 'finish', reason: 'stop' },
    ]);
    expect(events[0]).toEqual({ type: 'start', provider: 'mock', model: 'model-1' });
  });

  it('estimates one token per CJK character', async () => {
    const { events } = await run([
      { type: 'text', delta: '你好世界' },
      { type: 'finish', reason: 'stop' },
    ]);
    expect(events[1]).toMatchObject({ type: 'token', tokenCount: 4, totalTokens: 4 });
  });

  it('accumulates reasoning and keeps its signature', async () => {
    const { events } = await run([
      { type: 'reasoning', delta: 'Let me ' },
      { type: 'reasoning', delta: 'think.' },
      { type: 'reasoning', delta: '', signature: 'sig-1' },
      { type: 'text', delta: 'Answer' },
      { type: 'finish', reason: 'stop' },
    ]);
    expect(events.slice(1, 4)).toEqual([
      { type: 'reasoning', content: 'Let me ', accumulatedReasoning: 'Let me ' },
      { type: 'reasoning', content: 'think.', accumulatedReasoning: 'Let me think.' },
      { type: 'reasoning', content: '', accumulatedReasoning: 'Let me think.', signature: 'sig-1' },
    ]);
    expect(last<FinishEvent>(events)).toMatchObject({ reasoning: 'Let me think.', content: 'Answer' });
  });

  it('gives the reasoning blocks with their signatures on finish, ready to send back', async () => {
    const { events } = await run([
      { type: 'reasoning', delta: 'First ' },
      { type: 'reasoning', delta: 'block.' },
      { type: 'reasoning', delta: '', signature: 'sig-a' },
      { type: 'reasoning', delta: '', redactedData: 'opaque' },
      { type: 'reasoning', delta: 'Unsigned tail.' },
      { type: 'finish', reason: 'stop' },
    ]);
    expect(last<FinishEvent>(events).reasoningParts).toEqual([
      { text: 'First block.', signature: 'sig-a' },
      { text: '', redactedData: 'opaque' },
      { text: 'Unsigned tail.' },
    ]);
  });

  it('uses provider usage over estimates, later fields winning', async () => {
    const { events } = await run([
      { type: 'usage', usage: { inputTokens: 10, cachedInputTokens: 4 } },
      { type: 'text', delta: 'ok' },
      { type: 'finish', reason: 'length', rawReason: 'max_tokens' },
      { type: 'usage', usage: { inputTokens: 12, outputTokens: 7, reasoningTokens: 2 } },
    ]);
    expect(last<FinishEvent>(events)).toMatchObject({
      reason: 'length',
      usage: {
        inputTokens: 12,
        outputTokens: 7,
        totalTokens: 19,
        cachedInputTokens: 4,
        reasoningTokens: 2,
        estimated: false,
      },
    });
  });

  it('reports a stream without a finish delta as truncated, keeping the partial content', async () => {
    const { events } = await run([{ type: 'text', delta: 'Half an ans' }]);
    expect(typesOf(events)).toEqual(['start', 'token', 'error']);
    const error = last<ErrorEvent>(events);
    expect(error.error.code).toBe('invalid_response');
    expect(error.error.message).toContain('truncated');
    expect(error.partial).toMatchObject({ content: 'Half an ans', reasoning: '', toolCalls: [] });
    expect(error.partial.usage.estimated).toBe(true);
  });

  it('ends with error and the partial content when the adapter throws mid-stream', async () => {
    const { events } = await run([{ type: 'text', delta: 'Some' }, { throw: new Error('socket went away') }]);
    expect(typesOf(events)).toEqual(['start', 'token', 'error']);
    expect(last<ErrorEvent>(events).error).toMatchObject({ code: 'unknown', message: 'socket went away' });
    expect(last<ErrorEvent>(events).partial.content).toBe('Some');
  });

  it('yields the error alone when the request fails before the stream begins', async () => {
    const { events } = await run([{ throw: new Error('401 bad key') }]);
    expect(typesOf(events)).toEqual(['error']);
  });

  it('rejects an unknown delta type with a clear error', async () => {
    const { events } = await run([
      { type: 'text', delta: 'a' },
      { type: 'sparkle', delta: 'b' } as unknown as Step,
    ]);
    const error = last<ErrorEvent>(events).error;
    expect(error.code).toBe('invalid_response');
    expect(error.message).toContain("unknown type 'sparkle'");
  });

  it('rejects a null delta with a clear error', async () => {
    const { events } = await run([null as unknown as Step]);
    expect(last<ErrorEvent>(events).error.message).toContain('instead of a delta object');
  });

  it('result() resolves with the finish event, consuming the stream itself', async () => {
    const tokenwire = createTokenwire({
      providers: {
        mock: scriptedAdapter([
          { type: 'text', delta: 'hi' },
          { type: 'finish', reason: 'stop' },
        ]),
      },
    });
    const finish = await tokenwire.stream({ model: 'mock/m', messages }).result();
    expect(finish).toMatchObject({ type: 'finish', content: 'hi', reason: 'stop' });
  });

  it('result() rejects with the TokenwireError of an error event', async () => {
    const tokenwire = createTokenwire({
      providers: { mock: scriptedAdapter([{ type: 'text', delta: 'hi' }]) },
      retries: 0,
    });
    await expect(tokenwire.stream({ model: 'mock/m', messages }).result()).rejects.toMatchObject({
      name: 'TokenwireError',
      code: 'invalid_response',
    });
  });

  it('result() after iteration returns the same terminal event', async () => {
    const tokenwire = createTokenwire({
      providers: {
        mock: scriptedAdapter([
          { type: 'text', delta: 'hi' },
          { type: 'finish', reason: 'stop' },
        ]),
      },
    });
    const stream = tokenwire.stream({ model: 'mock/m', messages });
    const events = await collectEvents(stream);
    await expect(stream.result()).resolves.toBe(events[events.length - 1]);
  });
});

describe('tool-call assembly', () => {
  it('joins fragments by id, then index, then the latest open call, and completes at the end', async () => {
    const { events } = await run([
      { type: 'tool_call', index: 0, id: 'call_a', name: 'weather', argumentsDelta: '' },
      { type: 'tool_call', index: 0, id: '', argumentsDelta: '{"city":' },
      { type: 'tool_call', argumentsDelta: '"Paris"}' },
      { type: 'finish', reason: 'stop', rawReason: 'stop' },
    ]);
    expect(events.filter((event) => event.type === 'tool_call_chunk')).toEqual([
      { type: 'tool_call_chunk', index: 0, id: 'call_a', name: 'weather', argumentsDelta: '', arguments: '' },
      {
        type: 'tool_call_chunk',
        index: 0,
        id: 'call_a',
        name: 'weather',
        argumentsDelta: '{"city":',
        arguments: '{"city":',
      },
      {
        type: 'tool_call_chunk',
        index: 0,
        id: 'call_a',
        name: 'weather',
        argumentsDelta: '"Paris"}',
        arguments: '{"city":"Paris"}',
      },
    ]);
    expect(completes(events)).toEqual([
      { index: 0, id: 'call_a', name: 'weather', arguments: '{"city":"Paris"}', input: { city: 'Paris' } },
    ]);
    // invariant 4: a completed call makes the reason tool_calls even though the provider said stop
    expect(last<FinishEvent>(events)).toMatchObject({ reason: 'tool_calls', rawReason: 'stop' });
  });

  it('keeps parallel calls apart when their fragments interleave', async () => {
    const { events } = await run([
      { type: 'tool_call', index: 0, id: 'call_a', name: 'weather' },
      { type: 'tool_call', index: 1, id: 'call_b', name: 'time' },
      { type: 'tool_call', index: 1, argumentsDelta: '{"zone":"UTC"}' },
      { type: 'tool_call', index: 0, argumentsDelta: '{"city":"Oslo"}' },
      { type: 'finish', reason: 'tool_calls' },
    ]);
    expect(completes(events)).toEqual([
      { index: 0, id: 'call_a', name: 'weather', arguments: '{"city":"Oslo"}', input: { city: 'Oslo' } },
      { index: 1, id: 'call_b', name: 'time', arguments: '{"zone":"UTC"}', input: { zone: 'UTC' } },
    ]);
  });

  it('starts a new call when a provider reuses index 0 with a new id', async () => {
    const { events } = await run([
      { type: 'tool_call', index: 0, id: 'call_a', name: 'one', argumentsDelta: '{"n":' },
      { type: 'tool_call', index: 0, id: '', argumentsDelta: '1}' },
      { type: 'tool_call', index: 0, id: 'call_b', name: 'two', argumentsDelta: '{"n":' },
      { type: 'tool_call', index: 0, id: '', argumentsDelta: '2}' },
      { type: 'finish', reason: 'tool_calls' },
    ]);
    expect(completes(events).map(({ id, input }) => ({ id, input }))).toEqual([
      { id: 'call_a', input: { n: 1 } },
      { id: 'call_b', input: { n: 2 } },
    ]);
  });

  it('completes a call when the provider closes it, before later output', async () => {
    const { events } = await run([
      { type: 'tool_call', index: 3, id: 'toolu_1', name: 'lookup', argumentsDelta: '{"q":"x"}' },
      { type: 'tool_call_end', index: 3 },
      { type: 'text', delta: 'after' },
      { type: 'finish', reason: 'tool_calls' },
    ]);
    expect(typesOf(events)).toEqual(['start', 'tool_call_chunk', 'tool_call_complete', 'token', 'finish']);
  });

  it('completes empty or whitespace arguments as {} and generates a missing id', async () => {
    const { events } = await run([
      { type: 'tool_call', name: 'now', argumentsDelta: '  ' },
      { type: 'tool_call_end', index: 0 },
      { type: 'finish', reason: 'stop' },
    ]);
    const [complete] = completes(events);
    expect(complete).toMatchObject({ name: 'now', arguments: '{}', input: {} });
    expect(complete?.id).toMatch(/^call_[0-9a-f]{24}$/);
  });

  it('reports invalid JSON arguments as inputError without failing the stream', async () => {
    const { events } = await run([
      { type: 'tool_call', id: 'call_x', name: 'broken', argumentsDelta: '{"a":' },
      { type: 'finish', reason: 'tool_calls' },
    ]);
    expect(completes(events)).toEqual([
      {
        index: 0,
        id: 'call_x',
        name: 'broken',
        arguments: '{"a":',
        input: undefined,
        inputError: 'invalid_response',
      },
    ]);
    expect(last<FinishEvent>(events).type).toBe('finish');
  });

  it('never completes a call early just because its arguments parse', async () => {
    const { events } = await run([
      { type: 'tool_call', id: 'call_n', name: 'count', argumentsDelta: '1' },
      { type: 'tool_call', id: 'call_n', argumentsDelta: '23' },
      { type: 'finish', reason: 'tool_calls' },
    ]);
    expect(completes(events)).toEqual([
      { index: 0, id: 'call_n', name: 'count', arguments: '123', input: 123 },
    ]);
  });

  it('ends with a clear error for a tool call that has no name', async () => {
    const { events } = await run([
      { type: 'tool_call', id: 'call_q', argumentsDelta: '{}' },
      { type: 'finish', reason: 'tool_calls' },
    ]);
    const error = last<ErrorEvent>(events);
    expect(error.error.code).toBe('invalid_response');
    expect(error.error.message).toContain('without a name');
    expect(error.partial.toolCalls).toEqual([{ id: 'call_q', name: '', arguments: '{}' }]);
  });

  it('keeps a call that was still open in the partial result of a truncated stream', async () => {
    const { events } = await run([
      { type: 'tool_call', id: 'call_t', name: 'search', argumentsDelta: '{"q":"ha' },
    ]);
    expect(completes(events)).toEqual([]);
    expect(last<ErrorEvent>(events).partial.toolCalls).toEqual([
      { id: 'call_t', name: 'search', arguments: '{"q":"ha' },
    ]);
  });
});

describe('several messages in one response', () => {
  it('is not finished by the first message when a second one starts', async () => {
    const { events } = await run([
      { type: 'start', responseId: 'msg_1' },
      { type: 'text', delta: 'one' },
      { type: 'finish', reason: 'tool_calls', rawReason: 'tool_use' },
      { type: 'start', responseId: 'msg_2' },
      { type: 'text', delta: 'two' },
    ]);
    expect(last<ErrorEvent>(events)).toMatchObject({ type: 'error', partial: { content: 'onetwo' } });
  });

  it('ignores a repeated start of the same response after the finish', async () => {
    const { events } = await run([
      { type: 'start', responseId: 'chatcmpl_1' },
      { type: 'text', delta: 'x' },
      { type: 'finish', reason: 'stop' },
      { type: 'start', responseId: 'chatcmpl_1' },
      { type: 'usage', usage: { inputTokens: 1, outputTokens: 1 } },
    ]);
    expect(last<FinishEvent>(events)).toMatchObject({ type: 'finish', reason: 'stop' });
  });

  it('passes redacted reasoning through for the next turn', async () => {
    const { events } = await run([
      { type: 'reasoning', delta: '', redactedData: 'opaque==' },
      { type: 'finish', reason: 'stop' },
    ]);
    expect(events[1]).toEqual({
      type: 'reasoning',
      content: '',
      accumulatedReasoning: '',
      redactedData: 'opaque==',
    });
  });
});
