import { describe, expect, it } from 'vitest';
import type { Adapter, ChunkStream, ErrorEvent, StreamEvent } from '../model/types.js';
import { createTokenwire } from './create-tokenwire.js';
import { collectEvents, scriptedAdapter, typesOf } from './scripted-adapter.test-helpers.js';

const messages = [{ role: 'user' as const, content: 'Hi' }];
const errorOf = (events: StreamEvent[]) => (events.at(-1) as ErrorEvent).error;

describe('size limits (maxBytes)', () => {
  it('ends with invalid_response naming maxBytes.toolArguments, keeping what arrived', async () => {
    const adapter = scriptedAdapter([
      { type: 'text', delta: 'Calling.' },
      { type: 'tool_call', index: 0, id: 'c1', name: 'write', argumentsDelta: '{"text":"' },
      ...Array.from({ length: 20 }, () => ({
        type: 'tool_call' as const,
        index: 0,
        argumentsDelta: 'x'.repeat(10),
      })),
      { type: 'finish', reason: 'tool_calls' },
    ]);
    const tokenwire = createTokenwire({ providers: { mock: adapter }, maxBytes: { toolArguments: 100 } });
    const events = await collectEvents(tokenwire.stream({ model: 'mock/m', messages }));
    expect(errorOf(events)).toMatchObject({ code: 'invalid_response', retryable: false });
    expect(errorOf(events).message).toContain('over maxBytes.toolArguments (100)');
    expect(events.at(-1)).toMatchObject({ partial: { content: 'Calling.' } });
  });

  it('caps a whole call that arrives in one piece, too', async () => {
    const adapter = scriptedAdapter([
      { type: 'tool_call', id: 'c1', name: 'write', argumentsDelta: `{"text":"${'y'.repeat(200)}"}` },
      { type: 'finish', reason: 'tool_calls' },
    ]);
    const tokenwire = createTokenwire({ providers: { mock: adapter }, maxBytes: { toolArguments: 100 } });
    expect(errorOf(await collectEvents(tokenwire.stream({ model: 'mock/m', messages }))).message).toContain(
      'maxBytes.toolArguments',
    );
  });

  it('ends with invalid_response naming maxBytes.record for one oversized delta', async () => {
    const adapter = scriptedAdapter([
      { type: 'text', delta: 'ok ' },
      { type: 'text', delta: 'z'.repeat(1_000) },
      { type: 'finish', reason: 'stop' },
    ]);
    const tokenwire = createTokenwire({ providers: { mock: adapter }, maxBytes: { record: 500 } });
    const error = errorOf(await collectEvents(tokenwire.stream({ model: 'mock/m', messages })));
    expect(error.message).toBe(
      'A text delta from mock is 1,000 characters, over maxBytes.record (500). Raise createTokenwire({ maxBytes: { record } }) if the provider really sends this much.',
    );
  });

  it('cuts a long error message at maxBytes.errorMessage', async () => {
    const adapter = scriptedAdapter([{ throw: new Error(`<html>${'page '.repeat(500)}</html>`) }]);
    const tokenwire = createTokenwire({
      providers: { mock: adapter },
      retries: 0,
      maxBytes: { errorMessage: 120 },
    });
    const error = errorOf(await collectEvents(tokenwire.stream({ model: 'mock/m', messages })));
    expect(error.message.length).toBeLessThan(180);
    expect(error.message.endsWith('… (cut at maxBytes.errorMessage)')).toBe(true);
  });

  it('refuses a limit that is not a whole number', async () => {
    const tokenwire = createTokenwire({ maxBytes: { record: 1.5 } });
    const events = await collectEvents(tokenwire.stream({ model: 'mock/m', messages }));
    expect(errorOf(events)).toMatchObject({ code: 'configuration' });
    expect(errorOf(events).message).toContain('maxBytes.record must be a whole number of at least 64');
  });
});

