import { Anthropic } from '@anthropic-ai/sdk';
import { createTokenwire, type ErrorEvent, type StreamEvent } from '@tokenwire/core';
import {
  collect,
  createReplayServer,
  encodeRecord,
  findSecrets,
  type ReplayScript,
  type ReplayServer,
} from '@tokenwire/testing';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { type AnthropicAdapter, createAnthropicAdapter } from './anthropic-adapter.js';
import { events } from './anthropic-events.test-helpers.js';

// Issue 13 through the real @anthropic-ai/sdk and the replay server: malformed records, keys in
// errors (in-band, of a passed client, of its headers), and base URLs with credentials.

const { messageStart, blockStart, text, blockStop, messageDelta, messageStop } = events;
const helloPayloads = [
  messageStart(),
  blockStart(0, { type: 'text', text: '' }),
  text(0, 'Hello'),
  text(0, ' there'),
  blockStop(0),
  messageDelta('end_turn', { output_tokens: 3 }),
  messageStop(),
];
// A record cut inside its JSON, as a proxy that truncates a write would leave it.
const MALFORMED = '{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"and';

let server: ReplayServer;
// Who reads the body: every test below runs on both transports (set by the block's beforeEach).
let transport: 'sdk' | 'direct' = 'sdk';
beforeEach(async () => {
  server = await createReplayServer();
});
afterEach(async () => {
  vi.unstubAllEnvs();
  await server.close();
});

function stream(adapter: AnthropicAdapter, retries = 0): Promise<StreamEvent[]> {
  const tokenwire = createTokenwire({
    providers: { anthropic: adapter },
    retries: { maxRetries: retries, initialDelayMs: 1 },
  });
  return collect(
    tokenwire.stream({ model: 'anthropic/claude-test-1', messages: [{ role: 'user', content: 'Hi' }] }),
  );
}

function adapterWithKey(apiKey = 'test-key', settings: Parameters<typeof createAnthropicAdapter>[0] = {}) {
  // logLevel off: the SDK logs every record it cannot parse
  return createAnthropicAdapter({
    baseURL: server.url,
    apiKey,
    clientOptions: { logLevel: 'off' },
    transport,
    ...settings,
  });
}

async function lastError(adapter: AnthropicAdapter, ...scripts: ReplayScript[]): Promise<ErrorEvent> {
  server.enqueue(...scripts);
  const last = (await stream(adapter)).at(-1) as ErrorEvent;
  expect(last.type, JSON.stringify(last)).toBe('error');
  return last;
}

