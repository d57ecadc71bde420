import { describe, expect, it } from 'vitest';
import { TokenwireError } from '../model/errors.js';
import type { ErrorEvent, FinishEvent, StreamEvent } from '../model/types.js';
import type { WarningHookEvent } from '../observe/hook-types.js';
import { createTokenwire, type TokenwireConfig } from '../runtime/create-tokenwire.js';
import {
  collectEvents,
  type Step,
  scriptedAdapter,
  typesOf,
} from '../runtime/scripted-adapter.test-helpers.js';
import type { Coordinator } from './coordinator.js';
import { inMemoryCoordinator } from './in-memory-coordinator.js';
import { SlotLimiter } from './slot-limiter.js';

const messages = [{ role: 'user' as const, content: 'Hi' }];
const answer: Step[] = [
  { type: 'text', delta: 'Hello' },
  { type: 'finish', reason: 'stop' },
];
const stalling: Step[] = [{ type: 'text', delta: 'Hello' }, { stall: true }];

function client(adapter: ReturnType<typeof scriptedAdapter>, config: TokenwireConfig = {}) {
  return createTokenwire({ providers: { mock: adapter }, retries: 0, ...config });
}

function last<T extends StreamEvent>(events: StreamEvent[]): T {
  return events[events.length - 1] as T;
}

/** A stream that has sent its request and delivered its first token. */
async function started(stream: AsyncIterable<StreamEvent>) {
  const iterator = stream[Symbol.asyncIterator]();
  expect((await iterator.next()).value).toMatchObject({ type: 'start' });
  expect((await iterator.next()).value).toMatchObject({ type: 'token' });
  return iterator;
}

