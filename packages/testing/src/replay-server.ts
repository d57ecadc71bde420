import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { ByteSplit } from './byte-splits.js';
import { type Answer, answerWithStatus, answerWithStream, credentialsOf } from './replay-answer.js';
import { playedScript, requestModelOf, type ScriptedReply } from './scripted-reply.js';
import { type CustomWireFormat, wireFor, wireNameOfPath } from './wire-format.js';
import { errorBody } from './wire-formats.js';

/** What the replay server answers one request with: a stream of payloads, faults, or an HTTP error. */
export interface ReplayScript {
  /** JSON payloads in order, one SSE record / NDJSON line each. A string is sent verbatim as the data. */
  payloads?: unknown[];
  /**
   * Instead of `payloads`: a reply (text, reasoning, tool calls, usage, an in-band error) the server
   * encodes for the wire the request came in on, as the model the request asked for (`scriptedReply`).
   */
  reply?: ScriptedReply;
  /** Instead of `payloads`: a `*.chunks.txt` file, one JSON payload per line (blank lines skipped). */
  fixture?: string | URL;
  /** Answer with this HTTP status and an error body in the vendor's format (no stream). */
  status?: number;
  /** Extra response headers (e.g. `{ 'retry-after': '1' }`), also for status answers. */
  headers?: Record<string, string>;
  /**
   * Overrides the vendor-format error body of a status answer. A string is sent as an HTML page;
   * with `echoCredentials`, `{{credentials}}` in it is replaced by the request's credentials.
   */
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
  /**
   * Write N records, then a record that carries nothing (an empty delta, `response.in_progress`,
   * empty parts: `emptyRecord` of the wire, or `payload`) every `everyMs`, until the client closes.
   */
  heartbeat?: { after: number; everyMs: number; payload?: unknown };
  /** After the complete stream (terminal record included), keep the connection open until the client closes. */
  holdOpen?: boolean;
  /**
   * Echo the request's credentials (Authorization, x-api-key, x-goog-api-key, proxy headers) the way
   * OpenAI's 401 body and proxies' error pages do: in the error message of a status answer or an
   * in-band error, and in `www-authenticate` and `x-echoed-authorization` response headers.
   */
  echoCredentials?: boolean;
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
  /** Stream responses still open now (begun, not yet closed by either side). */
  readonly openResponses: number;
  /** The most stream responses that were open at once since the server started. */
  readonly peakOpenResponses: number;
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
  openResponses = 0;
  peakOpenResponses = 0;
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
    const protocol = wireNameOfPath(path, this.customWires);
    this.requests.push({ method, path, url, headers: flatHeaders(request), body, protocol });
    const requestId = `req_replay_${++this.requestCount}`;
    const idHeaders = { 'x-request-id': requestId, 'request-id': requestId, 'x-amzn-requestid': requestId };

    const next = this.queue[0];
    const wire = wireFor(path, next?.protocol, this.customWires);
    if (next === undefined || wire === undefined) {
      const message =
        next === undefined
          ? `replay server: no script queued for ${method} ${path}`
          : `replay server: ${method} ${path} is not a path of any vendor SDK; serve your own with addWireFormat(), or set the script's protocol`;
      const status = next === undefined ? 500 : 404;
      response.writeHead(status, {
        'content-type': 'application/json',
        ...idHeaders,
        ...wire?.errorHeaders(status),
      });
      const answer =
        wire === undefined ? errorBody(undefined, status, message) : wire.errorBody(status, message);
      response.end(JSON.stringify(answer));
      return;
    }
    this.queue.shift();
    let finished = false;
    this.openResponses++;
    this.peakOpenResponses = Math.max(this.peakOpenResponses, this.openResponses);
    const closed = new Promise<void>((resolve) => {
      response.on('close', () => {
        this.openResponses--;
        if (!finished && !this.closing) this.onClientClose();
        resolve();
      });
    });
    let script: ReplayScript;
    try {
      script = playedScript(next, wire.name, requestModelOf(body, path));
    } catch (error) {
      response.writeHead(500, { 'content-type': 'text/plain', ...idHeaders });
      response.end((error as Error).message);
      return;
    }
    const answer: Answer = {
      response,
      script,
      wire,
      requestId,
      credentials: credentialsOf(request),
      closed,
      finish: () => {
        finished = true;
      },
    };
    if (script.status !== undefined) answerWithStatus(answer, script.status);
    else await answerWithStream(answer);
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
