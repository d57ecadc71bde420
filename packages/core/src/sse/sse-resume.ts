import type { Coordinator } from '../coordinate/coordinator.js';
import { TokenwireError, toTokenwireError } from '../model/errors.js';
import type { StreamEvent } from '../model/types.js';
import { parseEventId, type ResumableOptions, StreamPump } from './resumable-sse.js';
import { sseHeaders } from './sse.js';

const encoder = new TextEncoder();

/** The SSE body of a pumped stream for the request that started it, read from this process's memory. */
export function pumpBody(pump: StreamPump): ReadableStream<Uint8Array> {
  return bodyOf((signal) => pump.read(signal));
}

/**
 * The SSE body that resumes a stream after `Last-Event-ID` (`<streamId>:<seq>`, as a resumable
 * `toSSE` writes it), on any replica: every later record exactly once, in order, then the live
 * ones, until the stream's end. Resolves with undefined when the id is not one of tokenwire's or
 * the stream is unknown (never started, or expired: answer 404). When the stream store fails, the
 * body ends with an error, so the client reconnects and resumes again. `<streamId>:0` replays the
 * stream from its start; after a later id, `parseSSE` marks the finish with `resumedAfter`.
 *
 * @example
 * const body = await resumeSSE(coordinator, request.headers.get('last-event-id'));
 * return body ? new Response(body, { headers: sseHeaders }) : new Response('Gone', { status: 404 });
 */
export async function resumeSSE(
  coordinator: Coordinator,
  lastEventId: string | null | undefined,
): Promise<ReadableStream<Uint8Array> | undefined> {
  const resumed = parseEventId(lastEventId);
  if (resumed === undefined || !(await coordinator.hasStream(resumed.streamId))) return undefined;
  return bodyOf(async function* (signal) {
    for await (const batch of coordinator.readRecords(resumed.streamId, resumed.seq, signal)) {
      let text = '';
      for (const record of batch.records) text += record.text;
      if (text !== '') yield text;
    }
  });
}

/**
 * Cancels a resumable stream from any replica: the one that runs it stops the upstream request,
 * and every reader gets `finish` reason `cancelled`. Takes the stream id or a `Last-Event-ID`.
 */
export async function cancelSSE(coordinator: Coordinator, streamIdOrEventId: string): Promise<void> {
  const streamId = parseEventId(streamIdOrEventId)?.streamId ?? streamIdOrEventId;
  await coordinator.cancelStream(streamId);
}

/** What `serveSSE` reads of a `node:http` request. */
export interface SSERequest {
  headers: Record<string, string | string[] | undefined>;
}

/** What `serveSSE` uses of a `node:http` response. */
export interface SSEResponse {
  /** Sends the status and headers. */
  writeHead(status: number, headers: Record<string, string>): unknown;
  /** Sends part of the body. */
  write(chunk: Uint8Array): unknown;
  /** Ends the response. */
  end(): unknown;
  /** `'close'`: the client went away (or the response ended). */
  on(event: 'close', listener: () => void): unknown;
}

/** Options of `serveSSE`: `start` makes a new stream; the rest makes it resumable. */
export interface ServeSSEOptions extends ResumableOptions {
  /** Starts the stream of a request without `Last-Event-ID`, e.g. `() => tokenwire.stream({ … })`. */
  start: () => AsyncIterable<StreamEvent>;
}

/**
 * Serves a resumable SSE stream on a `node:http` response: a request with `Last-Event-ID` resumes
 * its stream (from any replica; 404 when it is unknown or expired), any other starts one with
 * `start()`. A client that goes away stops reading but leaves the stream running, to be resumed;
 * stop it with `cancelSSE`. Resolves when the response has ended, and never rejects: a store that
 * cannot be reached for a resume answers 503 (the client retries), a `start()` that throws 500.
 *
 * @example
 * createServer((request, response) => {
 *   if (request.url === '/chat') void serveSSE(request, response, { coordinator, start: () => tokenwire.stream({ model, messages }) });
 * });
 */
export async function serveSSE(
  request: SSERequest,
  response: SSEResponse,
  options: ServeSSEOptions,
): Promise<void> {
  const header = request.headers['last-event-id'];
  const lastEventId = Array.isArray(header) ? header[0] : header;
  let body: ReadableStream<Uint8Array> | undefined;
  try {
    if (lastEventId === undefined || lastEventId === '')
      body = pumpBody(new StreamPump(options.start(), options));
    else body = await resumeSSE(options.coordinator, lastEventId);
  } catch (error) {
    // The store is unreachable (503: the client retries) or start() threw (500).
    const status = lastEventId === undefined || lastEventId === '' ? 500 : 503;
    return answerText(response, status, `The stream could not be served: ${toTokenwireError(error).message}`);
  }
  if (body === undefined) return answerText(response, 404, 'This stream is unknown or has expired.');
  const reader = body.getReader();
  response.on('close', () => void reader.cancel().catch(() => {}));
  response.writeHead(200, { ...sseHeaders });
  try {
    for (let read = await reader.read(); !read.done; read = await reader.read()) response.write(read.value);
  } catch {
    // the store failed mid-resume: end the response, and the client resumes again
  }
  response.end();
}

function answerText(response: SSEResponse, status: number, text: string): void {
  response.writeHead(status, { 'content-type': 'text/plain; charset=utf-8' });
  response.write(encoder.encode(text));
  response.end();
}

function bodyOf(records: (signal: AbortSignal) => AsyncIterable<string>): ReadableStream<Uint8Array> {
  const controller = new AbortController();
  let iterator: AsyncIterator<string> | undefined;
  return new ReadableStream<Uint8Array>(
    {
      async pull(stream) {
        iterator ??= records(controller.signal)[Symbol.asyncIterator]();
        try {
          const result = await iterator.next();
          if (result.done) stream.close();
          else stream.enqueue(encoder.encode(result.value));
        } catch (error) {
          stream.error(
            TokenwireError.isInstance(error)
              ? error
              : new TokenwireError({ code: 'connection', message: String(error), cause: error }),
          );
        }
      },
      cancel() {
        controller.abort();
      },
    },
    { highWaterMark: 0 },
  );
}
