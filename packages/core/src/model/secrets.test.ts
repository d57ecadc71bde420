import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { credentialedUrlProblem } from '../request/request-problem.js';
import { createTokenwire } from '../runtime/create-tokenwire.js';
import { collectEvents, scriptedAdapter } from '../runtime/scripted-adapter.test-helpers.js';
import { defineAdapter } from '../transport/define-adapter.js';
import { TokenwireError } from './errors.js';
import { redactSecrets, registerSecret } from './redact.js';
import { hasUrlCredentials } from './secret-headers.js';
import type { ErrorEvent, StreamEvent } from './types.js';

const messages = [{ role: 'user' as const, content: 'Hi' }];
const errorOf = (events: StreamEvent[]) => (events.at(-1) as ErrorEvent).error;

/** A vendor error shaped like the SDKs' APIError: the key in the body, in a field, in the headers. */
class FakeApiError extends Error {
  readonly status = 401;
  readonly requestID = 'req_123';
  readonly error: unknown;
  readonly apiMessage: string;
  readonly headers: Headers;
  constructor(key: string) {
    super(`401 Incorrect API key provided: ${key}`, {
      cause: new Error(`socket sent Authorization: Bearer ${key}`),
    });
    this.name = 'AuthenticationError';
    this.error = { message: `Incorrect API key provided: ${key}`, nested: { echoed: [key] } };
    this.apiMessage = key;
    this.headers = new Headers({
      'www-authenticate': `Bearer token=${key}`,
      'x-request-id': 'req_123',
      'x-echo': key,
    });
  }
}

describe('the error graph holds no registered secret', () => {
  it('keeps a sanitized copy of the vendor error as cause: what users need, no key anywhere', async () => {
    const key = 'plain-format-secret-0f9e8d7c';
    registerSecret(key);
    const error = new TokenwireError({
      code: 'authentication',
      message: 'Auth failed',
      cause: new FakeApiError(key),
    });
    expect(inspect(error, { depth: 10 })).not.toContain(key);
    expect(JSON.stringify(error.cause)).not.toContain(key);
    expect(error.cause).toMatchObject({
      name: 'AuthenticationError',
      status: 401,
      requestID: 'req_123',
      headers: { 'x-request-id': 'req_123', 'x-echo': '[redacted]' },
      body: { message: 'Incorrect API key provided: [redacted]', nested: { echoed: ['[redacted]'] } },
    });
    expect((error.cause as { headers: object }).headers).not.toHaveProperty('www-authenticate');
    expect((error.cause as Error).cause).toMatchObject({
      message: 'socket sent Authorization: Bearer [redacted]',
    });
  });

  it('registers credential headers of requests and settings, and redacts them from errors', async () => {
    const gateway = 'gw-token-5a4b3c2d1e';
    const proxy = 'proxy-secret-77665544';
    const adapter = defineAdapter({
      name: 'mock',
      provider: 'mock',
      settings: { headers: { 'X-Gateway-Token': gateway } },
      settingKinds: { headers: 'headers' },
      client: () => ({}),
      async open() {
        throw new Error(`401 from proxy: it saw x-gateway-token ${gateway} and Proxy-Authorization ${proxy}`);
      },
      normalizeError: () => undefined,
    });
    const tokenwire = createTokenwire({ providers: { mock: adapter }, retries: 0 });
    const stream = tokenwire.stream({
      model: 'mock/m',
      messages,
      headers: { 'proxy-authorization': `Basic ${proxy}` },
    });
    const error = errorOf(await collectEvents(stream));
    expect(error.message).toBe(
      '401 from proxy: it saw x-gateway-token [redacted] and Proxy-Authorization [redacted]',
    );
  });

  it('redacts a header the user marks as secret', async () => {
    const value = 'custom-credential-123456';
    const adapter = scriptedAdapter([{ throw: new Error(`echo: ${value}`) }]);
    const tokenwire = createTokenwire({
      providers: { mock: adapter },
      retries: 0,
      secretHeaders: ['X-Tenant'],
    });
    const error = errorOf(
      await collectEvents(tokenwire.stream({ model: 'mock/m', messages, headers: { 'x-tenant': value } })),
    );
    expect(error.message).toBe('echo: [redacted]');
  });

  it('masks AWS access key ids and SigV4 signatures by their format', () => {
    const signature = 'a'.repeat(32) + '0123456789abcdef'.repeat(2);
    const header = `AWS4-HMAC-SHA256 Credential=ASIAQWERTYUIOPASDFGH/20261201/us-east-1/bedrock/aws4_request, SignedHeaders=host, Signature=${signature}`;
    const redacted = redactSecrets(`Denied: ${header}; also ?X-Amz-Signature=${signature}`);
    expect(redacted).not.toContain('ASIAQWERTYUIOPASDFGH');
    expect(redacted).not.toContain(signature);
    expect(redacted).toContain('Credential=[redacted]/20261201/us-east-1/bedrock/aws4_request');
  });

  it('redacts the password of any URL', () => {
    expect(redactSecrets('fetch http://admin:hunter2@proxy.local:8080/api failed')).toBe(
      'fetch http://[redacted]@proxy.local:8080/api failed',
    );
  });

  it('refuses a base URL with credentials without echoing them', async () => {
    const adapter = defineAdapter({
      name: 'mock',
      provider: 'mock',
      settings: { baseURL: 'https://admin:hunter2@gateway.example/v1' },
      settingKinds: { baseURL: 'url' },
      client: () => ({}),
      open: async () => {
        throw new Error('never opened');
      },
      normalizeError: () => undefined,
    });
    const error = errorOf(
      await collectEvents(
        createTokenwire({ providers: { mock: adapter } }).stream({ model: 'mock/m', messages }),
      ),
    );
    expect(error.code).toBe('configuration');
    expect(error.message).toContain("baseURL (provider 'mock') must not carry credentials");
    expect(error.message).not.toContain('hunter2');
    expect(error.message).not.toContain('admin');
  });
});

describe('credentials in URLs', () => {
  it('recognises user:password@ and user@ before the host only', () => {
    expect(hasUrlCredentials('https://admin:pw@llm.example/v1')).toBe(true);
    expect(hasUrlCredentials('http://token@llm.example')).toBe(true);
    expect(hasUrlCredentials('https://llm.example/v1?user=a@b')).toBe(false);
    expect(hasUrlCredentials('https://llm.example/@scope/v1')).toBe(false);
  });

  it('names the source of the URL and never quotes it', () => {
    const problem = credentialedUrlProblem('the OPENAI_BASE_URL environment variable', 'openai');
    expect(problem).toMatchObject({ code: 'configuration', provider: 'openai', retryable: false });
    expect(problem.message).toBe(
      "Invalid configuration: the OPENAI_BASE_URL environment variable (provider 'openai') must not carry " +
        'credentials (user:password@): pass them in headers (an Authorization header) instead. Nothing was sent.',
    );
  });
});
