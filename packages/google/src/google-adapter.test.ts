import { GoogleGenAI } from '@google/genai';
import { GoogleGenerativeAI } from '@google/generative-ai';
import { type ChatRequest, createTokenwire, type StreamEvent } from '@tokenwire/core';
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

async function run(
  settings: GoogleAdapterSettings,
  request: Partial<ChatRequest> = {},
): Promise<StreamEvent[]> {
  const tokenwire = createTokenwire({ providers: { google: createGoogleAdapter(settings) }, retries: 0 });
  return collect(
    tokenwire.stream({
      model: 'google/gemini-2.5-flash',
      messages: [{ role: 'user', content: 'Hi' }],
      ...request,
    }),
  );
}

const moduleNotFound = (specifier: string) =>
  Object.assign(new Error(`Cannot find package '${specifier}'`), { code: 'ERR_MODULE_NOT_FOUND' });

describe('createGoogleAdapter: configuration', () => {
  it('reads GEMINI_API_KEY before GOOGLE_API_KEY and sends it as x-goog-api-key', async () => {
    vi.stubEnv('GEMINI_API_KEY', 'gemini-env-key');
    vi.stubEnv('GOOGLE_API_KEY', 'google-env-key');
    server.enqueue({ payloads: TEXT }, { payloads: TEXT });
    await run({ baseURL: server.url, sdk: 'genai' });
    await run({ baseURL: server.url, sdk: 'generative-ai' });
    expect(server.requests.map((request) => request.headers['x-goog-api-key'])).toEqual([
      'gemini-env-key',
      'gemini-env-key',
    ]);
  });

  it('uses a passed client as is, with the adapter headers, and exposes it', async () => {
    const client = new GoogleGenAI({ apiKey: 'client-key', httpOptions: { baseUrl: server.url } });
    const adapter = createGoogleAdapter({ client, headers: { 'x-team': 'search' } });
    server.enqueue({ payloads: TEXT });
    const tokenwire = createTokenwire({ providers: { google: adapter }, retries: 0 });
    const events = await collect(
      tokenwire.stream({ model: 'google/m', messages: [{ role: 'user', content: 'Hi' }] }),
    );
    const sent = server.requests[0]?.headers;
    expect([
      adapter.client === client,
      events.at(-1)?.type,
      sent?.['x-goog-api-key'],
      sent?.['x-team'],
    ]).toEqual([true, 'finish', 'client-key', 'search']);
  });

  it('builds the client on first use, once', async () => {
    const adapter = createGoogleAdapter({ apiKey: 'key', baseURL: server.url, sdk: 'generative-ai' });
    expect(adapter.client).toBeUndefined();
    const client = await adapter.getClient();
    expect([
      client instanceof GoogleGenerativeAI,
      adapter.client === client,
      (await adapter.getClient()) === client,
    ]).toEqual([true, true, true]);
  });

  it('refuses Vertex with the legacy SDK, which cannot call it', async () => {
    const [event] = await run({ provider: 'vertex', apiKey: 'key', sdk: 'generative-ai' });
    expect(event).toMatchObject({
      type: 'error',
      error: {
        code: 'configuration',
        message:
          "@google/generative-ai cannot call Vertex AI. Use sdk: 'genai' (install @google/genai) for Vertex.",
      },
    });
  });

  it('says what to install when the chosen SDK is missing, with the package manager in use', async () => {
    vi.stubEnv('npm_config_user_agent', 'yarn/4.5.0 npm/? node/v20.20.2 linux x64');
    const events = await run({
      apiKey: 'key',
      sdk: 'genai',
      importModule: (specifier) => Promise.reject(moduleNotFound(specifier)),
    });
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      type: 'error',
      error: {
        code: 'configuration',
        message:
          "The Google adapter was configured with sdk: 'genai', but @google/genai is not installed. Install it: yarn add @google/genai",
      },
    });
  });

  it('falls back to the legacy SDK when only it is installed and no sdk is chosen', async () => {
    const importModule = (specifier: string) =>
      specifier === '@google/genai' ? Promise.reject(moduleNotFound(specifier)) : import(specifier);
    server.enqueue({ payloads: TEXT });
    const events = await run({ apiKey: 'key', baseURL: server.url, importModule });
    expect([events.at(-1)?.type, server.requests[0]?.path]).toEqual([
      'finish',
      '/v1beta/models/gemini-2.5-flash:streamGenerateContent',
    ]);
  });

  it('is loaded by createTokenwire for the gemini provider through createAdapter', async () => {
    server.enqueue({ payloads: TEXT });
    const tokenwire = createTokenwire({
      providers: { gemini: { apiKey: 'config-key', baseURL: server.url } },
      loadModule: async (name) => (name === '@tokenwire/google' ? { createAdapter } : import(name)),
      retries: 0,
    });
    const events = await collect(
      tokenwire.stream({ model: 'gemini/gemini-2.5-flash', messages: [{ role: 'user', content: 'Hi' }] }),
    );
    expect(events.at(-1)).toMatchObject({ type: 'finish', provider: 'gemini', content: 'Hello, world!' });
    expect(server.requests[0]?.headers['x-goog-api-key']).toBe('config-key');
  });

  it('does not put the API key in an error message', async () => {
    const key = 'AIzaSy-secret-key-0123456789abcdefghijk';
    server.enqueue({
      status: 400,
      errorBody: { error: { code: 400, message: `API key not valid: ${key}`, status: 'INVALID_ARGUMENT' } },
    });
    const [event] = await run({ apiKey: key, baseURL: server.url, sdk: 'generative-ai' });
    expect(event?.type === 'error' && [event.error.code, event.error.message.includes(key)]).toEqual([
      'authentication',
      false,
    ]);
  });
});

