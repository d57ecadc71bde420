import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { TokenwireError } from '../model/errors.js';
import type { Adapter, AdapterDelta, ErrorEvent, FinishEvent, StreamEvent, Usage } from '../model/types.js';
import { createTokenwire } from '../runtime/create-tokenwire.js';
import { parseSSE, sseHeaders, toSSE } from './sse.js';

const encoder = new TextEncoder();
const decoder = new TextDecoder();

async function* eventsOf(events: StreamEvent[]): AsyncGenerator<StreamEvent> {
  for (const event of events) yield event;
}

async function readText(body: ReadableStream<Uint8Array>): Promise<string> {
  let text = '';
  for await (const chunk of body) text += decoder.decode(chunk, { stream: true });
  return text;
}

async function collect<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const values: T[] = [];
  for await (const value of iterable) values.push(value);
  return values;
}

function textBody(text: string): ReadableStream<Uint8Array> {
  return new ReadableStream({
    start(controller) {
      controller.enqueue(encoder.encode(text));
      controller.close();
    },
  });
}

/** Errors compared by what crosses the wire, and by being real TokenwireErrors. */
function comparable(event: StreamEvent): unknown {
  const asWire = (error: TokenwireError) => ({
    isInstance: TokenwireError.isInstance(error),
    ...error.toJSON(),
  });
  if (event.type === 'error') return { ...event, error: asWire(event.error) };
  if (event.type === 'tool_call_complete' && event.inputError !== undefined) {
    return { ...event, inputError: asWire(event.inputError) };
  }
  return event;
}

const usage: Usage = { inputTokens: 3, outputTokens: 2, totalTokens: 5, estimated: false };
const finish: FinishEvent = {
  type: 'finish',
  reason: 'stop',
  usage,
  content: 'Hi',
  reasoning: '',
  toolCalls: [],
  provider: 'openai',
  model: 'gpt-4.1',
  messages: [{ role: 'assistant', content: 'Hi' }],
};

