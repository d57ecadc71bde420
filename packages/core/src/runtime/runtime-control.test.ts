import { describe, expect, it } from 'vitest';
import { TokenwireError } from '../model/errors.js';
import type { Adapter, ErrorEvent, FinishEvent, StreamEvent } from '../model/types.js';
import { createTokenwire, type TokenwireConfig } from './create-tokenwire.js';
import { collectEvents, type Step, scriptedAdapter, typesOf } from './scripted-adapter.test-helpers.js';

const messages = [{ role: 'user' as const, content: 'Hi' }];
const fastRetries = { maxRetries: 2, initialDelayMs: 1, maxDelayMs: 2 };

function client(adapter: ReturnType<typeof scriptedAdapter>, config: TokenwireConfig = {}) {
  return createTokenwire({ providers: { mock: adapter }, retries: fastRetries, ...config });
}

function last<T extends StreamEvent>(events: StreamEvent[]): T {
  return events[events.length - 1] as T;
}

const overloaded = () =>
  new TokenwireError({ code: 'overloaded', message: 'Overloaded, try again', provider: 'mock' });

describe('timeouts', () => {
  it('ends with a first-token timeout when no content arrives in time', async () => {
    const adapter = scriptedAdapter([{ type: 'start' }, { stall: true }]);
    const events = await collectEvents(
      client(adapter, { retries: 0 }).stream({ model: 'mock/m', messages, timeouts: { firstTokenMs: 50 } }),
    );
    expect(typesOf(events)).toEqual(['error']);
    expect(last<ErrorEvent>(events).error).toMatchObject({ code: 'timeout', retryable: true });
    expect(last<ErrorEvent>(events).error.message).toContain('first token timeout of 50 ms');
    expect(adapter.aborted).toBe(1);
  });

  it('ends with an idle timeout when the stream stalls after output, keeping the partial content', async () => {
    const adapter = scriptedAdapter([{ type: 'text', delta: 'partial' }, { stall: true }]);
    const events = await collectEvents(
      client(adapter).stream({ model: 'mock/m', messages, timeouts: { idleMs: 60 } }),
    );
    expect(typesOf(events)).toEqual(['start', 'token', 'error']);
    expect(last<ErrorEvent>(events).error.message).toContain('idle timeout of 60 ms');
    expect(last<ErrorEvent>(events).partial.content).toBe('partial');
    expect(adapter.calls).toBe(1); // output had reached the user: no retry
  });

  it('does not fire the idle timeout while deltas keep coming', async () => {
    const steps: Step[] = [];
    for (let index = 0; index < 6; index++) steps.push({ wait: 25 }, { type: 'text', delta: 'x' });
    steps.push({ type: 'finish', reason: 'stop' });
    const events = await collectEvents(
      client(scriptedAdapter(steps)).stream({ model: 'mock/m', messages, timeouts: { idleMs: 80 } }),
    );
    expect(last<FinishEvent>(events)).toMatchObject({ type: 'finish', content: 'xxxxxx' });
  });

  it('ends with a total timeout, which is never retried', async () => {
    const adapter = scriptedAdapter([
      { type: 'text', delta: 'slow' },
      { wait: 40 },
      { type: 'text', delta: '!' },
      { stall: true },
    ]);
    const events = await collectEvents(
      client(adapter).stream({ model: 'mock/m', messages, timeouts: { totalMs: 100 } }),
    );
    expect(last<ErrorEvent>(events).error).toMatchObject({ code: 'timeout', retryable: false });
    expect(last<ErrorEvent>(events).error.message).toContain('total timeout of 100 ms');
    expect(last<ErrorEvent>(events).partial.content).toBe('slow!');
  });

  it('retries a first-token timeout before any output', async () => {
    const adapter = scriptedAdapter([
      [{ stall: true }],
      [
        { type: 'text', delta: 'ok' },
        { type: 'finish', reason: 'stop' },
      ],
    ]);
    const events = await collectEvents(
      client(adapter).stream({ model: 'mock/m', messages, timeouts: { firstTokenMs: 40 } }),
    );
    expect(last<FinishEvent>(events)).toMatchObject({ type: 'finish', content: 'ok' });
    expect(adapter.calls).toBe(2);
  });
});