describe('streams that should have ended', () => {
  it('times out a stream whose records bring no content (idleMs counts events, not chunks)', async () => {
    // A usage-only delta every 40 ms, like a server's empty records on a timer: nothing for the user.
    const heartbeat = Array.from({ length: 40 }, () => [
      { type: 'usage' as const, usage: { outputTokens: 1 } },
      { wait: 40 },
    ]).flat();
    const adapter = scriptedAdapter([
      { type: 'text', delta: 'Hello' },
      ...heartbeat,
      { type: 'finish', reason: 'stop' },
    ]);
    const tokenwire = createTokenwire({
      providers: { mock: adapter },
      retries: 0,
      timeouts: { idleMs: 200 },
    });
    const events = await collectEvents(tokenwire.stream({ model: 'mock/m', messages }));
    expect(errorOf(events)).toMatchObject({ code: 'timeout' });
    expect(errorOf(events).message).toContain('idle timeout of 200 ms');
    expect(events.at(-1)).toMatchObject({ partial: { content: 'Hello' } });
  });

  it('finishes at the terminal record and closes the connection, though the server holds it open', async () => {
    const state = { closed: 0, aborted: false };
    const adapter: Adapter = {
      name: 'vendor',
      stream() {
        throw new Error('the runtime uses open()');
      },
      async open(_request, { signal }): Promise<ChunkStream<string>> {
        signal.addEventListener('abort', () => {
          state.aborted = true;
        });
        async function* chunks() {
          yield 'Hello';
          yield 'DONE';
          await new Promise((resolve) => signal.addEventListener('abort', resolve)); // held open
        }
        return {
          chunks: chunks(),
          translate(chunk, out) {
            if (chunk !== 'DONE') {
              out.push({ type: 'text', delta: chunk });
              return false;
            }
            out.push({ type: 'finish', reason: 'stop' });
            return true;
          },
          close() {
            state.closed++;
          },
        };
      },
    };
    const tokenwire = createTokenwire({ providers: { vendor: adapter }, timeouts: { idleMs: 60_000 } });
    const events = await collectEvents(tokenwire.stream({ model: 'vendor/m', messages }));
    expect(typesOf(events)).toEqual(['start', 'token', 'finish']);
    expect(state).toEqual({ closed: 1, aborted: true });
  });

  it('releases the connection on a normal end too', async () => {
    const adapter = scriptedAdapter([
      { type: 'text', delta: 'Hi' },
      { type: 'finish', reason: 'stop' },
    ]);
    await collectEvents(
      createTokenwire({ providers: { mock: adapter } }).stream({ model: 'mock/m', messages }),
    );
    expect(adapter.aborted).toBe(1);
  });
});

describe('the request size (maxBytes.request)', () => {
  const answer = () =>
    scriptedAdapter([
      { type: 'text', delta: 'ok' },
      { type: 'finish', reason: 'stop' },
    ]);

  it('refuses a 33 MB message by default, naming the field, without sending it', async () => {
    const adapter = answer();
    const tokenwire = createTokenwire({ providers: { mock: adapter } });
    const huge = [{ role: 'user' as const, content: 'x'.repeat(33 * 1024 * 1024) }];
    const events = await collectEvents(tokenwire.stream({ model: 'mock/m', messages: huge }));
    expect(typesOf(events)).toEqual(['error']);
    expect(errorOf(events)).toMatchObject({ code: 'invalid_request', retryable: false });
    expect(errorOf(events).message).toContain('over maxBytes.request (33,554,432 bytes serialized');
    expect(errorOf(events).message).toMatch(/Nothing was sent\.$/);
    expect(adapter.calls).toBe(0);
  });

  it('counts characters as UTF-8 and images as their data, under a configured limit', async () => {
    const adapter = answer();
    const tokenwire = createTokenwire({ providers: { mock: adapter }, maxBytes: { request: 4_000 } });
    const accented = [{ role: 'user' as const, content: 'é'.repeat(1_500) }]; // 3,000 bytes: sent
    expect(typesOf(await collectEvents(tokenwire.stream({ model: 'mock/m', messages: accented })))).toContain(
      'finish',
    );
    const wide = [{ role: 'user' as const, content: '€'.repeat(1_500) }]; // 4,500 bytes: refused
    expect(errorOf(await collectEvents(tokenwire.stream({ model: 'mock/m', messages: wide })))).toMatchObject(
      {
        code: 'invalid_request',
      },
    );
    const image = [
      {
        role: 'user' as const,
        content: [{ type: 'image' as const, data: 'A'.repeat(5_000), mediaType: 'image/png' }],
      },
    ];
    expect(
      errorOf(await collectEvents(tokenwire.stream({ model: 'mock/m', messages: image }))),
    ).toMatchObject({
      code: 'invalid_request',
    });
    expect(adapter.calls).toBe(1);
  });

  it('refuses a maxBytes.request that is not a whole number', async () => {
    const tokenwire = createTokenwire({ maxBytes: { request: -1 } });
    const events = await collectEvents(tokenwire.stream({ model: 'mock/m', messages }));
    expect(errorOf(events).message).toContain('maxBytes.request must be a whole number of at least 64');
  });
});
