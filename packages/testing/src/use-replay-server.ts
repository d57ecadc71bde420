import { afterAll, afterEach, beforeAll, beforeEach } from 'vitest';
import { createReplayServer, type ReplayServer } from './replay-server.js';

/** How long the server of `useReplayServer` lives. */
export interface UseReplayServerOptions {
  /** `'test'` (default): a new server for every test; `'file'`: one for the file's tests, its `requests` cleared after each. */
  per?: 'test' | 'file';
}

/**
 * Registers vitest hooks that start a replay server on loopback before each test (or once per
 * file) and close it after, and returns the server the running test sees: its `url`, `script`,
 * `requests` and the rest read through to the current one. Use it at the top of a test file or a
 * `describe` block.
 */
export function useReplayServer(options: UseReplayServerOptions = {}): ReplayServer {
  let current: ReplayServer | undefined;
  const start = async () => {
    current = await createReplayServer();
  };
  const stop = async () => {
    await current?.close();
    current = undefined;
  };
  if (options.per === 'file') {
    beforeAll(start);
    afterAll(stop);
    afterEach(() => {
      if (current !== undefined) current.requests.length = 0;
    });
  } else {
    beforeEach(start);
    afterEach(stop);
  }
  return new Proxy({} as ReplayServer, {
    get(_target, key) {
      if (current === undefined)
        throw new Error('useReplayServer: the server is read outside a test or a hook.');
      const value: unknown = Reflect.get(current, key);
      return typeof value === 'function' ? value.bind(current) : value;
    },
    set(_target, key, value) {
      return current !== undefined && Reflect.set(current, key, value);
    },
  });
}
