import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { ByteSplit } from './byte-splits.js';
import { readFixture } from './fixtures.js';
import { bodyPieces, stopOf, writePieces } from './replay-body.js';
import { type CustomWireFormat, wireFor } from './wire-format.js';
import { errorBody, protocolOfPath } from './wire-formats.js';

/** What the replay server answers one request with: a stream of payloads, faults, or an HTTP error. */
export interface ReplayScript {
  /** JSON payloads in order, one SSE record / NDJSON line each. A string is sent verbatim as the data. */
  payloads?: unknown[];
  /** Instead of `payloads`: a `*.chunks.txt` file, one JSON payload per line (blank lines skipped). */
  fixture?: string | URL;
  /** Answer with this HTTP status and an error body in the vendor's format (no stream). */
  status?: number;
  /** Extra response headers (e.g. `{ 'retry-after': '1' }`), also for status answers. */
  headers?: Record<string, string>;
  /** Overrides the vendor-format error body of a status answer. */
  errorBody?: unknown;
  /**
   * Byte boundaries of the writes: absolute offsets, `'random'` (pieces of 1–12 bytes),
   * `{ min, max, seed }`, or `'inside-characters'` (a cut inside every multi-byte UTF-8 character).
   */
  split?: ByteSplit;
  /** Pause between records, in milliseconds. */
  delayMs?: number;
  /** Write N records, then stall until the client closes the connection. */
  stallAfter?: number;
  /** Write N records, then destroy the socket (0: after the 200 headers, before any body byte). */
  destroyAfter?: number;
  /** Write N records, then end cleanly without the protocol's terminal record (OpenAI chat: no `data: [DONE]`). */
  endAfter?: number;
  /** Write N records, then the vendor's in-band error record, then end. */
  inBandError?: { after: number; message?: string; type?: string; code?: number | string };
  /** SSE comment lines (`: keep-alive`) at the start and between records. Ignored for Ollama's NDJSON. */
  keepAlive?: boolean;
  /**
   * Force a wire format: a vendor protocol for a path no vendor SDK uses (e.g. raw `fetch` of Gemini
   * Interactions), or the name of a custom format the server was given.
   */
  protocol?: string;
}

/** One request the replay server received. Header names are lower case. */
export interface RecordedRequest {
  method: string;
  /** The path without the query string, e.g. `/v1/chat/completions`. */
  path: string;
  /** The path with the query string, e.g. `/v1beta/models/m:streamGenerateContent?alt=sse`. */
  url: string;
  headers: Record<string, string>;
  /** The JSON body, parsed; a body that is not JSON is kept as text; no body is undefined. */
  body: unknown;
  /** The wire protocol the path belongs to (a vendor protocol or a custom format's name); undefined for an unknown path. */
  protocol: string | undefined;
}

/** A running replay server. */
export interface ReplayServer {
  /** `http://127.0.0.1:PORT`, no trailing slash. */
  url: string;
  /** Every request received, in order. */
  requests: RecordedRequest[];
  /** Queues scripts: each incoming request takes the next one, in order. */
  enqueue(...scripts: ReplayScript[]): void;
  /** Serves a wire format of your own at its path (the five vendor protocols are always served). */
  addWireFormat(format: CustomWireFormat): void;
  /** How many responses the client closed before the server finished them. */
  closedByClient: number;
  /**
   * Resolves when a client has closed a response early; immediately if that happened since the
   * last call (each call consumes one such close). Rejects after `timeoutMs` (default 2000).
   */
  waitForClientClose(timeoutMs?: number): Promise<void>;
  /** Closes every connection (ending stalled responses) and stops the server. */
  close(): Promise<void>;
}

class Replay implements ReplayServer {
  url = '';
  readonly requests: RecordedRequest[] = [];
  closedByClient = 0;
  private readonly queue: ReplayScript[] = [];
  private readonly customWires: CustomWireFormat[] = [];
  private readonly sockets = new Set<Socket>();
  private readonly closeWaiters: Array<() => void> = [];
  private unclaimedCloses = 0;
  private closing = false;
  private requestCount = 0;
  private readonly server = createServer((request, response) => {
    this.handle(request, response).catch((error: unknown) => {
      if (!response.headersSent) {
        response.writeHead(500, { 'content-type': 'application/json' });
        response.end(JSON.stringify({ error: { message: `replay server: ${String(error)}` } }));
      } else response.destroy();
    });
  });

  constructor(scripts: ReplayScript[]) {
    this.queue.push(...scripts);
    this.server.on('connection', (socket) => {
      socket.setNoDelay(true);
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
    });
  }

