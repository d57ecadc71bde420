import { createTokenwire, type ErrorEvent, type StreamEvent } from '@tokenwire/core';
import { collect, geminiScenarios, type ReplayServer } from '@tokenwire/testing';
import { useReplayServer } from '@tokenwire/testing/conformance';
import { describe, expect, it } from 'vitest';
import { createGoogleAdapter, type GoogleAdapterSettings } from './google-adapter.js';

describe('the direct transport through the adapter', () => {
  const server = useReplayServer();

  // A request with a system message, a tool and generation settings: every part of the body.
  const REQUEST = {
    model: 'google/gemini-2.5-flash',
    messages: [
      { role: 'system' as const, content: 'Be brief.' },
      { role: 'user' as const, content: 'Hi' },
    ],
    tools: [
      {
        name: 'weather',
        description: 'The weather.',
        parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
      },
    ],
    temperature: 0.5,
    maxTokens: 100,
  };
  const run = (settings: GoogleAdapterSettings): Promise<StreamEvent[]> => {
    const adapter = createGoogleAdapter({ apiKey: 'direct-key', baseURL: server.url, ...settings });
    const tokenwire = createTokenwire({ providers: { google: adapter }, retries: 0 });
    return collect(tokenwire.stream(REQUEST));
  };

  describe.each(['genai', 'generative-ai'] as const)('over the %s SDK', (sdk) => {
    /** The error event, or the request, of one stream per transport: they must be equal. */
    async function bothTransports<T>(
      script: Parameters<ReplayServer['enqueue']>[0],
      pick: (events: StreamEvent[]) => T,
    ): Promise<T[]> {
      const results: T[] = [];
      for (const transport of ['sdk', 'direct'] as const) {
        server.enqueue(script);
        results.push(pick(await run({ sdk, transport, headers: { 'x-extra': 'yes' } })));
      }
      return results;
    }
    const errorOf = (events: StreamEvent[]) => {
      const last = events.at(-1) as ErrorEvent;
      const { code, status, message, retryable, retryAfterMs } = last.error;
      return {
        type: last.type,
        code,
        status,
        message,
        retryable,
        retryAfterMs,
        partial: last.partial?.content,
      };
    };

    it('sends the same request on both transports', async () => {
      const [viaSdk, direct] = await bothTransports({ payloads: geminiScenarios.text.payloads }, () => {
        const { method, url, headers, body } = server.requests.at(-1) ?? {};
        const { 'user-agent': _agent, 'content-length': _length, ...rest } = headers ?? {};
        return { method, url, headers: rest, body };
      });
      expect(direct).toEqual(viaSdk);
      expect(viaSdk?.headers['x-extra']).toBe('yes');
    });

    it('gives an in-band error record the same error on both transports', async () => {
      const error = { code: 503, status: 'UNAVAILABLE', message: 'The model is overloaded.' };
      const [viaSdk, direct] = await bothTransports(
        { payloads: [geminiScenarios.text.payloads[0], { error }] },
        errorOf,
      );
      expect(direct).toEqual(viaSdk);
      expect(viaSdk).toMatchObject({ type: 'error', code: 'overloaded' });
    });

    it('gives a non-2xx answer the SDK’s error on both transports (status, RetryInfo delay)', async () => {
      const errorBody = {
        error: {
          code: 429,
          status: 'RESOURCE_EXHAUSTED',
          message: 'Quota exceeded.',
          details: [{ '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay: '7s' }],
        },
      };
      const [viaSdk, direct] = await bothTransports({ status: 429, errorBody }, errorOf);
      expect(direct).toEqual(viaSdk);
      expect(viaSdk).toMatchObject({ code: 'rate_limit', status: 429, retryAfterMs: 7000 });
    });
  });

  it('gives an in-band error record the same error on both transports', async () => {
    const error = { code: 429, status: 'RESOURCE_EXHAUSTED', message: 'Quota exceeded.' };
    const payloads = [geminiScenarios.text.payloads[0], { error }];
    const errors: unknown[] = [];
    for (const transport of ['sdk', 'direct'] as const) {
      server.enqueue({ payloads });
      const last = (await run({ transport })).at(-1) as ErrorEvent;
      const { code, status, message, retryable } = last.error;
      errors.push({ type: last.type, code, status, message, retryable, partial: last.partial.content });
    }
    expect(errors[1]).toEqual(errors[0]);
    expect(errors[0]).toMatchObject({ type: 'error', code: 'rate_limit', status: 429 });
  });

  it('closes the connection when the consumer stops early', async () => {
    server.enqueue({ payloads: geminiScenarios.text.payloads.slice(0, 1), holdOpen: true });
    const adapter = createGoogleAdapter({ apiKey: 'direct-key', baseURL: server.url, transport: 'direct' });
    const stream = createTokenwire({ providers: { google: adapter }, retries: 0 }).stream({
      model: 'google/gemini-2.5-flash',
      messages: [{ role: 'user', content: 'Hi' }],
    });
    for await (const event of stream) if (event.type === 'token') break;
    await server.waitForClientClose();
  });

  it('streams the 200 body’s byte reads with transport direct, and the SDK’s chunks without', async () => {
    const firsts: unknown[] = [];
    for (const transport of ['direct', 'sdk'] as const) {
      server.enqueue({ payloads: geminiScenarios.text.payloads });
      const adapter = createGoogleAdapter({ apiKey: 'direct-key', baseURL: server.url, transport });
      const controller = new AbortController();
      const request = { model: 'gemini-2.5-flash', messages: [{ role: 'user' as const, content: 'Hi' }] };
      const stream = await adapter.open?.(request, { signal: controller.signal } as never);
      const step = await stream?.chunks[Symbol.asyncIterator]().next();
      firsts.push(step?.value instanceof Uint8Array);
      stream?.close?.();
      controller.abort();
    }
    expect(firsts).toEqual([true, false]);
  });

  it('refuses another transport as the configuration error of the first request', async () => {
    const last = (await run({ transport: 'fast' as never })).at(-1) as ErrorEvent;
    expect(last.error.code).toBe('configuration');
    expect(last.error.message).toContain('transport');
  });
});
