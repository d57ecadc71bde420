import { afterEach, describe, expect, it } from 'vitest';
import { base64ToBytes, bytesToBase64, utf8ToBase64 } from '../model/base64.js';
import { TokenwireError } from '../model/errors.js';
import type { Adapter } from '../model/types.js';
import { loadApiKey } from '../request/request-helpers.js';
import { createTokenwire } from './create-tokenwire.js';
import { environmentOf, processEnvironment, requireNodeRuntime, runtimeName } from './environment.js';
import type { AdapterModule, ProviderSettings } from './providers.js';
import { collectEvents, type Step, scriptedAdapter } from './scripted-adapter.test-helpers.js';

const messages = [{ role: 'user' as const, content: 'Hi' }];
const okReply: Step[] = [
  { type: 'text', delta: 'ok' },
  { type: 'finish', reason: 'stop' },
];
const globals = globalThis as { navigator?: unknown };
const navigatorBefore = Object.getOwnPropertyDescriptor(globalThis, 'navigator');

/** Makes this process look like a Worker (workerd's navigator.userAgent) until the test ends. */
function pretendWorkerd(): void {
  Object.defineProperty(globalThis, 'navigator', {
    value: { userAgent: 'Cloudflare-Workers' },
    configurable: true,
  });
}

afterEach(() => {
  if (navigatorBefore === undefined) delete globals.navigator;
  else Object.defineProperty(globalThis, 'navigator', navigatorBefore);
});

describe('the runtime', () => {
  it('is node here, and workerd where navigator says Cloudflare-Workers', () => {
    expect(runtimeName()).toBe('node');
    pretendWorkerd();
    expect(runtimeName()).toBe('workerd');
  });

  it('lets Node features run on Node, and names the runtime and the alternative elsewhere', () => {
    expect(() => requireNodeRuntime('gateway.listen()', 'serve gateway.fetch')).not.toThrow();
    pretendWorkerd();
    let thrown: unknown;
    try {
      requireNodeRuntime('gateway.listen()', 'serve gateway.fetch');
    } catch (error) {
      thrown = error;
    }
    expect(TokenwireError.isInstance(thrown)).toBe(true);
    expect((thrown as TokenwireError).code).toBe('configuration');
    expect((thrown as TokenwireError).message).toBe(
      'gateway.listen() needs Node.js APIs, which Cloudflare Workers (workerd) does not have: serve gateway.fetch.',
    );
  });
});

describe('env instead of process.env', () => {
  it('reads the string variables of env, leaving a Worker’s other bindings out', () => {
    const kv = { get: () => undefined };
    expect(environmentOf({ OPENAI_API_KEY: 'sk-env-1234567', CACHE: kv })).toEqual({
      OPENAI_API_KEY: 'sk-env-1234567',
    });
    expect(environmentOf(undefined)).toBe(process.env);
  });

  it('reads no process.env where Deno has not granted env access (it would throw)', () => {
    const globals = globalThis as { Deno?: unknown };
    const state = { value: 'prompt' };
    globals.Deno = { permissions: { querySync: () => ({ state: state.value }) } };
    try {
      expect(processEnvironment()).toEqual({});
      state.value = 'granted';
      expect(processEnvironment()).toBe(process.env);
    } finally {
      delete globals.Deno;
    }
  });

  it('loads a key from env, and names the variable when env has none', () => {
    const source = { apiKey: undefined, environmentVariables: ['ACME_API_KEY'], provider: 'acme' };
    expect(loadApiKey({ ...source, environment: { ACME_API_KEY: 'acme-key-123456' } })).toBe(
      'acme-key-123456',
    );
    expect(() => loadApiKey({ ...source, environment: {} })).toThrow(
      /set the ACME_API_KEY environment variable/,
    );
  });

  it('passes createTokenwire’s env to the adapters it creates from settings', async () => {
    const seen: ProviderSettings[] = [];
    const module: AdapterModule = {
      createAdapter(settings) {
        seen.push(settings);
        return scriptedAdapter(okReply) as Adapter;
      },
    };
    const env = { ACME_API_KEY: 'acme-key-654321' };
    const tokenwire = createTokenwire({ env, providers: { acme: {} }, loadModule: async () => module });
    const events = await collectEvents(tokenwire.stream({ model: 'acme/m', messages }));
    expect(events.at(-1)).toMatchObject({ type: 'finish', content: 'ok' });
    expect(seen).toEqual([{ provider: 'acme', env }]);
  });

  it('keeps a provider’s own env over the client’s', async () => {
    const seen: ProviderSettings[] = [];
    const module: AdapterModule = {
      createAdapter(settings) {
        seen.push(settings);
        return scriptedAdapter(okReply);
      },
    };
    const own = { ACME_API_KEY: 'own-key-1234567' };
    const tokenwire = createTokenwire({
      env: { ACME_API_KEY: 'client-key-1234' },
      providers: { acme: { env: own } },
      loadModule: async () => module,
    });
    await collectEvents(tokenwire.stream({ model: 'acme/m', messages }));
    expect(seen[0]?.env).toBe(own);
  });

  it('refuses an env that is not an object, naming it', async () => {
    const tokenwire = createTokenwire({ env: 'OPENAI_API_KEY=x' as never });
    const events = await collectEvents(tokenwire.stream({ model: 'acme/m', messages }));
    expect(events).toMatchObject([{ type: 'error', error: { code: 'configuration' } }]);
    expect(JSON.stringify(events)).toMatch(/env must be an object/);
  });
});

describe('base64 without Buffer', () => {
  it('reads both alphabets, without padding and across line breaks, as Buffer does', () => {
    const bytes = Uint8Array.from([251, 255, 191, 0, 1, 2, 3]);
    const standard = Buffer.from(bytes).toString('base64');
    expect(standard).toBe('+/+/AAECAw==');
    for (const text of [standard, '-_-_AAECAw', '+/+/\nAAECAw==']) expect(base64ToBytes(text)).toEqual(bytes);
  });

  it('skips what is not base64 as Buffer does, never throwing', () => {
    for (const text of ['/etc/passwd', 'do not send me', 'a', '!!', 'QUJD.RA==']) {
      expect(base64ToBytes(text)).toEqual(new Uint8Array(Buffer.from(text, 'base64')));
    }
  });

  it('writes standard padded base64, also for bytes past the 32 KiB chunk', () => {
    const bytes = Uint8Array.from({ length: 70_000 }, (_, index) => (index * 31) % 256);
    expect(bytesToBase64(bytes)).toBe(Buffer.from(bytes).toString('base64'));
    expect(utf8ToBase64('user:pässword')).toBe(Buffer.from('user:pässword', 'utf8').toString('base64'));
  });
});