describe('cancellation', () => {
  it('cancel() before the stream starts ends with a lone cancelled finish and never calls the adapter', async () => {
    const adapter = scriptedAdapter([
      { type: 'text', delta: 'x' },
      { type: 'finish', reason: 'stop' },
    ]);
    const stream = client(adapter).stream({ model: 'mock/m', messages });
    stream.cancel();
    const events = await collectEvents(stream);
    expect(typesOf(events)).toEqual(['finish']);
    expect(last<FinishEvent>(events).reason).toBe('cancelled');
    expect(adapter.calls).toBe(0);
  });

  it('cancel() mid-text keeps what arrived and aborts the adapter', async () => {
    const adapter = scriptedAdapter([{ type: 'text', delta: 'Hello' }, { stall: true }]);
    const stream = client(adapter).stream({ model: 'mock/m', messages });
    const events: StreamEvent[] = [];
    for await (const event of stream) {
      events.push(event);
      if (event.type === 'token') stream.cancel();
    }
    expect(typesOf(events)).toEqual(['start', 'token', 'finish']);
    expect(last<FinishEvent>(events)).toMatchObject({ reason: 'cancelled', content: 'Hello' });
    expect(adapter.aborted).toBe(1);
  });

  it('cancel() while waiting for the adapter ends the pending next() at once', async () => {
    const adapter = scriptedAdapter([{ type: 'text', delta: 'Hello' }, { stall: true }]);
    const stream = client(adapter).stream({ model: 'mock/m', messages });
    await stream.next();
    await stream.next();
    const pending = stream.next();
    setTimeout(() => stream.cancel(), 20);
    await expect(pending).resolves.toMatchObject({
      done: false,
      value: { type: 'finish', reason: 'cancelled' },
    });
    await expect(stream.next()).resolves.toEqual({ done: true, value: undefined });
  });

  it('cancel() mid-tool-call keeps the open call in the finish event', async () => {
    const adapter = scriptedAdapter([
      { type: 'tool_call', index: 0, id: 'call_1', name: 'search', argumentsDelta: '{"q":' },
      { stall: true },
    ]);
    const stream = client(adapter).stream({ model: 'mock/m', messages });
    const events: StreamEvent[] = [];
    for await (const event of stream) {
      events.push(event);
      if (event.type === 'tool_call_chunk') stream.cancel();
    }
    expect(typesOf(events)).toEqual(['start', 'tool_call_chunk', 'finish']);
    expect(last<FinishEvent>(events)).toMatchObject({
      reason: 'cancelled',
      toolCalls: [{ id: 'call_1', name: 'search', arguments: '{"q":' }],
    });
  });

  it('an aborted AbortSignal cancels the stream', async () => {
    const controller = new AbortController();
    const adapter = scriptedAdapter([{ type: 'text', delta: 'Hi' }, { stall: true }]);
    const stream = client(adapter).stream({ model: 'mock/m', messages, signal: controller.signal });
    setTimeout(() => controller.abort(), 20);
    const events = await collectEvents(stream);
    expect(last<FinishEvent>(events)).toMatchObject({ reason: 'cancelled', content: 'Hi' });
    expect(adapter.aborted).toBe(1);
  });

  it('a signal aborted before iteration cancels without calling the adapter', async () => {
    const adapter = scriptedAdapter([{ type: 'text', delta: 'x' }]);
    const stream = client(adapter).stream({ model: 'mock/m', messages, signal: AbortSignal.abort() });
    expect(typesOf(await collectEvents(stream))).toEqual(['finish']);
    expect(adapter.calls).toBe(0);
  });

  it('breaking out of for-await cancels the stream and closes the adapter iterator', async () => {
    const adapter = scriptedAdapter([
      { type: 'text', delta: 'a' },
      { type: 'text', delta: 'b' },
      { stall: true },
    ]);
    const stream = client(adapter).stream({ model: 'mock/m', messages });
    for await (const event of stream) {
      if (event.type === 'token') break;
    }
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(adapter.aborted).toBe(1);
    expect(adapter.returned).toBe(1);
    await expect(stream.result()).resolves.toMatchObject({ reason: 'cancelled', content: 'a' });
  });
});

