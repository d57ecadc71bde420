import { createTokenwire, type ErrorEvent, type StreamEvent } from '@tokenwire/core';
import type { AdapterDelta } from '@tokenwire/core/adapter';
import { collect, geminiScenarios } from '@tokenwire/testing';
import { useReplayServer } from '@tokenwire/testing/conformance';
import { describe, expect, it } from 'vitest';
import { createGoogleAdapter } from './google-adapter.js';

const TEXT = geminiScenarios.text.payloads;

const server = useReplayServer();

// The SDKs' own body reading (transport 'sdk'); google-adapter.hardening.test.ts covers both transports.
describe.each(['genai', 'generative-ai'] as const)('connections of the %s SDK (transport sdk)', (sdk) => {
  const adapter = () => createGoogleAdapter({ apiKey: 'key', baseURL: server.url, sdk, transport: 'sdk' });
  const stream = () =>
    createTokenwire({ providers: { google: adapter() }, retries: 0 }).stream({
      model: 'google/gemini-2.5-flash',
      messages: [{ role: 'user', content: 'Hi' }],
    });

  it('closes the connection when the consumer breaks out of the loop', async () => {
    server.enqueue({ payloads: TEXT, stallAfter: 2 });
    const contents: string[] = [];
    for await (const event of stream()) {
      if (event.type === 'token') {
        contents.push(event.content);
        break;
      }
    }
    await server.waitForClientClose();
    expect(contents).toEqual(['Hello']);
  });

  it('closes the connection when the adapter’s own iteration stops early, without any abort from outside', async () => {
    // Neither SDK closes the connection when iteration stops; the adapter aborts its own request.
    server.enqueue({ payloads: TEXT, stallAfter: 2 });
    const deltas: AdapterDelta[] = [];
    const signal = new AbortController().signal;
    for await (const delta of adapter().stream(
      { model: 'gemini-2.5-flash', messages: [{ role: 'user', content: 'Hi' }] },
      { signal },
    )) {
      deltas.push(delta);
      if (delta.type === 'text') break;
    }
    await server.waitForClientClose();
    expect(deltas).toEqual([
      { type: 'start', model: 'test-model', responseId: 'resp_conformance' },
      { type: 'text', delta: 'Hello' },
    ]);
  });

  it('closes the connection when the runtime closes an opened chunk stream early', async () => {
    server.enqueue({ payloads: TEXT, stallAfter: 2 });
    const signal = new AbortController().signal;
    const opened = await adapter().open!(
      { model: 'gemini-2.5-flash', messages: [{ role: 'user', content: 'Hi' }] },
      { signal },
    );
    const deltas: AdapterDelta[] = [];
    for await (const chunk of opened.chunks) {
      opened.translate(chunk, deltas);
      break;
    }
    opened.close?.();
    await server.waitForClientClose();
    expect(deltas).toEqual([
      { type: 'start', model: 'test-model', responseId: 'resp_conformance' },
      { type: 'text', delta: 'Hello' },
    ]);
  });

  it('ends a stream whose socket is destroyed mid-stream with a connection error that keeps the partial text', async () => {
    server.enqueue({ payloads: TEXT, destroyAfter: 2 });
    const last = (await collect(stream())).at(-1);
    expect(last?.type === 'error' && [last.error.code, last.error.retryable, last.partial.content]).toEqual([
      'connection',
      true,
      'Hello, ',
    ]);
  });
});

describe('SDK quirks (transport sdk)', () => {
  const run = (sdk: 'genai' | 'generative-ai', transport: 'sdk' | 'direct' = 'sdk'): Promise<StreamEvent[]> =>
    collect(
      createTokenwire({
        providers: { google: createGoogleAdapter({ apiKey: 'key', baseURL: server.url, sdk, transport }) },
        retries: 0,
      }).stream({ model: 'google/gemini-2.5-flash', messages: [{ role: 'user', content: 'Hi' }] }),
    );

  it('genai does not re-request mid-stream after a dropped connection (automatic continuation is off)', async () => {
    const withToken = TEXT.map((payload) => {
      const chunk = structuredClone(payload) as { candidates: Array<Record<string, unknown>> };
      (chunk.candidates[0] as Record<string, unknown>).continuationToken = 'ckpt-1';
      return chunk;
    });
    server.enqueue({ payloads: withToken, destroyAfter: 2 }, { payloads: TEXT });
    const last = (await run('genai')).at(-1);
    expect([last?.type === 'error' && last.error.code, server.requests.length]).toEqual(['connection', 1]);
  });

  it('genai reads a stream with SSE comment lines', async () => {
    server.enqueue({ payloads: TEXT, keepAlive: true });
    expect((await run('genai')).at(-1)).toMatchObject({ type: 'finish', content: 'Hello, world!' });
  });

  it('the legacy SDK cannot read SSE comment lines: invalid_response that says to use genai', async () => {
    server.enqueue({ payloads: TEXT, keepAlive: true });
    const events = await run('generative-ai');
    expect(events.at(-1)).toMatchObject({ type: 'error', error: { code: 'invalid_response' } });
    const { message } = (events.at(-1) as ErrorEvent).error;
    expect([message.includes('SSE comment or event lines'), message.includes("sdk: 'genai'")]).toEqual([
      true,
      true,
    ]);
  });

  it('over the direct transport (the default), the legacy SDK still reads its body itself: the same error', async () => {
    server.enqueue({ payloads: TEXT, keepAlive: true });
    const viaSdk = (await run('generative-ai')).at(-1);
    server.enqueue({ payloads: TEXT, keepAlive: true });
    expect((await run('generative-ai', 'direct')).at(-1)).toEqual(viaSdk);
  });

  it('the legacy SDK yields an in-band error record as a chunk: it becomes the stream error', async () => {
    server.enqueue({ payloads: TEXT, inBandError: { after: 2, code: 429, message: 'Quota exceeded' } });
    const last = (await run('generative-ai')).at(-1);
    expect(
      last?.type === 'error' && [
        last.error.code,
        last.error.status,
        last.error.message,
        last.partial.content,
      ],
    ).toEqual(['rate_limit', 429, 'google API error 429 RESOURCE_EXHAUSTED: Quota exceeded', 'Hello, ']);
  });
});
