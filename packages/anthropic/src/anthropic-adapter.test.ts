import { Anthropic } from '@anthropic-ai/sdk';
import { createTokenwire, type ErrorEvent, type StreamEvent } from '@tokenwire/core';
import { collect } from '@tokenwire/testing';
import { useReplayServer } from '@tokenwire/testing/conformance';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { type AnthropicAdapter, createAdapter, createAnthropicAdapter } from './anthropic-adapter.js';
import { events } from './anthropic-events.test-helpers.js';

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

const server = useReplayServer();
afterEach(() => {
  vi.unstubAllEnvs();
});

function streamWith(
  adapter = createAnthropicAdapter({ baseURL: server.url, apiKey: 'test-key' }),
  retries = 1,
) {
  const tokenwire = createTokenwire({
    providers: { anthropic: adapter },
    retries: { maxRetries: retries, initialDelayMs: 1 },
  });
  return collect(
    tokenwire.stream({
      model: 'anthropic/claude-test-1',
      messages: [
        { role: 'system', content: 'Be brief.' },
        { role: 'user', content: 'Hi' },
      ],
      headers: { 'anthropic-beta': 'test-beta' },
    }),
  );
}

const lastOf = (list: StreamEvent[]) => list.at(-1);

describe('createAnthropicAdapter', () => {
  it('sends the mapped request to /v1/messages with the key as a Bearer token and the request headers', async () => {
    server.enqueue({ payloads: helloPayloads });
    const adapter = createAnthropicAdapter({
      baseURL: server.url,
      apiKey: 'test-key',
      headers: { 'x-team': 'a' },
    });
    const result = await streamWith(adapter);
    expect(lastOf(result)).toMatchObject({ type: 'finish', content: 'Hello there', reason: 'stop' });
    const [request] = server.requests;
    expect({
      method: request?.method,
      path: request?.path,
      authorization: request?.headers.authorization,
      beta: request?.headers['anthropic-beta'],
      team: request?.headers['x-team'],
      hasVersion: typeof request?.headers['anthropic-version'] === 'string',
      body: request?.body,
    }).toEqual({
      method: 'POST',
      path: '/v1/messages',
      authorization: 'Bearer test-key',
      beta: 'test-beta',
      team: 'a',
      hasVersion: true,
      body: {
        model: 'claude-test-1',
        max_tokens: 4096,
        system: 'Be brief.',
        messages: [{ role: 'user', content: 'Hi' }],
        stream: true,
      },
    });
  });

  it('retries an in-band overloaded_error that comes before any output', async () => {
    server.enqueue({ payloads: helloPayloads, inBandError: { after: 0 } }, { payloads: helloPayloads });
    const result = await streamWith();
    expect(lastOf(result)).toMatchObject({ type: 'finish', content: 'Hello there' });
    expect(server.requests).toHaveLength(2);
  });

  it('ends with an overloaded error and the partial text when the in-band error comes after output', async () => {
    server.enqueue({ payloads: helloPayloads, inBandError: { after: 4 } });
    const last = lastOf(await streamWith()) as ErrorEvent;
    expect({
      type: last.type,
      code: last.error.code,
      retryable: last.error.retryable,
      requestId: last.error.requestId,
      content: last.partial.content,
    }).toEqual({
      type: 'error',
      code: 'overloaded',
      retryable: true,
      requestId: 'req_replay_1',
      content: 'Hello there',
    });
    expect(server.requests).toHaveLength(1);
  });

  it('reports a stream that ends before message_stop as truncated', async () => {
    server.enqueue({ payloads: helloPayloads, endAfter: 5 });
    const last = lastOf(await streamWith(undefined, 0)) as ErrorEvent;
    expect([last.type, last.error.code, last.partial.content]).toEqual([
      'error',
      'invalid_response',
      'Hello there',
    ]);
  });

  it('turns off the SDK’s own retries: a 529 is one request, reported with its retry-after', async () => {
    server.enqueue({ status: 529, headers: { 'retry-after': '3' } });
    const last = lastOf(await streamWith(undefined, 0)) as ErrorEvent;
    expect({
      code: last.error.code,
      status: last.error.status,
      retryAfterMs: last.error.retryAfterMs,
    }).toEqual({
      code: 'overloaded',
      status: 529,
      retryAfterMs: 3000,
    });
    expect(server.requests).toHaveLength(1);
  });

  it('never lets the API key into an error message', async () => {
    const apiKey = 'ak-test-secret-0123456789';
    server.enqueue({
      status: 401,
      errorBody: { type: 'error', error: { type: 'authentication_error', message: `invalid key ${apiKey}` } },
    });
    const last = lastOf(
      await streamWith(createAnthropicAdapter({ baseURL: server.url, apiKey }), 0),
    ) as ErrorEvent;
    expect(last.error.code).toBe('authentication');
    expect(last.error.message).not.toContain(apiKey);
    expect(last.error.message).toContain('invalid key [redacted]');
  });

  it('reads the key from ANTHROPIC_API_KEY', async () => {
    vi.stubEnv('ANTHROPIC_API_KEY', 'env-key-0123');
    server.enqueue({ payloads: helloPayloads });
    await streamWith(createAnthropicAdapter({ baseURL: server.url }));
    expect(server.requests[0]?.headers.authorization).toBe('Bearer env-key-0123');
  });

  it('uses a passed client as is and exposes it', async () => {
    const client = new Anthropic({ apiKey: 'client-key', baseURL: server.url, maxRetries: 0 });
    const adapter = createAnthropicAdapter({ client });
    expect(adapter.client).toBe(client);
    server.enqueue({ payloads: helloPayloads });
    await streamWith(adapter);
    expect(server.requests[0]?.headers.authorization).toBe('Bearer client-key');
  });

  it('names the base URL it sends to as its endpoint, once a request found it free of credentials', async () => {
    const adapter = createAnthropicAdapter({ baseURL: server.url, apiKey: 'test-key' });
    expect(adapter.endpoint?.()).toBeUndefined();
    server.enqueue({ payloads: helloPayloads });
    await streamWith(adapter);
    expect(adapter.endpoint?.()).toBe(server.url);
  });

  it('creates its client on first use, with the SDK’s retries off', () => {
    const adapter = createAnthropicAdapter({ baseURL: server.url, apiKey: 'test-key' });
    expect(adapter.client.maxRetries).toBe(0);
    expect(adapter.client).toBe(adapter.client);
  });
});

