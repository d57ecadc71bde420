import { TokenwireError } from '@tokenwire/core';
import { afterEach, describe, expect, it } from 'vitest';
import { pgliteStore } from './pglite-store.js';

const navigatorBefore = Object.getOwnPropertyDescriptor(globalThis, 'navigator');

afterEach(() => {
  if (navigatorBefore === undefined) delete (globalThis as { navigator?: unknown }).navigator;
  else Object.defineProperty(globalThis, 'navigator', navigatorBefore);
});

/** workerd's navigator.userAgent: this process looks like a Worker until the test ends. */
function pretendWorkerd(): void {
  Object.defineProperty(globalThis, 'navigator', {
    value: { userAgent: 'Cloudflare-Workers' },
    configurable: true,
  });
}

describe('pgliteStore where there is no file system', () => {
  it('refuses a data folder on Workers, naming the runtime and what to use instead', () => {
    pretendWorkerd();
    let thrown: unknown;
    try {
      pgliteStore({ dataDir: './gateway-data' });
    } catch (error) {
      thrown = error;
    }
    expect(TokenwireError.isInstance(thrown) && thrown.code).toBe('configuration');
    expect((thrown as Error).message).toBe(
      'pgliteStore({ dataDir }) (a database in a folder) needs Node.js APIs, which Cloudflare Workers (workerd) ' +
        'does not have: leave dataDir out for an in-memory store, or pass postgresStore({ url }) to keep keys and spend.',
    );
  });

  it('takes an in-memory store, memory:// and idb:// there, and a folder on Node', () => {
    pretendWorkerd();
    expect(() => pgliteStore()).not.toThrow();
    expect(() => pgliteStore({ dataDir: 'memory://' })).not.toThrow();
    expect(() => pgliteStore({ dataDir: 'idb://gateway' })).not.toThrow();
    delete (globalThis as { navigator?: unknown }).navigator;
    if (navigatorBefore !== undefined) Object.defineProperty(globalThis, 'navigator', navigatorBefore);
    expect(() => pgliteStore({ dataDir: './gateway-data' })).not.toThrow();
  });
});
