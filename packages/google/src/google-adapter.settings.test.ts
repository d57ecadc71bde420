import { GoogleGenAI } from '@google/genai';
import { GoogleGenerativeAI } from '@google/generative-ai';
import { createTokenwire, type ErrorEvent, TokenwireError } from '@tokenwire/core';
import { collect, geminiScenarios } from '@tokenwire/testing';
import { useReplayServer } from '@tokenwire/testing/conformance';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createAdapter, createGoogleAdapter, type GoogleAdapterSettings } from './google-adapter.js';

const TEXT = geminiScenarios.text.payloads;

const server = useReplayServer();
beforeEach(() => {
  vi.stubEnv('GEMINI_API_KEY', undefined);
  vi.stubEnv('GOOGLE_API_KEY', undefined);
});
afterEach(() => {
  vi.unstubAllEnvs();
});

/** The events of the first request through an adapter made from `settings` (untyped: users' JSON is too). */
async function firstRequest(settings: Record<string, unknown>) {
  const adapter = createGoogleAdapter(settings as GoogleAdapterSettings);
  const tokenwire = createTokenwire({ providers: { google: adapter }, retries: 0 });
  return collect(tokenwire.stream({ model: 'google/m', messages: [{ role: 'user', content: 'Hi' }] }));
}

/** The one error event of a request that sent nothing: its code and message. */
function refusal(events: Awaited<ReturnType<typeof firstRequest>>) {
  expect(events.map((event) => event.type)).toEqual(['error']);
  expect(server.requests).toEqual([]);
  const { code, message, retryable } = (events[0] as ErrorEvent).error;
  return { code, message, retryable };
}

describe('createGoogleAdapter: setup problems are the configuration error of the first request', () => {
  it('names the closest known setting for an unknown one', async () => {
    const { code, message } = refusal(await firstRequest({ apiKey: 'key', baseUrl: server.url }));
    expect([code, message.includes("'baseUrl'"), message.includes('Did you mean baseURL?')]).toEqual([
      'configuration',
      true,
      true,
    ]);
  });

  it.each([
    [{ apiKey: 42 }, "Invalid configuration: apiKey (provider 'google') must be a string; got 42."],
    [
      { apiKey: 'key', sdk: 'vertex' },
      'sdk (provider \'google\') must be one of genai, generative-ai; got "vertex".',
    ],
    [
      { apiKey: 'key', baseURL: 'localhost:8080' },
      "baseURL (provider 'google') must be an absolute http(s) URL",
    ],
    [
      { apiKey: 'key', headers: { 'x-team': 1 } },
      "headers (provider 'google') must be an object of header names",
    ],
  ])('refuses a setting of the wrong kind: %j', async (settings, says) => {
    const { code, message } = refusal(await firstRequest(settings));
    expect([code, message.includes(says)]).toEqual(['configuration', true]);
  });

  it('names both key variables when no key is configured', async () => {
    expect(refusal(await firstRequest({ baseURL: server.url }))).toEqual({
      code: 'configuration',
      retryable: false,
      message:
        "No API key for provider 'google': set the GEMINI_API_KEY (or GOOGLE_API_KEY) environment variable, or pass apiKey in the 'google' provider settings.",
    });
  });

  it('refuses a client of the other SDK than the one asked for, or of neither SDK', async () => {
    const other = refusal(await firstRequest({ client: new GoogleGenerativeAI('key'), sdk: 'genai' }));
    const neither = refusal(await firstRequest({ client: { models: {} } }));
    expect([other.code, other.message, neither.code, neither.message]).toEqual([
      'configuration',
      "The client is a GoogleGenerativeAI, but sdk is 'genai'.",
      'configuration',
      'The client is neither a GoogleGenAI (@google/genai) nor a GoogleGenerativeAI (@google/generative-ai).',
    ]);
  });

  it('reports a missing key again on a later request, and uses a key set since', async () => {
    const adapter = createGoogleAdapter({ baseURL: server.url, sdk: 'genai' });
    const tokenwire = createTokenwire({ providers: { google: adapter }, retries: 0 });
    const request = { model: 'google/m', messages: [{ role: 'user' as const, content: 'Hi' }] };
    const first = (await collect(tokenwire.stream(request))).at(-1);
    vi.stubEnv('GOOGLE_API_KEY', 'google-env-key');
    server.enqueue({ payloads: TEXT });
    const second = (await collect(tokenwire.stream(request))).at(-1);
    expect([
      first?.type === 'error' && first.error.code,
      second?.type,
      server.requests[0]?.headers['x-goog-api-key'],
    ]).toEqual(['configuration', 'finish', 'google-env-key']);
  });

  it('never throws from the factories, and throws the problem from client', () => {
    const adapters = [
      createGoogleAdapter(),
      createGoogleAdapter({ sdk: 'bogus' } as unknown as GoogleAdapterSettings),
      createGoogleAdapter({ client: new GoogleGenAI({ apiKey: 'key' }), sdk: 'generative-ai' }),
      createAdapter({ provider: 'gemini', baseUrl: 'http://127.0.0.1:1' }),
    ];
    const codes = adapters.map((adapter) => {
      try {
        return adapter.client;
      } catch (error) {
        return TokenwireError.isInstance(error) ? error.code : 'not a TokenwireError';
      }
    });
    expect(codes).toEqual(['configuration', 'configuration', 'configuration', 'configuration']);
  });

  it('names the configured provider in the error', async () => {
    const tokenwire = createTokenwire({
      providers: { gemini: { baseURL: server.url, sdk: 'genai' } },
      loadModule: async (name) => (name === '@tokenwire/google' ? { createAdapter } : import(name)),
      retries: 0,
    });
    const events = await collect(
      tokenwire.stream({ model: 'gemini/m', messages: [{ role: 'user', content: 'Hi' }] }),
    );
    expect(refusal(events).message).toBe(
      "No API key for provider 'gemini': set the GEMINI_API_KEY (or GOOGLE_API_KEY) environment variable, or pass apiKey in the 'gemini' provider settings.",
    );
  });
});

describe('createGoogleAdapter: Vertex AI', () => {
  it('needs no API key (Application Default Credentials): the client is built without one', async () => {
    const adapter = createGoogleAdapter({
      provider: 'vertex',
      project: 'my-project',
      location: 'us-central1',
    });
    const client = await adapter.getClient();
    expect([adapter.provider, client instanceof GoogleGenAI, adapter.client === client]).toEqual([
      'vertex',
      true,
      true,
    ]);
  });
});
