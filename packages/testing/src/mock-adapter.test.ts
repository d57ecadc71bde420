import { createTokenwire, TokenwireError } from '@tokenwire/core';
import { describe, expect, it } from 'vitest';
import { collect } from './fixtures.js';
import { mockAdapter } from './mock-adapter.js';

const hello = [
  { type: 'text', delta: 'Hel' },
  { type: 'text', delta: 'lo' },
  { type: 'finish', reason: 'stop' },
] as const;

describe('mockAdapter', () => {
  it('yields its scripted deltas through the runtime', async () => {
    const adapter = mockAdapter([...hello]);
    const tokenwire = createTokenwire({ providers: { mock: adapter } });
    const events = await collect(
      tokenwire.stream({ model: 'mock/m', messages: [{ role: 'user', content: 'Hi' }] }),
    );
    expect(events.map((event) => event.type)).toEqual(['start', 'token', 'token', 'finish']);
    expect(events.at(-1)).toMatchObject({
      type: 'finish',
      content: 'Hello',
      reason: 'stop',
      provider: 'mock',
    });
    expect(adapter.name).toBe('mock');
    expect(adapter.calls).toHaveLength(1);
    expect(adapter.calls[0]?.request).toMatchObject({
      model: 'm',
      messages: [{ role: 'user', content: 'Hi' }],
    });
  });

  it('plays script N on call N and repeats the last script', async () => {
    const rateLimited = new TokenwireError({ code: 'rate_limit', message: 'slow down' });
    const adapter = mockAdapter([[{ throw: rateLimited }], [...hello]], { name: 'scripted' });
    const tokenwire = createTokenwire({ providers: { mock: adapter }, retries: { initialDelayMs: 1 } });
    const first = await collect(
      tokenwire.stream({ model: 'mock/m', messages: [{ role: 'user', content: 'Hi' }] }),
    );
    expect(first.at(-1)).toMatchObject({ type: 'finish', content: 'Hello' });
    const second = await collect(
      tokenwire.stream({ model: 'mock/m', messages: [{ role: 'user', content: 'Hi' }] }),
    );
    expect(second.at(-1)).toMatchObject({ type: 'finish', content: 'Hello' });
    expect(adapter.calls).toHaveLength(3);
    expect(adapter.name).toBe('scripted');
  });

  it('throws a scripted value, which ends the stream with an error', async () => {
    const adapter = mockAdapter([
      { type: 'text', delta: 'part' },
      { throw: new TokenwireError({ code: 'server', message: 'boom' }) },
    ]);
    const events = await collect(
      createTokenwire({ providers: { mock: adapter } }).stream({
        model: 'mock/m',
        messages: [{ role: 'user', content: 'Hi' }],
      }),
    );
    expect(events.at(-1)).toMatchObject({
      type: 'error',
      error: { code: 'server' },
      partial: { content: 'part' },
    });
  });

  it('ends a pending stall when the stream is cancelled and counts the abort', async () => {
    const adapter = mockAdapter([{ type: 'text', delta: 'so far' }, { stall: true }]);
    const stream = createTokenwire({ providers: { mock: adapter } }).stream({
      model: 'mock/m',
      messages: [{ role: 'user', content: 'Hi' }],
    });
    const events = [];
    for await (const event of stream) {
      events.push(event);
      if (event.type === 'token') stream.cancel();
    }
    expect(events.at(-1)).toMatchObject({ type: 'finish', reason: 'cancelled', content: 'so far' });
    expect(adapter.aborted).toBe(1);
    expect(adapter.calls[0]?.signal.aborted).toBe(true);
  });

  it('ends a pending delay when the idle timeout aborts the call', async () => {
    const adapter = mockAdapter([{ type: 'text', delta: 'a' }, { delayMs: 60_000 }, ...hello]);
    const stream = createTokenwire({ providers: { mock: adapter }, timeouts: { idleMs: 50 } }).stream({
      model: 'mock/m',
      messages: [{ role: 'user', content: 'Hi' }],
    });
    const events = await collect(stream);
    expect(events.at(-1)).toMatchObject({
      type: 'error',
      error: { code: 'timeout' },
      partial: { content: 'a' },
    });
    expect(adapter.aborted).toBe(1);
  });

  it('waits for a scripted delay', async () => {
    const adapter = mockAdapter([{ delayMs: 80 }, ...hello]);
    const started = performance.now();
    await collect(
      createTokenwire({ providers: { mock: adapter } }).stream({
        model: 'mock/m',
        messages: [{ role: 'user', content: 'Hi' }],
      }),
    );
    expect(performance.now() - started).toBeGreaterThanOrEqual(70);
    expect(adapter.aborted).toBe(0);
  });
});
