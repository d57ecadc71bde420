import { createTokenwire, type TokenwireError } from '@tokenwire/core';
import { collect } from '@tokenwire/testing';
import { Ollama } from 'ollama';
import { afterEach, describe, expect, it, vi } from 'vitest';
import * as ollamaPackage from './index.js';
import { fixture, onlyError, useReplayServer } from './ollama.test-helpers.js';
import { createAdapter, createOllamaAdapter, type OllamaAdapterSettings } from './ollama-adapter.js';

// Settings problems, end to end: each is the `configuration` error event of the first request
// (the factory never throws), and nothing reaches the replay server.

const request = { model: 'ollama/llama3.2', messages: [{ role: 'user' as const, content: 'Hi' }] };

const replay = useReplayServer();
afterEach(() => {
  vi.unstubAllEnvs();
});

/** The first request's error with these settings, passed to `createOllamaAdapter` (which must not throw). */
async function errorWith(settings: Record<string, unknown>): Promise<TokenwireError> {
  const adapter = createOllamaAdapter(settings as OllamaAdapterSettings);
  const tokenwire = createTokenwire({ providers: { ollama: adapter }, retries: 0 });
  return onlyError(await collect(tokenwire.stream(request)));
}

describe('ollama adapter settings', () => {
  it('names an unknown setting and the closest known one, through configuration-driven loading', async () => {
    const tokenwire = createTokenwire({
      providers: { ollama: { baseUrl: replay.current.url } },
      retries: 0,
      loadModule: async () => ollamaPackage,
    });
    const error = onlyError(await collect(tokenwire.stream(request)));
    expect(error).toMatchObject({ code: 'configuration', provider: 'ollama', retryable: false });
    expect(error.message).toContain("'baseUrl'");
    expect(error.message).toContain('Did you mean baseURL?');
    expect(replay.current.requests).toEqual([]);
  });

  it.each([
    ['host', { host: 11434 }, 'must be a string'],
    ['keepAlive', { keepAlive: true }, 'a number of seconds'],
    ['headers', { headers: 'Authorization: x' }, 'header names to strings'],
    ['fetch', { fetch: 'node-fetch' }, 'must be a function'],
  ])('refuses a %s of the wrong type from createAdapter', async (name, settings, rule) => {
    const adapter = createAdapter({ provider: 'ollama', ...settings });
    const tokenwire = createTokenwire({ providers: { ollama: adapter }, retries: 0 });
    const error = onlyError(await collect(tokenwire.stream(request)));
    expect(error.code).toBe('configuration');
    expect(error.message).toContain(name);
    expect(error.message).toContain(rule);
    expect(replay.current.requests).toEqual([]);
  });

  it.each([
    [
      'host and baseURL',
      () => ({ host: replay.current.url, baseURL: replay.current.url }),
      'host and baseURL',
    ],
    [
      'apiKey and an Authorization header',
      () => ({ host: replay.current.url, apiKey: 'key-1', headers: { authorization: 'Bearer key-2' } }),
      'apiKey and headers.Authorization',
    ],
    [
      'a host beside a client',
      () => ({ client: new Ollama({ host: replay.current.url }), host: replay.current.url }),
      'host',
    ],
  ])('refuses %s together, without quoting their values', async (_, settings, says) => {
    const error = await errorWith(settings());
    expect(error.code).toBe('configuration');
    expect(error.message).toContain(says);
    expect(error.message).not.toContain('key-1');
    expect(replay.current.requests).toEqual([]);
  });

  it('reports the configuration error from adapter.client too', () => {
    const adapter = createOllamaAdapter({ keepAlive: true } as unknown as OllamaAdapterSettings);
    expect(() => adapter.client).toThrow(/keepAlive/);
  });
});

describe('ollama adapter keys', () => {
  /** A fetch that sends ollama.com's requests to the replay server, and counts them. */
  const toReplayServer = vi.fn((input: string | URL | Request, init?: RequestInit) =>
    fetch(String(input).replace('https://ollama.com:443', replay.current.url), init),
  );
  afterEach(() => toReplayServer.mockClear());

  it('needs a key for https://ollama.com: a configuration error naming OLLAMA_API_KEY, nothing sent', async () => {
    vi.stubEnv('OLLAMA_API_KEY', '');
    const error = await errorWith({ host: 'https://ollama.com', fetch: toReplayServer });
    expect(error.code).toBe('configuration');
    expect(error.message).toContain('OLLAMA_API_KEY');
    expect(toReplayServer).not.toHaveBeenCalled();
    expect(replay.current.requests).toEqual([]);
  });

  it('sends OLLAMA_API_KEY to https://ollama.com as a bearer token', async () => {
    vi.stubEnv('OLLAMA_API_KEY', 'ollama-env-key');
    replay.current.enqueue({ fixture: fixture('ollama-text.ndjson') });
    const adapter = createOllamaAdapter({ host: 'https://ollama.com', fetch: toReplayServer });
    const events = await collect(
      createTokenwire({ providers: { ollama: adapter }, retries: 0 }).stream(request),
    );
    expect(events.at(-1)?.type).toBe('finish');
    expect(replay.current.requests[0]?.headers.authorization).toBe('Bearer ollama-env-key');
  });

  it('sends no key to another host, even when OLLAMA_API_KEY is set', async () => {
    vi.stubEnv('OLLAMA_API_KEY', 'ollama-env-key');
    replay.current.enqueue({ fixture: fixture('ollama-text.ndjson') });
    const adapter = createOllamaAdapter({ host: replay.current.url });
    await collect(createTokenwire({ providers: { ollama: adapter }, retries: 0 }).stream(request));
    expect(replay.current.requests[0]?.headers.authorization).toBeUndefined();
  });
});