describe('retries and fallbacks', () => {
  it('retries a retryable error before the first content event', async () => {
    const adapter = scriptedAdapter([
      [{ type: 'start' }, { throw: overloaded() }],
      [
        { type: 'text', delta: 'second time' },
        { type: 'finish', reason: 'stop' },
      ],
    ]);
    const events = await collectEvents(client(adapter).stream({ model: 'mock/m', messages }));
    expect(typesOf(events)).toEqual(['start', 'token', 'finish']);
    expect(adapter.calls).toBe(2);
  });

  it('does not retry once output has reached the user', async () => {
    const adapter = scriptedAdapter([{ type: 'text', delta: 'half' }, { throw: overloaded() }]);
    const events = await collectEvents(client(adapter).stream({ model: 'mock/m', messages }));
    expect(last<ErrorEvent>(events).error.code).toBe('overloaded');
    expect(last<ErrorEvent>(events).partial.content).toBe('half');
    expect(adapter.calls).toBe(1);
  });

  it('does not retry a non-retryable error', async () => {
    const adapter = scriptedAdapter([
      { throw: new TokenwireError({ code: 'authentication', message: 'Invalid API key', status: 401 }) },
    ]);
    const events = await collectEvents(client(adapter).stream({ model: 'mock/m', messages }));
    expect(last<ErrorEvent>(events).error.code).toBe('authentication');
    expect(adapter.calls).toBe(1);
  });

  it('gives up after maxRetries and reports the last error', async () => {
    const adapter = scriptedAdapter([{ throw: overloaded() }]);
    const events = await collectEvents(client(adapter).stream({ model: 'mock/m', messages }));
    expect(typesOf(events)).toEqual(['error']);
    expect(adapter.calls).toBe(3);
  });

  it('waits for retry-after before retrying', async () => {
    const rateLimited = new TokenwireError({ code: 'rate_limit', message: 'Slow down', retryAfterMs: 150 });
    const adapter = scriptedAdapter([
      [{ throw: rateLimited }],
      [
        { type: 'text', delta: 'ok' },
        { type: 'finish', reason: 'stop' },
      ],
    ]);
    const started = performance.now();
    await client(adapter).stream({ model: 'mock/m', messages }).result();
    expect(performance.now() - started).toBeGreaterThanOrEqual(140);
    expect(adapter.calls).toBe(2);
  });

  it('does not wait for a retry-after longer than maxRetryAfterMs', async () => {
    const rateLimited = new TokenwireError({
      code: 'rate_limit',
      message: 'Come back in an hour',
      retryAfterMs: 3_600_000,
    });
    const adapter = scriptedAdapter([{ throw: rateLimited }]);
    const events = await collectEvents(client(adapter).stream({ model: 'mock/m', messages }));
    expect(last<ErrorEvent>(events).error.retryAfterMs).toBe(3_600_000);
    expect(adapter.calls).toBe(1);
  });

  it('falls back to the next model on a retryable error, naming the provider that answered', async () => {
    const primary = scriptedAdapter([{ throw: overloaded() }], 'primary');
    const secondary = scriptedAdapter(
      [
        { type: 'text', delta: 'from backup' },
        { type: 'finish', reason: 'stop' },
      ],
      'backup',
    );
    const tokenwire = createTokenwire({
      providers: { primary, backup: secondary },
      retries: { maxRetries: 1, initialDelayMs: 1 },
    });
    const events = await collectEvents(
      tokenwire.stream({ model: ['primary/big', 'backup/small'], messages }),
    );
    expect(events[0]).toEqual({ type: 'start', provider: 'backup', model: 'small' });
    expect(last<FinishEvent>(events)).toMatchObject({
      provider: 'backup',
      model: 'small',
      content: 'from backup',
    });
    expect(primary.calls).toBe(2);
    expect(secondary.calls).toBe(1);
  });

  it('cancel() during the retry backoff ends at once', async () => {
    const rateLimited = new TokenwireError({ code: 'rate_limit', message: 'wait', retryAfterMs: 10_000 });
    const adapter = scriptedAdapter([{ throw: rateLimited }]);
    const stream = client(adapter).stream({ model: 'mock/m', messages });
    const pending = stream.next();
    setTimeout(() => stream.cancel(), 30);
    await expect(pending).resolves.toMatchObject({ value: { type: 'finish', reason: 'cancelled' } });
    expect(adapter.calls).toBe(1);
  });

  it('maps vendor errors through the adapter normalizeError', async () => {
    const adapter = scriptedAdapter([{ throw: { vendor: 'quota' } }]);
    adapter.normalizeError = () => new TokenwireError({ code: 'quota_exceeded', message: 'Out of credit' });
    const events = await collectEvents(client(adapter).stream({ model: 'mock/m', messages }));
    expect(last<ErrorEvent>(events).error.code).toBe('quota_exceeded');
  });
});

describe('an adapter that never opens its stream', () => {
  it('times out on the idle limit instead of hanging', async () => {
    const adapter: Adapter = {
      name: 'silent',
      stream() {
        throw new Error('unused');
      },
      open: () => new Promise<never>(() => {}), // the server accepted the connection and said nothing
    };
    const events = await collectEvents(
      createTokenwire({ providers: { silent: adapter }, retries: 0 }).stream({
        model: 'silent/m',
        messages,
        timeouts: { idleMs: 50 },
      }),
    );
    expect(typesOf(events)).toEqual(['error']);
    expect(last<ErrorEvent>(events).error.message).toContain('idle timeout of 50 ms');
  });
});