describe('limits', () => {
  it('holds a stream beyond `concurrent` until a slot is free; the wait counts against firstTokenMs', async () => {
    const adapter = scriptedAdapter(stalling);
    const tokenwire = client(adapter, { limits: { mock: { concurrent: 2 } } });
    const first = await started(tokenwire.stream({ model: 'mock/m', messages }));
    await started(tokenwire.stream({ model: 'mock/m', messages }));
    const third = await collectEvents(
      tokenwire.stream({ model: 'mock/m', messages, timeouts: { firstTokenMs: 50 } }),
    );
    expect(last<ErrorEvent>(third).error).toMatchObject({ code: 'rate_limit' });
    expect(last<ErrorEvent>(third).error.message).toBe(
      'The mock request timed out before it was sent: it waited 50 ms (timeouts.firstTokenMs) for a free slot under limits mock/m concurrent: 2, all taken by running streams. Nothing was sent. Raise timeouts.firstTokenMs or the limit if requests should wait longer.',
    );
    expect(adapter.calls).toBe(2);
    await first.return?.();
    const fourth = await started(tokenwire.stream({ model: 'mock/m', messages }));
    expect(adapter.calls).toBe(3);
    await fourth.return?.();
  });

  it('lets a waiting stream be cancelled', async () => {
    const adapter = scriptedAdapter(stalling);
    const tokenwire = client(adapter, { limits: { mock: { concurrent: 1 } } });
    const holder = await started(tokenwire.stream({ model: 'mock/m', messages }));
    const controller = new AbortController();
    const waiting = collectEvents(tokenwire.stream({ model: 'mock/m', messages, signal: controller.signal }));
    controller.abort();
    expect(last<FinishEvent>(await waiting)).toMatchObject({ type: 'finish', reason: 'cancelled' });
    expect(adapter.calls).toBe(1);
    await holder.return?.();
  });

  const endings: Array<[string, Step[], (stream: AsyncIterable<StreamEvent>) => Promise<unknown>]> = [
    ['a finish', answer, collectEvents],
    ['an error', [{ type: 'text', delta: 'x' }, { throw: new Error('socket hang up') }], collectEvents],
    ['a consumer break', stalling, async (stream) => (await started(stream)).return?.()],
    [
      'a cancel',
      stalling,
      async (stream) => {
        await started(stream);
        (stream as unknown as { cancel(): void }).cancel();
      },
    ],
    ['an idle timeout', stalling, (stream) => collectEvents(stream)],
  ];
  for (const [ending, script, end] of endings) {
    it(`gives the slot back after ${ending}`, async () => {
      const adapter = scriptedAdapter([script, answer]);
      const tokenwire = client(adapter, { limits: { mock: { concurrent: 1 } } });
      await end(tokenwire.stream({ model: 'mock/m', messages, timeouts: { idleMs: 40 } }));
      // firstTokenMs turns a slot that was never given back into a failure instead of a hang.
      const next = await collectEvents(
        tokenwire.stream({ model: 'mock/m', messages, timeouts: { firstTokenMs: 2_000 } }),
      );
      expect(last<FinishEvent>(next)).toMatchObject({ type: 'finish', content: 'Hello' });
    });
  }

  it('renews the lease of a running stream, so that its slot is not taken back while it runs', async () => {
    const coordinator = inMemoryCoordinator();
    const limiter = new SlotLimiter(coordinator, () => {}, 60);
    const running = new AbortController();
    const slot = await limiter.acquire('mock:m:k', 'key:mock:k', { concurrent: 1 }, 0, running.signal);
    // Five lease lengths later the slot is still held: it was renewed every 20 ms.
    await new Promise((resolve) => setTimeout(resolve, 300));
    const request = { key: 'mock:m:k', limits: { concurrent: 1 }, tokens: 0, leaseMs: 60 };
    expect(await coordinator.acquireSlot(request)).toMatchObject({ granted: false });
    slot.release(0);
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(await coordinator.acquireSlot(request)).toMatchObject({ granted: true });
  });

  it('counts requests per minute per model', async () => {
    const adapter = scriptedAdapter(answer);
    const tokenwire = client(adapter, { limits: { 'mock/m': { requestsPerMinute: 2 } } });
    for (let index = 0; index < 2; index++)
      await collectEvents(tokenwire.stream({ model: 'mock/m', messages }));
    const third = await collectEvents(
      tokenwire.stream({ model: 'mock/m', messages, timeouts: { firstTokenMs: 50 } }),
    );
    expect(last<ErrorEvent>(third).error).toMatchObject({ code: 'rate_limit' });
    expect(last<ErrorEvent>(third).error.message).toContain(
      'for the next minute under limits mock/m requestsPerMinute: 2, used up this minute. Nothing was sent.',
    );
    // another model of the provider has no limit
    expect(last(await collectEvents(tokenwire.stream({ model: 'mock/other', messages })))).toMatchObject({
      type: 'finish',
    });
    expect(adapter.calls).toBe(3);
  });

  it('counts the output tokens a stream reported against tokensPerMinute', async () => {
    const adapter = scriptedAdapter([
      { type: 'text', delta: 'Hello' },
      { type: 'usage', usage: { inputTokens: 5, outputTokens: 500 } },
      { type: 'finish', reason: 'stop' },
    ]);
    const tokenwire = client(adapter, { limits: { mock: { tokensPerMinute: 400 } } });
    await collectEvents(tokenwire.stream({ model: 'mock/m', messages }));
    const second = await collectEvents(
      tokenwire.stream({ model: 'mock/m', messages, timeouts: { firstTokenMs: 50 } }),
    );
    expect(last<ErrorEvent>(second).error).toMatchObject({ code: 'rate_limit' });
    expect(adapter.calls).toBe(1);
  });

  it("holds the key for a 429's retry-after, then sends again", async () => {
    const rateLimited = new TokenwireError({ code: 'rate_limit', message: 'Slow down', retryAfterMs: 300 });
    const adapter = scriptedAdapter([[{ throw: rateLimited }], answer]);
    const coordinator = inMemoryCoordinator();
    const tokenwire = client(adapter, { coordinator });
    const limited = await collectEvents(tokenwire.stream({ model: 'mock/m', messages }));
    expect(last<ErrorEvent>(limited).error).toMatchObject({ code: 'rate_limit' });
    const held = await collectEvents(
      tokenwire.stream({ model: 'mock/m', messages, timeouts: { firstTokenMs: 50 } }),
    );
    expect(last<ErrorEvent>(held).error).toMatchObject({ code: 'rate_limit' });
    expect(last<ErrorEvent>(held).error.message).toMatch(
      /for the mock key's cooldown after a 429 \(rate limited\), which ends at \d{4}-\d\d-\d\dT[\d:.]+Z\. Nothing was sent\./,
    );
    expect(adapter.calls).toBe(1);
    // Another client on the same coordinator (another replica) is held too, until the cooldown ends.
    const other = client(adapter, { coordinator });
    const after = await collectEvents(other.stream({ model: 'mock/m', messages }));
    expect(last<FinishEvent>(after)).toMatchObject({ type: 'finish', content: 'Hello' });
    expect(adapter.calls).toBe(2);
  });

  it('lets streams through with one warning when the coordinator fails (fail open)', async () => {
    const broken = new Proxy(inMemoryCoordinator(), {
      get: (target, name) =>
        name === 'acquireSlot' || name === 'cooldownLeft'
          ? () => Promise.reject(new Error('connect ECONNREFUSED 127.0.0.1:6379'))
          : Reflect.get(target, name),
    });
    const warnings: WarningHookEvent[] = [];
    const adapter = scriptedAdapter(answer);
    const tokenwire = client(adapter, {
      coordinator: broken,
      limits: { mock: { concurrent: 1 } },
      hooks: [{ onWarning: (event) => warnings.push(event) }],
    });
    for (let index = 0; index < 2; index++) {
      const events = await collectEvents(tokenwire.stream({ model: 'mock/m', messages }));
      expect(typesOf(events)).toEqual(['start', 'token', 'finish']);
    }
    expect(warnings).toEqual([
      expect.objectContaining({
        code: 'coordinator_unavailable',
        message: expect.stringContaining('ECONNREFUSED'),
      }),
    ]);
  });

  it('never gives the coordinator the API key, only its fingerprint', async () => {
    const keys: string[] = [];
    const memory = inMemoryCoordinator();
    const recording: Coordinator = new Proxy(memory, {
      get: (target, name) => {
        const method = Reflect.get(target, name) as (...parameters: unknown[]) => unknown;
        return (...parameters: unknown[]) => {
          keys.push(JSON.stringify(parameters));
          return method.apply(target, parameters);
        };
      },
    });
    const adapter = Object.assign(scriptedAdapter(answer), { client: { apiKey: 'sk-test-secret-123456' } });
    const tokenwire = client(adapter, { coordinator: recording, limits: { mock: { concurrent: 1 } } });
    await collectEvents(tokenwire.stream({ model: 'mock/m', messages }));
    expect(keys.length).toBeGreaterThan(1);
    expect(keys.join('\n')).not.toContain('sk-test-secret');
    expect(keys.join('\n')).toMatch(/mock:m:[0-9a-f]{16}/);
  });

  it('refuses malformed limits with a configuration error naming the field', async () => {
    const adapter = scriptedAdapter(answer);
    const events = await collectEvents(
      client(adapter, { limits: { mock: { concurrent: 0 } } }).stream({ model: 'mock/m', messages }),
    );
    expect(last<ErrorEvent>(events).error.message).toContain(
      'limits.mock.concurrent must be a whole number of at least 1',
    );
    expect(adapter.calls).toBe(0);
  });
});
