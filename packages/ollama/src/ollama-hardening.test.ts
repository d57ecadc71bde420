import { createTokenwire, type ErrorEvent, type StreamEvent, type TokenwireConfig } from '@tokenwire/core';
import { collect, findSecrets } from '@tokenwire/testing';
import { Ollama } from 'ollama';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { useReplayServer } from './ollama.test-helpers.js';
import { createOllamaAdapter, type OllamaAdapter } from './ollama-adapter.js';

// Issue 13 through the real `ollama` client and the replay server, on both paths of the adapter:
// the client it builds, and a client passed in (seen through a per-stream view).

const server = useReplayServer();
afterEach(() => {
  vi.restoreAllMocks();
  vi.unstubAllEnvs();
});

const user = [{ role: 'user' as const, content: 'Hi' }];
const line = (content: string) => ({
  model: 'llama3.2',
  created_at: '2026-12-01T00:00:00Z',
  message: { role: 'assistant', content },
  done: false,
});
const doneLine = { ...line(''), done: true, done_reason: 'stop', prompt_eval_count: 5, eval_count: 3 };

const paths: Array<[string, () => OllamaAdapter, 'sdk' | 'direct']> = (['sdk', 'direct'] as const).flatMap(
  (transport) => [
    [
      `the adapter’s own client (${transport})`,
      () => createOllamaAdapter({ host: server.current.url, transport }),
      transport,
    ],
    [
      `a client passed in (${transport})`,
      () => createOllamaAdapter({ client: new Ollama({ host: server.current.url }), transport }),
      transport,
    ],
  ],
);

function streamOf(adapter: OllamaAdapter, config: Partial<TokenwireConfig> = {}) {
  return collect(
    createTokenwire({ providers: { ollama: adapter }, retries: 0, ...config }).stream({
      model: 'ollama/llama3.2',
      messages: user,
    }),
  );
}

function errorOf(events: StreamEvent[]): ErrorEvent {
  const last = events.at(-1);
  if (last?.type !== 'error') throw new Error(`expected an error event, got ${JSON.stringify(last)}`);
  return last;
}

describe.each(paths)('ollama hardening, through %s', (_path, adapter, transport) => {
  it('ends at a malformed line with invalid_response, keeping what came before and nothing after', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    // One write: the malformed line arrives in the same read as the lines after it.
    server.current.enqueue({ payloads: [line('Hello'), '{"broken": ', line(' world'), doneLine] });
    const { error, partial } = errorOf(await streamOf(adapter()));
    expect(error).toMatchObject({ code: 'invalid_response', retryable: false });
    expect(partial.content).toBe('Hello');
    expect(warn).not.toHaveBeenCalled();
  });

  it('ends at a line shaped like JSON that does not parse, once the client has skipped it', async () => {
    vi.spyOn(console, 'warn').mockImplementation(() => {});
    server.current.enqueue({
      payloads: [line('Hello'), '{"model": }', line(' world'), doneLine],
      delayMs: 5,
    });
    const { error, partial } = errorOf(await streamOf(adapter()));
    expect(error.code).toBe('invalid_response');
    // The sdk transport notices the line the client skipped; the direct one parses it itself.
    expect(error.message).toContain(
      transport === 'sdk' ? 'could not parse and skipped' : 'line 2 of the response',
    );
    expect(partial.content).toBe('Hello');
  });

  it('tells the runtime that the done line is the terminal record', async () => {
    server.current.enqueue({ payloads: [line('Hello'), doneLine] });
    const controller = new AbortController();
    const opened = await adapter().open({ model: 'llama3.2', messages: user }, { signal: controller.signal });
    const terminal: unknown[] = [];
    for await (const chunk of opened.chunks) terminal.push(opened.translate(chunk, []));
    // The direct transport's chunks are network reads: both lines may come in one.
    if (transport === 'sdk') expect(terminal).toEqual([false, true]);
    else expect([[true], [false, true]]).toContainEqual(terminal);
    opened.close?.();
  });

  it('releases the connection after the done line of a normal end', async () => {
    server.current.enqueue({ payloads: [line('Hello'), doneLine] });
    expect((await streamOf(adapter())).at(-1)).toMatchObject({ type: 'finish', content: 'Hello' });
    await expect.poll(() => server.current.openResponses).toBe(0);
  });

  it('finishes at the done line and closes a connection the server holds open', async () => {
    server.current.enqueue({ payloads: [line('Hello'), doneLine], holdOpen: true });
    const events = await streamOf(adapter(), { timeouts: { idleMs: 60_000 } });
    expect(events.at(-1)).toMatchObject({ type: 'finish', reason: 'stop', content: 'Hello' });
    await server.current.waitForClientClose();
    await expect.poll(() => server.current.openResponses).toBe(0);
  });

  it('ends with invalid_response naming maxBytes.record at a line over it, before the client parses it', async () => {
    server.current.enqueue({
      payloads: [line('Hello'), line('x'.repeat(300_000)), doneLine],
      split: { min: 2_000, max: 9_000, seed: 7 },
    });
    const { error, partial } = errorOf(await streamOf(adapter(), { maxBytes: { record: 100_000 } }));
    expect(error).toMatchObject({ code: 'invalid_response', retryable: false });
    expect(error.message).toContain('over maxBytes.record (100,000)');
    expect(partial.content).toBe('Hello');
  });

  it('honours the retry-after of a 429: retry-after 0 retries at once, despite a minute of backoff', async () => {
    server.current.enqueue(
      { status: 429, headers: { 'retry-after': '0' } },
      { payloads: [line('Hello'), doneLine] },
    );
    const events = await streamOf(adapter(), { retries: { maxRetries: 1, initialDelayMs: 60_000 } });
    expect(events.at(-1)).toMatchObject({ type: 'finish', content: 'Hello' });
    expect(server.current.requests).toHaveLength(2);
  });

  it('puts the retry-after of a 429 on the error', async () => {
    server.current.enqueue({ status: 429, headers: { 'retry-after': '7' } });
    expect(errorOf(await streamOf(adapter())).error).toMatchObject({
      code: 'rate_limit',
      status: 429,
      retryAfterMs: 7_000,
    });
  });

  it('names a proxy’s HTML error page by its title instead of copying it into the message', async () => {
    server.current.enqueue({
      status: 502,
      errorBody:
        '<html><head><title>502 Bad Gateway</title></head><body><pre>x-forwarded-for: 10.0.0.7</pre></body></html>',
    });
    const { error } = errorOf(await streamOf(adapter()));
    expect(error.message).toBe(
      `Ollama at ${server.current.url} answered HTTP 502: an HTML page (title "502 Bad Gateway")`,
    );
  });
});