describe.each(['genai', 'generative-ai'] as const)('the request the %s SDK sends', (sdk) => {
  const request: Partial<ChatRequest> = {
    messages: [
      { role: 'system', content: 'Be brief.' },
      { role: 'user', content: 'Weather in Paris?' },
    ],
    tools: [
      { name: 'get_weather', parameters: { type: 'object', properties: { city: { type: 'string' } } } },
    ],
    toolChoice: 'required',
    temperature: 0.5,
    maxTokens: 100,
    reasoning: { budgetTokens: 0 },
    headers: { 'x-request-tag': 'per-request' },
  };

  it('carries the mapped body, both header sets, and no SDK-only settings', async () => {
    server.enqueue({ payloads: TEXT });
    await run({ apiKey: 'key', baseURL: server.url, sdk, headers: { 'x-team': 'search' } }, request);
    const sent = server.requests[0];
    expect([sent?.path, sent?.headers['x-team'], sent?.headers['x-request-tag']]).toEqual([
      `/${sdk === 'genai' ? 'v1' : 'v1beta'}/models/gemini-2.5-flash:streamGenerateContent`,
      'search',
      'per-request',
    ]);
    expect(sent?.body).toMatchObject({
      contents: [{ role: 'user', parts: [{ text: 'Weather in Paris?' }] }],
      systemInstruction: { parts: [{ text: 'Be brief.' }] },
      tools: [
        {
          functionDeclarations: [
            { name: 'get_weather', parameters: { type: 'OBJECT', properties: { city: { type: 'STRING' } } } },
          ],
        },
      ],
      toolConfig: { functionCallingConfig: { mode: 'ANY' } },
      generationConfig: { temperature: 0.5, maxOutputTokens: 100, thinkingConfig: { thinkingBudget: 0 } },
    });
    const serialized = JSON.stringify(sent?.body);
    expect(
      ['automaticContinuation', 'automaticFunctionCalling', 'abortSignal'].filter((word) =>
        serialized.includes(word),
      ),
    ).toEqual([]);
  });

  it('uses the configured apiVersion', async () => {
    server.enqueue({ payloads: TEXT });
    await run({ apiKey: 'key', baseURL: server.url, sdk, apiVersion: 'v1alpha' });
    expect(server.requests[0]?.path).toBe('/v1alpha/models/gemini-2.5-flash:streamGenerateContent');
  });

  it('reports a schema Gemini cannot take as invalid_request, before sending anything', async () => {
    const events = await run(
      { apiKey: 'key', baseURL: server.url, sdk },
      { tools: [{ name: 'tree', parameters: { type: 'object', properties: { next: { $ref: '#' } } } }] },
    );
    expect([
      events.length,
      events[0]?.type === 'error' && events[0].error.code,
      server.requests.length,
    ]).toEqual([1, 'invalid_request', 0]);
  });
});
