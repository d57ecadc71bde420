import { GoogleGenAI } from '@google/genai';
import { GoogleGenerativeAI } from '@google/generative-ai';
import { createTokenwire, type ErrorEvent, type StreamEvent } from '@tokenwire/core';
import { type CustomWireFormat, collect, findSecrets, geminiScenarios } from '@tokenwire/testing';
import { useReplayServer } from '@tokenwire/testing/conformance';
import { beforeEach, describe, expect, it } from 'vitest';
import { createGoogleAdapter, type GoogleAdapterSettings } from './google-adapter.js';
import type { GoogleSdk } from './google-clients.js';

const TEXT = geminiScenarios.text.payloads;
const SDKS: GoogleSdk[] = ['genai', 'generative-ai'];
/** Each SDK with each transport (the legacy SDK is sdk-only: with transport direct it reads its body itself). */
const SETUPS: Array<[string, GoogleSdk, 'sdk' | 'direct']> = [
  ['genai (transport sdk)', 'genai', 'sdk'],
  ['genai (transport direct)', 'genai', 'direct'],
  ['generative-ai (transport sdk)', 'generative-ai', 'sdk'],
  ['generative-ai (transport direct)', 'generative-ai', 'direct'],
];

/** Bodies the Gemini wire cannot send: a string payload goes out exactly as written. */
const rawWire = (name: string, contentType: string): CustomWireFormat => ({
  name,
  path: `/${name}`, // unused: scripts choose the format by `protocol`
  contentType,
  encodeRecord: (payload) =>
    typeof payload === 'string' ? payload : `data: ${JSON.stringify(payload)}\r\n\r\n`,
});

const server = useReplayServer();
beforeEach(() => {
  server.addWireFormat(rawWire('raw-sse', 'text/event-stream'));
  server.addWireFormat(rawWire('raw-html', 'text/html; charset=utf-8'));
  server.addWireFormat(rawWire('raw-text', 'text/plain'));
});

function run(
  settings: GoogleAdapterSettings,
  options: { retries?: number; maxBytes?: { record: number } } = {},
): Promise<StreamEvent[]> {
  const adapter = createGoogleAdapter({ baseURL: server.url, ...settings });
  const tokenwire = createTokenwire({ providers: { google: adapter }, retries: 0, ...options });
  return collect(
    tokenwire.stream({ model: 'google/gemini-2.5-flash', messages: [{ role: 'user', content: 'Hi' }] }),
  );
}

const lastError = (events: StreamEvent[]) => {
  const last = events.at(-1) as ErrorEvent;
  expect(last.type).toBe('error');
  return last;
};