describe('createAdapter', () => {
  it('serves a provider configured with plain settings', async () => {
    server.enqueue({ payloads: helloPayloads });
    const tokenwire = createTokenwire({
      providers: {
        claude: { adapter: 'anthropic', baseURL: server.url, apiKey: 'test-key', defaultMaxTokens: 64 },
      },
      loadModule: async () => ({ createAdapter }),
    });
    const result = await tokenwire
      .stream({ model: 'claude/claude-test-1', messages: [{ role: 'user', content: 'Hi' }] })
      .result();
    expect([result.provider, result.content]).toEqual(['claude', 'Hello there']);
    expect(server.requests[0]?.body).toMatchObject({ max_tokens: 64 });
  });

  it('is named anthropic and serves the provider it is configured for', () => {
    const adapter = createAdapter({ provider: 'claude', adapter: 'anthropic', apiKey: 'test-key' });
    expect([adapter.name, adapter.provider]).toEqual(['anthropic', 'claude']);
    const direct = createAnthropicAdapter();
    expect([direct.name, direct.provider]).toEqual(['anthropic', 'anthropic']);
  });
});

describe('settings problems', () => {
  // Each is the first request's configuration error event: the factory does not throw, nothing is sent.
  async function firstError(create: () => AnthropicAdapter): Promise<ErrorEvent> {
    let adapter: AnthropicAdapter | undefined;
    expect(() => {
      adapter = create();
    }).not.toThrow();
    const last = lastOf(await streamWith(adapter, 0)) as ErrorEvent;
    expect([last.type, last.error.code, last.error.retryable]).toEqual(['error', 'configuration', false]);
    expect(server.requests).toHaveLength(0);
    return last;
  }

  it('names an unknown setting and the closest known one', async () => {
    const last = await firstError(() => createAdapter({ provider: 'anthropic', baseUrl: server.url }));
    expect(last.error.message).toContain(
      "Unknown setting of provider 'anthropic' 'baseUrl'. Did you mean baseURL?",
    );
  });

  it('names a setting of the wrong type', async () => {
    const last = await firstError(() =>
      createAdapter({ provider: 'anthropic', apiKey: 'test-key', timeout: '10s' }),
    );
    expect(last.error.message).toContain("timeout (provider 'anthropic') must be a finite number");
  });

  it('refuses a defaultMaxTokens that is not a whole number of at least 1', async () => {
    const last = await firstError(() =>
      createAnthropicAdapter({ baseURL: server.url, apiKey: 'test-key', defaultMaxTokens: 0.5 }),
    );
    expect(last.error.message).toContain(
      "defaultMaxTokens (provider 'anthropic') must be a whole number of at least 1",
    );
  });

  it('reports a missing key as a configuration error naming ANTHROPIC_API_KEY, also on .client', async () => {
    vi.stubEnv('ANTHROPIC_API_KEY', '');
    const last = await firstError(() => createAnthropicAdapter({ baseURL: server.url }));
    expect(last.error.message).toContain('ANTHROPIC_API_KEY');
    const adapter = createAnthropicAdapter({ baseURL: server.url });
    expect(() => adapter.client).toThrow(/ANTHROPIC_API_KEY/);
  });
});