describe('toSSE', () => {
  it('sends each event as its delta: tokens as plain data, the finish without what was sent', async () => {
    const start: StreamEvent = { type: 'start', provider: 'openai', model: 'gpt-4.1' };
    const token = (content: string, accumulatedContent: string, totalTokens: number): StreamEvent => ({
      type: 'token',
      content,
      accumulatedContent,
      tokenCount: 1,
      totalTokens,
      model: 'gpt-4.1',
      finishReason: null,
    });
    const events = [
      start,
      token('Hi', 'Hi', 1),
      token(' a\nb', 'Hi a\nb', 2),
      { ...finish, content: 'Hi a\nb' },
    ];
    const text = await readText(toSSE(eventsOf(events)));
    const {
      type: _finish,
      content: _content,
      reasoning: _reasoning,
      toolCalls: _calls,
      ...finishFields
    } = finish;
    expect(text).toBe(
      `event: start\ndata: {"provider":"openai","model":"gpt-4.1"}\n\n` +
        'data: Hi\n\n' +
        'data:  a\ndata: b\n\n' +
        `event: finish\ndata: ${JSON.stringify(finishFields)}\n\n`,
    );
    expect(await collect(parseSSE(textBody(text)))).toEqual(events);
  });

  it('sends a token in full when it cannot be rebuilt (a carriage return, another model)', async () => {
    const token: StreamEvent = {
      type: 'token',
      content: 'a\rb',
      accumulatedContent: 'a\rb',
      tokenCount: 1,
      totalTokens: 1,
      model: 'm',
      finishReason: null,
    };
    const text = await readText(toSSE(eventsOf([token, { ...finish, content: 'a\rb' }])));
    expect(
      text.startsWith(
        'event: token\ndata: {"content":"a\\rb","tokenCount":1,"totalTokens":1,"model":"m","finishReason":null}\n\n',
      ),
    ).toBe(true);
    expect(await collect(parseSSE(textBody(text)))).toEqual([token, { ...finish, content: 'a\rb' }]);
  });

  it('serializes an error through toJSON and never sends its cause', async () => {
    const error = new TokenwireError({
      code: 'rate_limit',
      message: 'Slow down',
      provider: 'openai',
      status: 429,
      retryAfterMs: 1000,
      cause: new Error('upstream detail with a secret'),
    });
    const event: ErrorEvent = {
      type: 'error',
      error,
      partial: { content: '', reasoning: '', toolCalls: [], usage },
    };
    const text = await readText(toSSE(eventsOf([event])));
    expect(text).not.toContain('secret');
    expect(text).toBe(
      `event: error\ndata: ${JSON.stringify({ error: error.toJSON(), partial: { usage } })}\n\n`,
    );
  });

  it('ends the body after the terminal event', async () => {
    const late: StreamEvent = { type: 'start', provider: 'late', model: 'late' };
    const text = await readText(toSSE(eventsOf([finish, late])));
    // The assistant turn in `messages` is rebuilt by parseSSE from content, tool calls and reasoning.
    const { type: _type, reasoning: _sent, toolCalls: _none, messages: _rebuilt, ...fields } = finish;
    expect(text).toBe(`event: finish\ndata: ${JSON.stringify(fields)}\n\n`);
  });

  it('ends with an error event carrying what was sent when the source throws', async () => {
    async function* failing(): AsyncGenerator<StreamEvent> {
      yield {
        type: 'token',
        content: 'Hel',
        accumulatedContent: 'Hel',
        tokenCount: 1,
        totalTokens: 1,
        model: 'm',
        finishReason: null,
      };
      throw new Error('database went away');
    }
    const events = await collect(parseSSE(toSSE(failing())));
    expect(events.map(comparable).at(-1)).toEqual({
      type: 'error',
      error: {
        isInstance: true,
        name: 'TokenwireError',
        code: 'unknown',
        message: 'database went away',
        provider: undefined,
        status: undefined,
        retryable: false,
        retryAfterMs: undefined,
        requestId: undefined,
      },
      partial: {
        content: 'Hel',
        reasoning: '',
        toolCalls: [],
        usage: { inputTokens: 0, outputTokens: 1, totalTokens: 1, estimated: true },
      },
    });
  });

  it('ends with an error event when an event cannot be serialized', async () => {
    const bad: StreamEvent = {
      type: 'tool_call_complete',
      index: 0,
      id: 'call_1',
      name: 'count',
      arguments: '{}',
      input: { big: 1n },
    };
    const events = await collect(parseSSE(toSSE(eventsOf([bad, finish]))));
    expect(events.map((event) => [event.type, event.type === 'error' && event.partial.toolCalls])).toEqual([
      ['error', []],
    ]);
  });

  it('reads the source only when the body is read', async () => {
    let pulled = 0;
    async function* counted(): AsyncGenerator<StreamEvent> {
      pulled++;
      yield { type: 'start', provider: 'p', model: 'm' };
      pulled++;
      yield finish;
    }
    const reader = toSSE(counted()).getReader();
    await new Promise((resolve) => setTimeout(resolve, 5));
    expect(pulled).toBe(0);
    await reader.read();
    expect(pulled).toBe(1);
  });

  it('calls return() on the source when the body is cancelled', async () => {
    let returned = false;
    const source: AsyncIterable<StreamEvent> = {
      [Symbol.asyncIterator]: () => ({
        next: async () => ({ done: false, value: { type: 'start', provider: 'p', model: 'm' } }),
        return: async () => {
          returned = true;
          return { done: true, value: undefined };
        },
      }),
    };
    const reader = toSSE(source).getReader();
    await reader.read();
    await reader.cancel();
    expect(returned).toBe(true);
  });

  it('cancels a TokenwireStream and aborts its upstream request when the client goes away', async () => {
    let signal: AbortSignal | undefined;
    const adapter: Adapter = {
      name: 'mock',
      async *stream(_request, context): AsyncGenerator<AdapterDelta> {
        signal = context.signal;
        yield { type: 'text', delta: 'Hello' };
        await new Promise((resolve) => context.signal.addEventListener('abort', resolve));
      },
    };
    const stream = createTokenwire({ providers: { mock: adapter } }).stream({
      model: 'mock/model',
      messages: [{ role: 'user', content: 'Hi' }],
    });
    const reader = toSSE(stream).getReader();
    await reader.read(); // start
    await reader.read(); // token
    await reader.cancel();
    expect(signal?.aborted).toBe(true);
    expect((await stream.result()).reason).toBe('cancelled');
  });
});

describe('sseHeaders', () => {
  it('declares an uncached, unbuffered event stream', () => {
    expect(sseHeaders).toEqual({
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache, no-transform',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
    });
  });
});