describe.each(SETUPS)('the %s SDK, hardened', (_name, sdk, transport) => {
  const settings: GoogleAdapterSettings = { apiKey: 'hardening-key', sdk, transport };
  // Core reads genai's body on the direct transport; the legacy SDK always reads its own.
  const likeGenai = sdk === 'genai';

  it('ends a malformed record after output with invalid_response, not retried, keeping what the SDK passed on', async () => {
    // One network read holds "Hello", ", " and the malformed record: genai passes on every record
    // before it; the legacy SDK drops them but the first (its own stream errors; the adapter's
    // read was waiting for the first). Documented in the README.
    const payloads = [...TEXT.slice(0, 2), '{"broken": ', ...TEXT.slice(2)];
    server.enqueue({ payloads }, { payloads: TEXT });
    const last = lastError(await run(settings, { retries: 2 }));
    expect([last.error.code, last.error.retryable, last.partial.content, server.requests.length]).toEqual([
      'invalid_response',
      false,
      likeGenai ? 'Hello, ' : 'Hello',
      1,
    ]);
  });

  it('retries a body cut inside its first record, like the truncation it is, where the SDK can tell', async () => {
    server.enqueue({ protocol: 'raw-sse', payloads: ['data: {"candidates": [{"con'] }, { payloads: TEXT });
    const events = await run(settings, { retries: 2 });
    // The legacy SDK says "Failed to parse stream" for this as for an HTML page: not retried.
    if (likeGenai) expect(events.at(-1)).toMatchObject({ type: 'finish', content: 'Hello, world!' });
    else expect(lastError(events).error).toMatchObject({ code: 'invalid_response', retryable: false });
    expect(server.requests).toHaveLength(likeGenai ? 2 : 1);
  });

  it('ends a body cut inside a record after output with invalid_response, keeping the partial text', async () => {
    server.enqueue({ protocol: 'raw-sse', payloads: [...TEXT.slice(0, 2), 'data: {"candidates": [{"con'] });
    const last = lastError(await run(settings, { retries: 2 }));
    expect([last.error.code, last.error.retryable, server.requests.length]).toEqual([
      'invalid_response',
      false,
      1,
    ]);
    expect('Hello, '.startsWith(last.partial.content)).toBe(true);
  });

  it.each([
    [
      'an HTML page',
      'raw-html',
      '<!DOCTYPE html><html><head><title>Sign in to the proxy</title></head><body><form></form></body></html>',
      'with an HTML page (title "Sign in to the proxy"), not an event stream: is the base URL right?',
    ],
    [
      'plain text',
      'raw-text',
      'upstream connect error or disconnect/reset before headers. reset reason: overflow',
      'with a body of type text/plain ("upstream connect error or disconnect/reset before headers. reset reason: overflow"), not an event stream: is the base URL right?',
    ],
  ])(
    'ends a 200 with %s instead of an event stream with invalid_response, not retried',
    async (_name, protocol, page, genaiSays) => {
      server.enqueue({ protocol, payloads: [page] }, { payloads: TEXT });
      const { error } = lastError(await run(settings, { retries: 2 }));
      expect([error.code, error.retryable, server.requests.length]).toEqual(['invalid_response', false, 1]);
      // The legacy SDK keeps neither the body nor its type: the message says so instead of guessing.
      expect(error.message).toContain(
        likeGenai ? genaiSays : 'was not an event stream @google/generative-ai could read',
      );
      expect(error.message.includes('<html') || error.message.includes('<form')).toBe(false);
    },
  );

  it('ends a record over maxBytes.record with invalid_response naming the limit, keeping the text before it', async () => {
    const huge = TEXT[1] as { candidates: Array<{ content: { parts: Array<{ text: string }> } }> };
    const oversized = structuredClone(huge);
    (oversized.candidates[0]?.content.parts[0] as { text: string }).text = 'x'.repeat(300_000);
    server.enqueue({ payloads: [TEXT[0], oversized, ...TEXT.slice(2)] });
    const last = lastError(await run(settings, { maxBytes: { record: 100_000 } }));
    expect([last.error.code, last.partial.content]).toEqual(['invalid_response', 'Hello']);
    // genai's body is cut before the SDK reads the record; the legacy SDK has no fetch option, so
    // the runtime cuts the delta the SDK made of it.
    expect(last.error.message).toMatch(
      likeGenai
        ? /^An SSE event of the google stream \(read so far\) is [\d,]+ characters, over maxBytes\.record \(100,000\)/
        : /^A text delta from google is 300,000 characters, over maxBytes\.record \(100,000\)/,
    );
  });

  it('refuses a base URL with credentials without echoing the password, and sends nothing', async () => {
    const events = await run({ ...settings, baseURL: 'http://tokenwire:pass-8f7e6d5c@127.0.0.1:9' });
    const { error } = lastError(events);
    expect([events.length, error.code, error.message.includes('pass-8f7e6d5c')]).toEqual([
      1,
      'configuration',
      false,
    ]);
    expect(error.message).toContain('must not carry credentials');
  });
});

describe('credentials of a client passed in', () => {
  it.each(SDKS)('registers the key of a %s client: an error that echoes it never shows it', async (sdk) => {
    const key = `passed-client-key-${sdk}-5e4d3c2b1a`;
    const client =
      sdk === 'genai'
        ? new GoogleGenAI({ apiKey: key, httpOptions: { baseUrl: server.url } })
        : new GoogleGenerativeAI(key);
    server.enqueue({ status: 401, echoCredentials: true });
    const { error } = lastError(await run({ client, sdk }));
    expect(error.code).toBe('authentication');
    expect(server.requests[0]?.headers['x-goog-api-key']).toBe(key);
    expect(findSecrets(error, [key])).toEqual([]);
  });

  it.each(['sdk', 'direct'] as const)(
    'registers the credential headers and calls the own fetch of a GoogleGenAI client (transport %s)',
    async (transport) => {
      const token = 'proxy-token-0a9b8c7d6e';
      const fetched: string[] = [];
      const client = new GoogleGenAI({
        apiKey: 'genai-client-key-1f2e3d',
        httpOptions: {
          baseUrl: server.url,
          headers: { 'x-proxy-token': token },
          fetch: (input, init) => {
            fetched.push(String(input));
            return fetch(input, init);
          },
        },
      });
      server.enqueue({
        status: 500,
        echoCredentials: true,
        errorBody: '<html><pre>{{credentials}}</pre></html>',
      });
      server.enqueue({ payloads: TEXT, holdOpen: true });
      const failed = lastError(await run({ client, transport }));
      expect(findSecrets(failed.error, [token, 'genai-client-key-1f2e3d'])).toEqual([]);
      expect((await run({ client, transport })).at(-1)).toMatchObject({
        type: 'finish',
        content: 'Hello, world!',
      });
      await server.waitForClientClose();
      expect([fetched.length, server.requests[1]?.headers['x-proxy-token']]).toEqual([2, token]);
    },
  );
});

describe('error bodies', () => {
  it.each(['sdk', 'direct'] as const)(
    'quotes an HTML error page of genai by its title, not the page (transport %s)',
    async (transport) => {
      server.enqueue({
        status: 502,
        errorBody: '<html><head><title>502 Bad Gateway</title></head><body><p>nginx</p></body></html>',
      });
      const { error } = lastError(await run({ apiKey: 'hardening-key', sdk: 'genai', transport }));
      expect([error.code, error.message]).toEqual([
        'server',
        'google API error 502 Bad Gateway: an HTML page (title "502 Bad Gateway")',
      ]);
    },
  );
});
