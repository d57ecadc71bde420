import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { Coordinator } from '../coordinate/coordinator.js';
import { inMemoryCoordinator } from '../coordinate/in-memory-coordinator.js';
import type { FinishEvent } from '../model/types.js';
import { createTokenwire } from '../runtime/create-tokenwire.js';
import { collectEvents, scriptedAdapter } from '../runtime/scripted-adapter.test-helpers.js';
import { parseSSE } from './sse.js';
import { serveSSE } from './sse-resume.js';

const messages = [{ role: 'user' as const, content: 'Hi' }];
let server: Server | undefined;

afterEach(async () => {
  await new Promise((resolve) => server?.close(resolve) ?? resolve(undefined));
  server = undefined;
});

/** A node:http server whose every request is served by serveSSE with a fresh scripted stream. */
async function serve(coordinator: Coordinator, start?: () => never): Promise<string> {
  const adapter = scriptedAdapter([
    { type: 'text', delta: 'Hello' },
    { type: 'text', delta: ' there' },
    { type: 'finish', reason: 'stop' },
  ]);
  const tokenwire = createTokenwire({ providers: { mock: adapter }, retries: 0 });
  server = createServer((request, response) => {
    void serveSSE(request, response, {
      coordinator,
      streamId: 'served',
      start: start ?? (() => tokenwire.stream({ model: 'mock/m', messages })),
    });
  });
  await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', () => resolve()));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/chat`;
}

describe('serveSSE on node:http', () => {
  it('serves a new stream, then its rest to a request with Last-Event-ID', async () => {
    const url = await serve(inMemoryCoordinator());
    const events = await collectEvents(parseSSE(await fetch(url)));
    expect((events.at(-1) as FinishEvent).content).toBe('Hello there');
    const rest = await fetch(url, { headers: { 'last-event-id': 'served:2' } });
    expect(rest.status).toBe(200);
    const text = await rest.text();
    expect(text).toContain('id: served:3\ndata:  there\n\n');
    expect(text).not.toContain('served:2');
  });

  it('answers 404 to an unknown stream, 503 when the store cannot be reached, 500 when start() throws', async () => {
    const broken = new Proxy(inMemoryCoordinator(), {
      get: (target, name) =>
        name === 'hasStream' ? () => Promise.reject(new Error('ECONNREFUSED')) : Reflect.get(target, name),
    });
    const url = await serve(broken, () => {
      throw new Error('no stream today');
    });
    expect((await fetch(url, { headers: { 'last-event-id': 'served:1' } })).status).toBe(503);
    const failed = await fetch(url);
    expect(failed.status).toBe(500);
    expect(await failed.text()).toContain('no stream today');
    server?.close();
    const working = await serve(inMemoryCoordinator());
    expect((await fetch(working, { headers: { 'last-event-id': 'other:1' } })).status).toBe(404);
  });
});
