// The Worker isolate's own V8 heap, read through workerd's inspector (Chrome DevTools Protocol):
// `Runtime.getHeapUsage` between the isolate's tasks, which is what Cloudflare's 128 MB limit counts.
import { createServer } from 'node:net';

interface WebSocketLike {
  once(event: 'open' | 'error', listener: (error?: unknown) => void): void;
  on(event: 'message', listener: (data: unknown) => void): void;
  send(data: string): void;
  close(): void;
}

/** What the isolate's heap held: bytes used by objects, and the heap's size. */
export interface HeapUsage {
  usedBytes: number;
  totalBytes: number;
}

/** A connection to the isolate's inspector. */
export interface HeapInspector {
  usage(): Promise<HeapUsage>;
  close(): void;
}

/** A free loopback port, for workerd's inspector. */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  return typeof address === 'object' && address !== null ? address.port : 0;
}

/** Connects to the user Worker's isolate (`core:user:`) on workerd's inspector port, with miniflare's `ws`. */
export async function inspectHeap(
  port: number,
  WebSocket: new (url: string) => WebSocketLike,
): Promise<HeapInspector> {
  const targets = (await (await fetch(`http://127.0.0.1:${port}/json/list`)).json()) as Array<{
    title: string;
    webSocketDebuggerUrl: string;
  }>;
  const target = targets.find((entry) => entry.title.endsWith('core:user:'));
  if (target === undefined) throw new Error(`no user Worker on the inspector: ${JSON.stringify(targets)}`);
  const socket = new WebSocket(target.webSocketDebuggerUrl);
  await new Promise<void>((resolve, reject) => {
    socket.once('open', () => resolve());
    socket.once('error', reject);
  });
  let id = 0;
  const pending = new Map<number, (result: Record<string, number>) => void>();
  socket.on('message', (data) => {
    const message = JSON.parse(String(data)) as { id?: number; result?: Record<string, number> };
    if (message.id !== undefined) pending.get(message.id)?.(message.result ?? {});
    if (message.id !== undefined) pending.delete(message.id);
  });
  const call = (method: string) =>
    new Promise<Record<string, number>>((resolve) => {
      pending.set(++id, resolve);
      socket.send(JSON.stringify({ id, method, params: {} }));
    });
  return {
    async usage() {
      const result = await call('Runtime.getHeapUsage');
      return { usedBytes: result.usedSize ?? 0, totalBytes: result.totalSize ?? 0 };
    },
    close: () => socket.close(),
  };
}