describe('ollama hosts with credentials (http://user:password@host)', () => {
  const password = 'pw-7f3e9a1c2b';
  const basic = `Basic ${Buffer.from(`admin:${password}`).toString('base64')}`;
  const credentialed = () => server.current.url.replace('http://', `http://admin:${password}@`);

  it('sends them as Basic auth, never in the URL, and shows the host without them', async () => {
    server.current.enqueue({ payloads: [line('Hello'), doneLine] });
    const adapter = createOllamaAdapter({ host: credentialed() });
    expect(adapter.host).toBe(server.current.url);
    expect((await streamOf(adapter)).at(-1)).toMatchObject({ type: 'finish', content: 'Hello' });
    expect(server.current.requests[0]?.headers.authorization).toBe(basic);
  });

  it('reads them from OLLAMA_HOST too, and from the host of a client passed in', async () => {
    vi.stubEnv('OLLAMA_HOST', credentialed());
    server.current.enqueue({ payloads: [line('Hello'), doneLine] }, { payloads: [line('Hi'), doneLine] });
    const fromEnvironment = createOllamaAdapter();
    expect(fromEnvironment.host).toBe(server.current.url);
    expect((await streamOf(fromEnvironment)).at(-1)).toMatchObject({ type: 'finish' });
    const passedIn = createOllamaAdapter({ client: new Ollama({ host: credentialed() }) });
    expect((await streamOf(passedIn)).at(-1)).toMatchObject({ type: 'finish', content: 'Hi' });
    expect(server.current.requests.map((request) => request.headers.authorization)).toEqual([basic, basic]);
  });

  it('keeps them out of everything reachable from the error of a 401 that echoes them', async () => {
    server.current.enqueue({ status: 401, echoCredentials: true });
    const { error } = errorOf(await streamOf(createOllamaAdapter({ host: credentialed() })));
    expect(error.code).toBe('authentication');
    expect(findSecrets(error, [password, basic.slice('Basic '.length), `admin:${password}`])).toEqual([]);
  });

  it.each([
    ['an Authorization header', { headers: { Authorization: 'Bearer gateway-token-1234' } }],
    ['apiKey', { apiKey: 'ollama-key-123456' }],
  ])('refuses them beside %s with a configuration error that does not echo them', async (_name, settings) => {
    const events = await streamOf(createOllamaAdapter({ host: credentialed(), ...settings }));
    const { error } = errorOf(events);
    expect(events).toHaveLength(1);
    expect(error).toMatchObject({ code: 'configuration', retryable: false });
    expect(error.message).toContain('the host carries credentials (user:password@)');
    expect(findSecrets(error, [password, `admin:${password}`])).toEqual([]);
    expect(server.current.requests).toHaveLength(0);
  });
});

describe('the credentials of a client passed in', () => {
  it('refuses a host with credentials beside an Authorization header, quoting neither', async () => {
    const password = 'pw-5a4b3c2d1e';
    const host = server.current.url.replace('http://', `http://admin:${password}@`);
    const client = new Ollama({ host, headers: { Authorization: 'Bearer proxy-token-9f8e7d' } });
    const { error } = errorOf(await streamOf(createOllamaAdapter({ client })));
    expect(error).toMatchObject({ code: 'configuration', retryable: false });
    expect(findSecrets(error, [password, 'proxy-token-9f8e7d'])).toEqual([]);
    expect(server.current.requests).toHaveLength(0);
  });

  it('registers its default headers, in any form ollama-js takes, as secrets', async () => {
    const token = 'gateway-secret-0d9c8b7a6f';
    const client = new Ollama({
      host: server.current.url,
      headers: new Headers({ 'x-gateway-token': token }),
    });
    server.current.enqueue({ status: 401, echoCredentials: true });
    const { error } = errorOf(await streamOf(createOllamaAdapter({ client })));
    expect(server.current.requests[0]?.headers['x-gateway-token']).toBe(token);
    expect(findSecrets(error, [token])).toEqual([]);
  });
});
