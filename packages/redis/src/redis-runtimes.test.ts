import { afterEach, describe, expect, it } from 'vitest';
import { redisCoordinator } from './redis-coordinator.js';

const navigatorBefore = Object.getOwnPropertyDescriptor(globalThis, 'navigator');

afterEach(() => {
  if (navigatorBefore === undefined) delete (globalThis as { navigator?: unknown }).navigator;
  else Object.defineProperty(globalThis, 'navigator', navigatorBefore);
});

describe('redisCoordinator where there is no TCP', () => {
  it('refuses a url on Workers, naming the runtime and what to use instead', () => {
    // workerd's navigator.userAgent: this process looks like a Worker until the test ends
    Object.defineProperty(globalThis, 'navigator', {
      value: { userAgent: 'Cloudflare-Workers' },
      configurable: true,
    });
    expect(() => redisCoordinator({ url: 'redis://127.0.0.1:6379' })).toThrow(
      /^redisCoordinator\(\{ url \}\) \(a TCP connection to Redis\) needs Node\.js APIs, which Cloudflare Workers \(workerd\) does not have: keep the default inMemoryCoordinator\(\)/,
    );
  });
});