  async listen(): Promise<void> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(0, '127.0.0.1', () => resolve());
    });
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  enqueue(...scripts: ReplayScript[]): void {
    this.queue.push(...scripts);
  }

  addWireFormat(format: CustomWireFormat): void {
    this.customWires.push(format);
  }

  waitForClientClose(timeoutMs = 2000): Promise<void> {
    if (this.unclaimedCloses > 0) {
      this.unclaimedCloses--;
      return Promise.resolve();
    }
    return new Promise((resolve, reject) => {
      const waiter = () => {
        clearTimeout(timer);
        resolve();
      };
      const timer = setTimeout(() => {
        this.closeWaiters.splice(this.closeWaiters.indexOf(waiter), 1);
        reject(
          new Error(
            `replay server: no client closed a response early within ${timeoutMs} ms ` +
              `(closed early so far: ${this.closedByClient}). Does the adapter pass its AbortSignal to the SDK?`,
          ),
        );
      }, timeoutMs);
      this.closeWaiters.push(waiter);
    });
  }

  async close(): Promise<void> {
    this.closing = true;
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    for (const socket of this.sockets) socket.destroy();
    this.server.closeAllConnections();
    await closed;
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const body = await readBody(request);
    const url = request.url ?? '/';
    const path = url.split('?')[0] as string;
    const method = request.method ?? 'GET';
    const protocol = this.customWires.find((format) => format.path === path)?.name ?? protocolOfPath(path);
    this.requests.push({ method, path, url, headers: flatHeaders(request), body, protocol });
    const requestId = `req_replay_${++this.requestCount}`;
    const idHeaders = { 'x-request-id': requestId, 'request-id': requestId };

    const next = this.queue[0];
    const wire = wireFor(path, next?.protocol, this.customWires);
    if (next === undefined || wire === undefined) {
      const message =
        next === undefined
          ? `replay server: no script queued for ${method} ${path}`
          : `replay server: ${method} ${path} is not a path of any vendor SDK; serve your own with addWireFormat(), or set the script's protocol`;
      const status = next === undefined ? 500 : 404;
      response.writeHead(status, { 'content-type': 'application/json', ...idHeaders });
      const answer =
        wire === undefined ? errorBody(undefined, status, message) : wire.errorBody(status, message);
      response.end(JSON.stringify(answer));
      return;
    }
    this.queue.shift();
    const script = next;
    let finished = false;
    const closed = new Promise<void>((resolve) => {
      response.on('close', () => {
        if (!finished && !this.closing) this.onClientClose();
        resolve();
      });
    });

    if (script.status !== undefined) {
      let payload = script.errorBody ?? wire.errorBody(script.status);
      if (script.errorBody === undefined && wire.name === 'anthropic') {
        payload = { ...(payload as object), request_id: requestId };
      }
      finished = true;
      response.writeHead(script.status, {
        'content-type': 'application/json',
        ...idHeaders,
        ...script.headers,
      });
      response.end(typeof payload === 'string' ? payload : JSON.stringify(payload));
      return;
    }

    const payloads =
      script.payloads ?? (script.fixture === undefined ? [] : await readFixture(script.fixture));
    const stop = stopOf(script, payloads.length);
    const pieces = bodyPieces(wire, script, payloads, stop);

    response.writeHead(200, {
      'content-type': wire.contentType,
      'cache-control': 'no-cache',
      ...idHeaders,
      ...script.headers,
    });
    response.flushHeaders();

    const writeOk = await writePieces(response, pieces, script.split, closed);
    if (!writeOk) return; // the client went away
    if (stop.kind === 'stall') {
      await closed;
      return;
    }
    finished = true;
    if (stop.kind === 'destroy') response.socket?.destroy();
    else response.end();
  }

  private onClientClose(): void {
    this.closedByClient++;
    const waiter = this.closeWaiters.shift();
    if (waiter === undefined) this.unclaimedCloses++;
    else waiter();
  }
}

async function readBody(request: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  if (chunks.length === 0) return undefined;
  const text = Buffer.concat(chunks).toString('utf8');
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

function flatHeaders(request: IncomingMessage): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(request.headers)) {
    if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return headers;
}

/**
 * Starts a replay server on 127.0.0.1 (a random port). Point a real vendor SDK at `url` (OpenAI:
 * `url + '/v1'`; Anthropic, Google, Ollama: `url`) and queue scripts; every request takes the next
 * script and is recorded. A request with no script queued gets HTTP 500 saying so.
 */
export async function createReplayServer(
  options: { scripts?: ReplayScript[]; wireFormats?: CustomWireFormat[] } = {},
): Promise<ReplayServer> {
  const server = new Replay(options.scripts ?? []);
  for (const format of options.wireFormats ?? []) server.addWireFormat(format);
  await server.listen();
  return server;
}
