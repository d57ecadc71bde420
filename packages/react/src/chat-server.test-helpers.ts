import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  type Coordinator,
  cancelSSE,
  createTokenwire,
  inMemoryCoordinator,
  type Message,
  serveSSE,
  type Tool,
} from '@tokenwire/core';
import type { MockAdapter } from '@tokenwire/testing';

/** A chat backend as an application writes it: POST starts, GET with Last-Event-ID resumes, /cancel stops. */
export interface ChatReplica {
  url: string;
  close(): Promise<void>;
}

async function bodyOf(request: IncomingMessage): Promise<Record<string, unknown>> {
  let text = '';
  for await (const chunk of request) text += String(chunk);
  return text === '' ? {} : (JSON.parse(text) as Record<string, unknown>);
}

/** One replica of the chat backend; replicas sharing `coordinator` resume and stop each other's streams. */
export async function startChatReplica(
  adapter: MockAdapter,
  coordinator: Coordinator,
  tools: Tool[] = [],
): Promise<ChatReplica> {
  const tokenwire = createTokenwire({ providers: { mock: adapter }, retries: 0 });
  const server: Server = createServer((request, response) => {
    void (async () => {
      // The page under test (happy-dom) is on another origin.
      response.setHeader('access-control-allow-origin', '*');
      response.setHeader('access-control-allow-headers', 'content-type, last-event-id, accept');
      if (request.method === 'OPTIONS') return void response.writeHead(204).end();
      if (request.method === 'POST' && request.url === '/chat/cancel') {
        const { streamId } = await bodyOf(request);
        await cancelSSE(coordinator, String(streamId));
        response.writeHead(204).end();
        return;
      }
      const body = request.method === 'POST' ? await bodyOf(request) : {};
      const streamId = typeof body.streamId === 'string' ? body.streamId : undefined;
      // A request whose stream exists already (an approval sent again) is served, not run again.
      if (streamId !== undefined && (await coordinator.hasStream(streamId)))
        request.headers['last-event-id'] = `${streamId}:0`;
      await serveSSE(request, response, {
        coordinator,
        flushMs: 0,
        ...(streamId === undefined ? {} : { streamId }),
        start: () => tokenwire.stream({ model: 'mock/m', messages: body.messages as Message[], tools }),
      });
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/chat`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Two replicas on one coordinator. */
export async function startReplicas(
  adapter: MockAdapter,
  tools: Tool[] = [],
): Promise<[ChatReplica, ChatReplica]> {
  const coordinator = inMemoryCoordinator();
  return [
    await startChatReplica(adapter, coordinator, tools),
    await startChatReplica(adapter, coordinator, tools),
  ];
}

/** A `sessionStorage` of one test. */
export function memoryStorage(): {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
} {
  const items = new Map<string, string>();
  return { getItem: (key) => items.get(key) ?? null, setItem: (key, value) => void items.set(key, value) };
}

/** A frame scheduler whose frames run only when the test says so. */
export function manualFrames(): {
  schedule: (callback: () => void) => () => void;
  flush(): void;
  pending(): number;
} {
  const callbacks = new Set<() => void>();
  return {
    schedule(callback) {
      callbacks.add(callback);
      return () => callbacks.delete(callback);
    },
    flush() {
      const due = [...callbacks];
      callbacks.clear();
      for (const callback of due) callback();
    },
    pending: () => callbacks.size,
  };
}

/** Waits until `check()` holds (polling every 10 ms), at most `timeoutMs`. */
export async function until(check: () => boolean, timeoutMs = 5_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > end) throw new Error('timed out waiting');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