describe.each(['sdk', 'direct'] as const)('transport %s', (current) => {
  beforeEach(() => {
    transport = current;
  });

  describe('a malformed record (the SDK throws a raw SyntaxError)', () => {
    beforeEach(() => {
      // The Messages wire as the API frames it: every record named. The SDK drops a record without
      // an `event:` line before parsing it, so a malformed record must be named to reach the parser.
      server.addWireFormat({
        name: 'anthropic-named',
        path: '/v1/messages',
        encodeRecord: (payload) =>
          typeof payload === 'string'
            ? `event: content_block_delta\ndata: ${payload}\n\n`
            : encodeRecord('anthropic', payload),
      });
    });

    it('after output ends with invalid_response, not retryable, keeping the text that arrived', async () => {
      const payloads = [...helloPayloads.slice(0, 4), MALFORMED, ...helloPayloads.slice(4)];
      const last = await lastError(adapterWithKey(), { payloads });
      expect({
        code: last.error.code,
        retryable: last.error.retryable,
        content: last.partial.content,
        cause: last.error.cause,
      }).toEqual({
        code: 'invalid_response',
        retryable: false,
        content: 'Hello there',
        cause: expect.objectContaining({ name: 'SyntaxError' }),
      });
      expect(last.error.message).toMatch(/^The anthropic stream carried a record that is not valid JSON: /);
      expect(server.requests).toHaveLength(1);
    });

    it('before output is retried, like the truncation it is', async () => {
      // The rest of the response follows: a dropped record would finish on the first request.
      const broken = [...helloPayloads.slice(0, 2), MALFORMED, ...helloPayloads.slice(2)];
      server.enqueue({ payloads: broken }, { payloads: helloPayloads });
      const events = await stream(adapterWithKey(), 1);
      expect(events.at(-1)).toMatchObject({ type: 'finish', content: 'Hello there' });
      expect(server.requests).toHaveLength(2);
    });
  });

  describe('keys in errors', () => {
    it('keeps the key out of everything reachable from an in-band `event: error` that echoes it', async () => {
      const apiKey = 'ak-inband-7c1e9a3f5d';
      const last = await lastError(adapterWithKey(apiKey), {
        payloads: helloPayloads,
        inBandError: { after: 3, type: 'authentication_error' },
        echoCredentials: true,
      });
      expect([last.error.code, last.error.status, last.partial.content]).toEqual([
        'authentication',
        undefined,
        'Hello',
      ]);
      expect(last.error.message).toContain('Incorrect API key provided: Bearer [redacted]');
      expect(findSecrets(last.error, [apiKey, `Bearer ${apiKey}`])).toEqual([]);
    });

    const echoedIn401 = (secret: string): ReplayScript => ({
      status: 401,
      errorBody: {
        type: 'error',
        error: { type: 'authentication_error', message: `invalid credential ${secret}` },
      },
    });

    it('registers the apiKey of a passed client', async () => {
      const apiKey = 'client-key-3e5a7c9b1d';
      const client = new Anthropic({ apiKey, baseURL: server.url, maxRetries: 0 });
      const last = await lastError(createAnthropicAdapter({ client, transport }), echoedIn401(apiKey));
      expect(server.requests[0]?.headers.authorization).toBe(`Bearer ${apiKey}`);
      expect(last.error.message).toContain('invalid credential [redacted]');
      expect(findSecrets(last.error, [apiKey])).toEqual([]);
    });

    it('registers the authToken of a passed client', async () => {
      const authToken = 'client-token-8d2f4b6a0c';
      const client = new Anthropic({ authToken, baseURL: server.url, maxRetries: 0 });
      const last = await lastError(createAnthropicAdapter({ client, transport }), echoedIn401(authToken));
      expect(findSecrets(last.error, [authToken])).toEqual([]);
    });

    it('registers the credential-bearing default headers of a passed client', async () => {
      const gatewayToken = 'gateway-client-1f3b5d7e9a';
      const client = new Anthropic({
        apiKey: 'client-key-for-headers',
        baseURL: server.url,
        maxRetries: 0,
        defaultHeaders: new Headers({ 'x-gateway-token': gatewayToken, 'x-team': 'visible-team' }),
      });
      const last = await lastError(
        createAnthropicAdapter({ client, transport }),
        echoedIn401(`${gatewayToken} for visible-team`),
      );
      expect(server.requests[0]?.headers['x-gateway-token']).toBe(gatewayToken);
      expect(last.error.message).toContain('invalid credential [redacted] for visible-team');
      expect(findSecrets(last.error, [gatewayToken])).toEqual([]);
    });

    it('registers the credential-bearing clientOptions.defaultHeaders of the created client', async () => {
      const proxyKey = 'proxy-options-6a8c0e2b4d';
      const adapter = adapterWithKey('test-key', {
        clientOptions: { defaultHeaders: { 'x-proxy-key': proxyKey } },
      });
      const last = await lastError(adapter, echoedIn401(proxyKey));
      expect(server.requests[0]?.headers['x-proxy-key']).toBe(proxyKey);
      expect(findSecrets(last.error, [proxyKey])).toEqual([]);
    });

    it('registers a credential header the SDK reads from ANTHROPIC_CUSTOM_HEADERS', async () => {
      const proxyKey = 'proxy-environment-9b1d3f5a7c';
      vi.stubEnv('ANTHROPIC_CUSTOM_HEADERS', `X-Proxy-Key: ${proxyKey}`);
      const last = await lastError(adapterWithKey(), echoedIn401(proxyKey));
      expect(server.requests[0]?.headers['x-proxy-key']).toBe(proxyKey);
      expect(findSecrets(last.error, [proxyKey])).toEqual([]);
    });
  });

  describe('base URLs with credentials', () => {
    // Refused before anything is sent, as a configuration error that does not quote the URL.
    async function refusal(adapter: AnthropicAdapter, password: string): Promise<string> {
      const last = (await stream(adapter)).at(-1) as ErrorEvent;
      expect([last.type, last.error.code, last.error.retryable]).toEqual(['error', 'configuration', false]);
      expect(server.requests).toHaveLength(0);
      expect(findSecrets(last.error, [password])).toEqual([]);
      return last.error.message;
    }

    it('refuses the baseURL setting with user:password@', async () => {
      const password = 'pw-setting-4c6e8a0b';
      const baseURL = server.url.replace('http://', `http://admin:${password}@`);
      const message = await refusal(
        createAnthropicAdapter({ baseURL, apiKey: 'test-key', transport }),
        password,
      );
      expect(message).toContain('baseURL');
      expect(message).toContain('must not carry credentials');
    });

    it('refuses a passed client whose baseURL has credentials', async () => {
      const password = 'pw-client-2a4c6e8b';
      const baseURL = server.url.replace('http://', `http://admin:${password}@`);
      const client = new Anthropic({ apiKey: 'test-key', baseURL, maxRetries: 0 });
      const message = await refusal(createAnthropicAdapter({ client, transport }), password);
      expect(message).toContain('must not carry credentials');
    });

    it('refuses ANTHROPIC_BASE_URL with credentials', async () => {
      const password = 'pw-environment-0e2a4c6d';
      vi.stubEnv('ANTHROPIC_BASE_URL', server.url.replace('http://', `http://admin:${password}@`));
      const message = await refusal(createAnthropicAdapter({ apiKey: 'test-key', transport }), password);
      expect(message).toContain('ANTHROPIC_BASE_URL');
    });
  });
});