describe('parseSSE', () => {
  it('revives error events as TokenwireError instances', async () => {
    const body = textBody(
      'event: error\ndata: {"error":{"code":"overloaded","message":"Busy","provider":"anthropic","status":529,"retryable":true,"retryAfterMs":2000,"requestId":"req_1"},"partial":{"content":"","reasoning":"","toolCalls":[],"usage":{"inputTokens":0,"outputTokens":0,"totalTokens":0,"estimated":true}}}\n\n',
    );
    const [event] = await collect(parseSSE(body));
    const error = (event as ErrorEvent).error;
    expect(TokenwireError.isInstance(error)).toBe(true);
    expect(error).toBeInstanceOf(TokenwireError);
    expect(error.toJSON()).toEqual({
      name: 'TokenwireError',
      code: 'overloaded',
      message: 'Busy',
      provider: 'anthropic',
      status: 529,
      retryable: true,
      retryAfterMs: 2000,
      requestId: 'req_1',
    });
  });

  it('ignores records that are not stream events and stops after the terminal event', async () => {
    const body = textBody(
      `: keep-alive\n\nevent: ping\ndata: {}\n\nevent: finish\ndata: ${JSON.stringify(finish)}\n\nevent: start\ndata: {}\n\n`,
    );
    expect(await collect(parseSSE(body))).toEqual([finish]);
  });

  it('reads a Response', async () => {
    const response = new Response(toSSE(eventsOf([finish])), { headers: sseHeaders });
    expect(await collect(parseSSE(response))).toEqual([finish]);
  });

  it('throws the matching TokenwireError for an HTTP error status', async () => {
    const response = new Response('{"error":"slow down"}', { status: 429, headers: { 'retry-after': '3' } });
    await expect(collect(parseSSE(response))).rejects.toMatchObject({
      code: 'rate_limit',
      status: 429,
      retryAfterMs: 3000,
      message: 'The SSE endpoint answered HTTP 429: {"error":"slow down"}',
    });
  });

  it('throws a connection error when the body ends before the terminal event', async () => {
    const body = textBody('event: start\ndata: {"provider":"p","model":"m"}\n\n');
    const seen: StreamEvent[] = [];
    const error = await (async () => {
      try {
        for await (const event of parseSSE(body)) seen.push(event);
      } catch (thrown) {
        return thrown;
      }
    })();
    expect(seen).toEqual([{ type: 'start', provider: 'p', model: 'm' }]);
    expect(TokenwireError.isInstance(error) && error.code).toBe('connection');
  });

  it('throws a connection error when reading the body fails', async () => {
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        controller.error(new TypeError('network error'));
      },
    });
    await expect(collect(parseSSE(body))).rejects.toMatchObject({
      code: 'connection',
      message: 'Reading the SSE stream failed: network error',
    });
  });

  it('throws invalid_response for a stream event without JSON data', async () => {
    await expect(collect(parseSSE(textBody('event: token\ndata: nope\n\n')))).rejects.toMatchObject({
      code: 'invalid_response',
    });
  });

  it('round-trips every stream the runtime makes: parseSSE gives back equal events', async () => {
    const text = fc.string({ unit: 'binary', maxLength: 12 });
    const delta: fc.Arbitrary<AdapterDelta> = fc.oneof(
      text.map((value) => ({ type: 'text' as const, delta: value })),
      fc.record(
        { type: fc.constant('reasoning' as const), delta: text, signature: text },
        { requiredKeys: ['type', 'delta'] },
      ),
      fc.record(
        {
          type: fc.constant('tool_call' as const),
          index: fc.nat(2),
          id: fc.constantFrom('a', 'b'),
          name: text,
          argumentsDelta: text,
        },
        { requiredKeys: ['type', 'index'] },
      ),
      fc.record({
        type: fc.constant('usage' as const),
        usage: fc.record({ inputTokens: fc.nat(), outputTokens: fc.nat() }),
      }),
    );
    const ending = fc.constantFrom<AdapterDelta | 'throw'>(
      { type: 'finish', reason: 'stop' },
      { type: 'finish', reason: 'length' },
      'throw',
    );
    await fc.assert(
      fc.asyncProperty(fc.array(delta, { maxLength: 10 }), ending, async (deltas, end) => {
        const adapter: Adapter = {
          name: 'random',
          async *stream() {
            yield* deltas;
            if (end === 'throw') throw new TokenwireError({ code: 'server', message: 'upstream failed' });
            yield end;
          },
        };
        const stream = () =>
          createTokenwire({ providers: { random: adapter }, retries: 0 }).stream({
            model: 'random/m',
            messages: [{ role: 'user', content: 'Hi' }],
          });
        const sent = await collect(stream());
        const received = await collect(parseSSE(toSSE(eventsOf(sent))));
        expect(received.map(comparable)).toEqual(sent.map(comparable));
      }),
      { numRuns: 300 },
    );
  });

  it('sends a 40 KB answer in 8,000 tokens in under 3× its bytes', async () => {
    const pieces = Array.from({ length: 8_000 }, (_, index) => `w${String(index % 1000).padStart(3, '0')} `);
    const adapter: Adapter = {
      name: 'long',
      async *stream() {
        for (const piece of pieces) yield { type: 'text', delta: piece };
        yield { type: 'finish', reason: 'stop' };
      },
    };
    const tokenwire = createTokenwire({ providers: { long: adapter } });
    const stream = () => tokenwire.stream({ model: 'long/m', messages: [{ role: 'user', content: 'Hi' }] });
    const answer = pieces.join('');
    const sent = await collect(stream());
    const wire = await readText(toSSE(eventsOf(sent)));
    expect(answer.length).toBe(40_000);
    expect(wire.length / answer.length).toBeLessThan(3);
    expect(await collect(parseSSE(textBody(wire)))).toEqual(sent);
  });
});
