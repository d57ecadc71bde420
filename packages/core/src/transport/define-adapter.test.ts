import { describe, expect, it } from 'vitest';
import type { Adapter, ChatRequest, ErrorEvent, FinishEvent } from '../model/types.js';
import { loadApiKey } from '../request/request-helpers.js';
import { requestProblem } from '../request/request-problem.js';
import { createTokenwire } from '../runtime/create-tokenwire.js';
import { collectEvents } from '../runtime/scripted-adapter.test-helpers.js';
import type { Sent } from './adapter-parts.js';
import { defineAdapter } from './define-adapter.js';
import { END_OF_STREAM } from './wire.js';

type Chunk = { text: string; last?: boolean };

/** An in-memory "vendor" SDK: a 200 SSE body to hand over, or its own parsed chunks. */
const vendor = {
  body: (reads: string[]) =>
    new ReadableStream<Uint8Array>({
      start(controller) {
        for (const read of reads) controller.enqueue(new TextEncoder().encode(read));
        controller.close();
      },
    }),
  async *chunks(): AsyncGenerator<Chunk> {
    yield { text: 'Hi' };
    yield { text: '', last: true };
  },
};

/** An adapter made from parts, over the in-memory vendor, which records what it was sent. */
function acme(settings: Record<string, unknown> = {}, environment: Record<string, string> = {}) {
  const sent: ChatRequest[] = [];
  const adapter = defineAdapter(
    {
      name: 'acme',
      provider: (settings.provider as string | undefined) ?? 'acme',
      settings,
      settingKinds: { apiKey: 'string', baseURL: 'url', transport: ['direct', 'sdk'], reads: 'object' },
      client: () => ({
        key: loadApiKey({
          apiKey: settings.apiKey,
          environmentVariables: ['ACME_API_KEY'],
          provider: 'acme',
          environment,
        }),
      }),
      checkRequest: (request) =>
        request.seed === undefined
          ? undefined
          : requestProblem('seed', 'is not supported by Acme', request.seed, 'acme'),
      async send(_client, request, { transport }): Promise<Sent<Chunk>> {
        sent.push(request);
        if (transport === 'sdk') return { chunks: vendor.chunks() };
        const reads = (settings.reads as string[] | undefined) ?? ['data: {"text":"Hi"}\n\ndata: [DONE]\n\n'];
        return { body: vendor.body(reads), headers: new Headers({ 'content-type': 'text/event-stream' }) };
      },
      wire: 'sse',
      record: (record) => (record.data === '[DONE]' ? END_OF_STREAM : (JSON.parse(record.data) as Chunk)),
      translator: {
        start: () => ({ chunks: 0 }),
        translate(chunk, state, out) {
          state.chunks++;
          if (chunk.text !== '') out.push({ type: 'text', delta: chunk.text });
          return chunk.last === true;
        },
        end: (state, out) => out.push({ type: 'finish', reason: state.chunks > 0 ? 'stop' : 'other' }),
      },
      normalizeError: () => undefined,
      endpoint: () => 'https://api.acme.test/v1',
    },
    { extraField: 'kept' },
  );
  return { adapter, sent };
}

const messages = [{ role: 'user' as const, content: 'Hi' }];
async function streamWith(adapter: Adapter, seed?: number) {
  const tokenwire = createTokenwire({ providers: { acme: adapter } });
  return collectEvents(
    tokenwire.stream({ model: 'acme/m', messages, ...(seed === undefined ? {} : { seed }) }),
  );
}

