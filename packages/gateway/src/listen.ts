import type { IncomingMessage, ServerResponse } from 'node:http';
import { requireNodeRuntime } from '@tokenwire/core/internal';
import type { AnswerSource, GatewayAnswer, GatewayRequest } from './exchange.js';
import type { GatewayHandler } from './gateway-handler.js';
import type { GatewayServer, ListenOptions } from './gateway-types.js';

// `gateway.listen()`: the handler over node:http, with no web Request/Response in between. Bodies
// stream both ways; a client that closes its connection cancels the upstream stream at once.

/** The default port of `listen`. */
export const DEFAULT_PORT = 4000;

/** Whether a host is a loopback address (an open gateway may bind only those). */
export function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || host === '[::1]' || /^127\.\d+\.\d+\.\d+$/.test(host);
}

/** The request body read on demand; leaving early stops reading without destroying the socket. */
function bodyOf(message: IncomingMessage): AsyncIterable<Uint8Array> {
  const wait = () =>
    new Promise<void>((resolve) => {
      const wake = () => {
        message.off('readable', wake).off('end', wake).off('error', wake);
        resolve();
      };
      message.on('readable', wake).on('end', wake).on('error', wake);
    });
  return {
    [Symbol.asyncIterator]: () => ({
      async next(): Promise<IteratorResult<Uint8Array>> {
        for (;;) {
          const chunk = message.read() as Buffer | null;
          if (chunk !== null) return { value: chunk, done: false };
          if (message.errored !== null) throw message.errored;
          if (message.readableEnded) return { value: undefined, done: true };
          await wait();
        }
      },
      async return(): Promise<IteratorResult<Uint8Array>> {
        return { value: undefined, done: true };
      },
    }),
  };
}

function requestOf(message: IncomingMessage, signal: AbortSignal): GatewayRequest {
  const url = message.url ?? '/';
  const query = url.indexOf('?');
  const method = message.method ?? 'GET';
  return {
    method,
    path: query < 0 ? url : url.slice(0, query),
    query: query < 0 ? '' : url.slice(query + 1),
    header(name) {
      const value = message.headers[name];
      if (value === undefined) return null;
      return Array.isArray(value) ? value.join(', ') : value;
    },
    body: method === 'GET' || method === 'HEAD' ? null : bodyOf(message),
    signal,
  };
}

function drained(response: ServerResponse): Promise<void> {
  return new Promise<void>((resolve) => {
    const done = () => {
      response.off('drain', done).off('close', done);
      resolve();
    };
    response.on('drain', done).on('close', done);
  });
}

/**
 * Writes the answer's records as they come, joined per tick: every piece that is ready before the
 * event loop moves on (an upstream chunk holding many records) goes out in one `write`, one HTTP
 * chunk, instead of one per record; a piece that waits for the upstream is written at once. The
 * last batch goes out with the end.
 */
async function writeStream(source: AnswerSource, response: ServerResponse): Promise<void> {
  let batch = '';
  const flush = () => {
    if (batch === '' || response.destroyed) return;
    response.write(batch);
    batch = '';
  };
  for (;;) {
    // Backpressure: a client that reads slowly holds the next pull until its buffer drains.
    if (response.writableNeedDrain) await drained(response);
    const text = await source.next();
    if (text === undefined || response.destroyed) break;
    if (batch === '') process.nextTick(flush);
    batch += text;
  }
  const rest = batch;
  batch = '';
  if (rest === '' || response.destroyed) response.end();
  else response.end(rest);
}

async function serve(
  handle: GatewayHandler,
  message: IncomingMessage,
  response: ServerResponse,
): Promise<void> {
  const controller = new AbortController();
  let source: AnswerSource | undefined;
  response.on('close', () => {
    if (response.writableFinished) return;
    controller.abort();
    source?.cancel();
  });
  let answer: GatewayAnswer;
  try {
    answer = await handle(requestOf(message, controller.signal));
  } catch {
    answer = {
      status: 500,
      headers: { 'content-type': 'application/json' },
      body: '{"error":{"message":"The gateway failed to answer this request.","type":"server_error"}}',
    };
  }
  const headers =
    answer.closeConnection === true ? { ...answer.headers, connection: 'close' } : answer.headers;
  if (typeof answer.body === 'string') {
    response.writeHead(answer.status, { ...headers, 'content-length': Buffer.byteLength(answer.body) });
    response.end(answer.body);
    return;
  }
  source = answer.body;
  if (response.destroyed) {
    source.cancel();
    return;
  }
  response.writeHead(answer.status, headers);
  await writeStream(source, response);
}

/** Serves the handler on node:http; refuses a non-loopback host without auth. */
export async function listenOnNode(
  handle: GatewayHandler,
  options: ListenOptions,
  hasAuth: boolean,
): Promise<GatewayServer> {
  const host = options.host ?? '127.0.0.1';
  const port = options.port ?? DEFAULT_PORT;
  if (!hasAuth && !isLoopback(host)) {
    throw new Error(
      `gateway.listen: refusing to bind ${host} without auth: anyone who reaches it could spend your provider keys. ` +
        "Pass auth: { tokens: [...] } to createGateway, or bind '127.0.0.1'.",
    );
  }
  requireNodeRuntime(
    'gateway.listen()',
    'serve gateway.fetch instead (a Worker: export default { fetch: gateway.fetch })',
  );
  let http: typeof import('node:http');
  try {
    http = await import('node:http');
  } catch {
    throw new Error('gateway.listen needs Node (node:http); on other runtimes, serve gateway.fetch.');
  }
  const server = http.createServer((message, response) => {
    void serve(handle, message, response);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  const address = server.address();
  const bound = typeof address === 'object' && address !== null ? address.port : port;
  const urlHost = host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
  return {
    url: `http://${urlHost}:${bound}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
