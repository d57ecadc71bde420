import { describe, expect, it } from 'vitest';
import type { ChatRequest, ChunkStream, ErrorEvent } from '../model/types.js';
import { loadApiKey } from '../request/request-helpers.js';
import { requestProblem } from '../request/request-problem.js';
import { createTokenwire } from '../runtime/create-tokenwire.js';
import { collectEvents } from '../runtime/scripted-adapter.test-helpers.js';
import { defineAdapter } from './define-adapter.js';

type Chunk = { text: string };

/** An adapter made the first-party way, over an in-memory "vendor" that records what it was sent. */
function acme(settings: Record<string, unknown> = {}, environment: Record<string, string> = {}) {
  const sent: ChatRequest[] = [];
  const adapter = defineAdapter(
    {
      name: 'acme',
      provider: (settings.provider as string | undefined) ?? 'acme',
      settings,
      settingKinds: { apiKey: 'string', baseURL: 'url' },
      client: () => ({
        key: loadApiKey({
          apiKey: settings.apiKey,
          environmentVariables: ['ACME_API_KEY'],
          provider: 'acme',
          environment,
        }),
      }),
      checkRequest(request) {
        if (request.seed !== undefined)
          throw requestProblem('seed', 'is not supported by Acme', request.seed, 'acme');
      },
      async open(request): Promise<ChunkStream<Chunk>> {
        void adapter.client; // builds the client: a missing key fails the request here
        sent.push(request);
        async function* chunks() {
          yield { text: 'Hi' };
        }
        return {
          chunks: chunks(),
          translate: (chunk, out) => {
            out.push({ type: 'text', delta: chunk.text });
            out.push({ type: 'finish', reason: 'stop' });
          },
        };
      },
      normalizeError: () => undefined,
    },
    { extraField: 'kept' },
  );
  return { adapter, sent };
}

const messages = [{ role: 'user' as const, content: 'Hi' }];
async function streamWith(adapter: ReturnType<typeof acme>['adapter'], seed?: number) {
  const tokenwire = createTokenwire({ providers: { acme: adapter } });
  return collectEvents(
    tokenwire.stream({ model: 'acme/m', messages, ...(seed === undefined ? {} : { seed }) }),
  );
}

describe('defineAdapter', () => {
  it('streams through open() and exposes the names, the client and extra fields', async () => {
    const { adapter, sent } = acme({ apiKey: 'acme-key-123' });
    expect((await streamWith(adapter)).map((event) => event.type)).toEqual(['start', 'token', 'finish']);
    expect(sent).toHaveLength(1);
    expect({ name: adapter.name, provider: adapter.provider, extra: adapter.extraField }).toEqual({
      name: 'acme',
      provider: 'acme',
      extra: 'kept',
    });
    expect(adapter.client).toEqual({ key: 'acme-key-123' });
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

  it('derives stream() from open() for callers without the runtime', async () => {
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