describe('defineAdapter', () => {
  it('streams on the direct transport and exposes the names, the client, the endpoint and extra fields', async () => {
    const { adapter, sent } = acme({ apiKey: 'acme-key-123' });
    expect((await streamWith(adapter)).map((event) => event.type)).toEqual(['start', 'token', 'finish']);
    expect(sent).toHaveLength(1);
    expect({ name: adapter.name, provider: adapter.provider, extra: adapter.extraField }).toEqual({
      name: 'acme',
      provider: 'acme',
      extra: 'kept',
    });
    expect(adapter.client).toEqual({ key: 'acme-key-123' });
    expect({ transport: adapter.transport, endpoint: adapter.endpoint?.() }).toEqual({
      transport: 'direct',
      endpoint: 'https://api.acme.test/v1',
    });
  });

  it('streams the same events on the sdk transport, from the SDK’s own chunks', async () => {
    const direct = await streamWith(acme({ apiKey: 'acme-key-123' }).adapter);
    const sdk = await streamWith(acme({ apiKey: 'acme-key-123', transport: 'sdk' }).adapter);
    expect(sdk).toEqual(direct);
    expect((sdk.at(-1) as FinishEvent).content).toBe('Hi');
  });

  it('ends at END_OF_STREAM and reads nothing after it', async () => {
    const reads = ['data: {"text":"Hi"}\n\ndata: [DONE]\n\ndata: {"text":" never"}\n\n'];
    const events = await streamWith(acme({ apiKey: 'acme-key-123', reads }).adapter);
    expect(events.at(-1)).toMatchObject({ type: 'finish', content: 'Hi' });
  });

  it('refuses a 200 body that is not an event stream, naming what came', async () => {
    const events = await streamWith(acme({ apiKey: 'acme-key-123', reads: ['{"error":"no"}'] }).adapter);
    expect((events.at(-1) as ErrorEvent).error.message).toBe(
      'acme answered the request with a body of type text/event-stream ("{"error":"no"}"), not an event stream: is the base URL right?',
    );
  });

  it('reports checkSettings’ problem on every request and from client', async () => {
    const problem = requestProblem('baseURL', 'conflicts with client', 'x', 'acme');
    const adapter = defineAdapter({
      ...{ name: 'acme', provider: 'acme', settings: {}, settingKinds: {}, wire: 'sse' as const },
      checkSettings: () => problem,
      client: () => ({}),
      send: async () => ({ chunks: vendor.chunks() }),
      record: () => undefined,
      translator: { start: () => undefined, translate: () => false },
      normalizeError: () => undefined,
    });
    expect((await streamWith(adapter)).map((event) => event.type)).toEqual(['error']);
    expect(() => adapter.client).toThrow(problem);
  });

  it('reports an unknown setting as the configuration error of the first request, without throwing', async () => {
    const { adapter, sent } = acme({ apiKey: 'acme-key-123', baseUrl: 'http://x' });
    const events = await streamWith(adapter);
    expect(events.map((event) => event.type)).toEqual(['error']);
    expect((events[0] as ErrorEvent).error).toMatchObject({ code: 'configuration', provider: 'acme' });
    expect((events[0] as ErrorEvent).error.message).toContain('Did you mean baseURL?');
    expect(sent).toEqual([]);
    expect(() => adapter.client).toThrow(/baseUrl/);
  });

  it('reports a missing key on the first request, naming the variable', async () => {
    const { adapter, sent } = acme();
    const events = await streamWith(adapter);
    expect((events[0] as ErrorEvent).error.message).toBe(
      "No API key for provider 'acme': set the ACME_API_KEY environment variable, or pass apiKey in the 'acme' provider settings.",
    );
    expect(sent).toEqual([]);
  });

  it('checks the provider limits before sending', async () => {
    const { adapter, sent } = acme({ apiKey: 'acme-key-123' });
    const events = await streamWith(adapter, 7);
    expect((events[0] as ErrorEvent).error).toMatchObject({
      code: 'invalid_request',
      message: 'Invalid request: seed is not supported by Acme; got 7. Nothing was sent.',
    });
    expect(sent).toEqual([]);
  });

  it('derives stream() for callers without the runtime', async () => {
    const { adapter } = acme({ apiKey: 'acme-key-123' });
    const deltas = [];
    for await (const delta of adapter.stream(
      { model: 'm', messages },
      { signal: new AbortController().signal },
    )) {
      deltas.push(delta);
    }
    expect(deltas).toEqual([
      { type: 'text', delta: 'Hi' },
      { type: 'finish', reason: 'stop' },
    ]);
  });
});
