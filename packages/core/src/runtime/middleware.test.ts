import { describe, expect, it } from 'vitest';
import { TokenwireError } from '../model/errors.js';
import type { Adapter, AdapterDelta, ErrorEvent, FinishEvent } from '../model/types.js';
import { createTokenwire } from './create-tokenwire.js';
import { type Middleware, wrapAdapter } from './middleware.js';
import { collectEvents, type Step, scriptedAdapter } from './scripted-adapter.test-helpers.js';

const messages = [{ role: 'user' as const, content: 'Hi' }];
const answer: Step[] = [
  { type: 'text', delta: 'Hello' },
  { type: 'text', delta: ' world' },
  { type: 'finish', reason: 'stop' },
];

/** A cache of whole answers keyed on the request: a hit streams the recorded deltas, no provider call. */
function cache(): Middleware {
  const answers = new Map<string, AdapterDelta[]>();
  return {
    async *wrapStream({ request, next }) {
      const key = JSON.stringify(request);
      const cached = answers.get(key);
      if (cached !== undefined) {
        yield* cached;
        return;
      }
      const recorded: AdapterDelta[] = [];
      for await (const delta of next()) {
        recorded.push(delta);
        yield delta;
      }
      answers.set(key, recorded);
    },
  };
}

describe('wrapAdapter', () => {
  it('returns the adapter itself without middleware', () => {
    const adapter = scriptedAdapter(answer);
    expect(wrapAdapter(adapter)).toBe(adapter);
  });

  it('transforms the request in order and keeps the open() fast path for request-only middleware', async () => {
    const seen: unknown[] = [];
    const inner = scriptedAdapter(answer);
    const withOpen: Adapter = { ...inner, name: 'mock', stream: inner.stream, open: undefined };
    const fast: Adapter = {
      name: 'fast',
      stream: (request, context) => inner.stream(request, context),
      async open(request) {
        seen.push(request);
        return {
          chunks: inner.stream(request, { signal: new AbortController().signal }),
          translate: (chunk, out) => void out.push(chunk as AdapterDelta),
        };
      },
    };
    const layers: Middleware[] = [
      { transformRequest: (request) => ({ temperature: 0.2, ...request }) },
      { transformRequest: (request) => ({ ...request, maxTokens: 99 }) },
    ];
    expect(wrapAdapter(withOpen, ...layers).open).toBeUndefined();
    const wrapped = wrapAdapter(fast, ...layers);
    expect(wrapped.open).toBeTypeOf('function');
    const finish = await createTokenwire({ providers: { fast: wrapped } })
      .stream({ model: 'fast/m', messages })
      .result();
    expect(finish.content).toBe('Hello world');
    expect(seen).toEqual([expect.objectContaining({ temperature: 0.2, maxTokens: 99, model: 'm' })]);
  });

  it('lets wrapStream rewrite the deltas, the first middleware outermost', async () => {
    const upper: Middleware = {
      async *wrapStream({ next }) {
        for await (const delta of next())
          yield delta.type === 'text' ? { ...delta, delta: delta.delta.toUpperCase() } : delta;
      },
    };
    const exclaim: Middleware = {
      async *wrapStream({ next }) {
        for await (const delta of next())
          yield delta.type === 'text' ? { ...delta, delta: `${delta.delta}!` } : delta;
      },
    };
    const adapter = wrapAdapter(scriptedAdapter(answer), upper, exclaim);
    const finish = await createTokenwire({ providers: { mock: adapter } })
      .stream({ model: 'mock/m', messages })
      .result();
    expect(finish.content).toBe('HELLO! WORLD!');
  });

  it('lets a cache answer without calling the provider', async () => {
    const inner = scriptedAdapter(answer);
    const tokenwire = createTokenwire({ providers: { mock: inner }, middleware: [cache()] });
    const first = await tokenwire.stream({ model: 'mock/m', messages }).result();
    const second = await tokenwire.stream({ model: 'mock/m', messages }).result();
    const other = await tokenwire
      .stream({ model: 'mock/m', messages: [{ role: 'user', content: 'Other' }] })
      .result();
    expect([first.content, second.content, other.content]).toEqual([
      'Hello world',
      'Hello world',
      'Hello world',
    ]);
    expect(inner.calls).toBe(2); // the repeated request was answered from the cache
  });

  it('ends the stream with the error a transform throws, nothing sent', async () => {
    const inner = scriptedAdapter(answer);
    const guard: Middleware = {
      transformRequest(request) {
        if (JSON.stringify(request.messages).includes('password'))
          throw new TokenwireError({ code: 'invalid_request', message: 'The request mentions a password.' });
        return request;
      },
    };
    const tokenwire = createTokenwire({ providers: { mock: wrapAdapter(inner, guard) } });
    const events = await collectEvents(
      tokenwire.stream({ model: 'mock/m', messages: [{ role: 'user', content: 'my password is x' }] }),
    );
    expect((events.at(-1) as ErrorEvent).error).toMatchObject({
      code: 'invalid_request',
      message: 'The request mentions a password.',
    });
    expect(inner.calls).toBe(0);
    expect(((await tokenwire.stream({ model: 'mock/m', messages }).result()) as FinishEvent).content).toBe(
      'Hello world',
    );
  });

  it('refuses middleware that is not a list of objects of functions', async () => {
    const tokenwire = createTokenwire({
      providers: { mock: scriptedAdapter(answer) },
      middleware: [{ wrapStream: 'x' } as never],
    });
    const events = await collectEvents(tokenwire.stream({ model: 'mock/m', messages }));
    expect((events[0] as ErrorEvent).error.message).toContain('middleware[0].wrapStream must be a function');
  });
});
