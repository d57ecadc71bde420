import { isAbortError, TokenwireError } from '../model/errors.js';
import type { StreamEvent } from '../model/types.js';
import { type ByteStream, readSSE } from '../transport/read-records.js';
import { parseEventId, type ResumableOptions, StreamPump } from './resumable-sse.js';
import { isByteStream, reconnected, reconnectionOf, responseBody } from './sse-reconnect.js';
import { pumpBody } from './sse-resume.js';
import { type EventEncoder, tokenwireEncoder, wireState } from './sse-wire.js';
import { decodeEvent } from './sse-wire-decode.js';

/**
 * Options of `toSSE`. With a `coordinator` the stream is resumable: every record gets an `id:`
 * (`<streamId>:<seq>`), the records go to the coordinator's stream store (in batches), a client that
 * goes away no longer cancels the stream (`cancelSSE` does, from any replica), and `resumeSSE` serves
 * the rest of it after a `Last-Event-ID` on any replica, for `retainMs` after its end.
 */
export interface ToSSEOptions extends Partial<ResumableOptions> {
  /** `toSSE` makes the body only: send `sseHeaders` with the `Response`. */
  headers?: never;
}

/**
 * The response headers of an SSE stream: `text/event-stream`, no caching or transformation,
 * and `x-accel-buffering: no` so that nginx-style proxies pass each event on at once.
 */
export const sseHeaders: Readonly<Record<string, string>> = Object.freeze({
  'content-type': 'text/event-stream; charset=utf-8',
  'cache-control': 'no-cache, no-transform',
  connection: 'keep-alive',
  'x-accel-buffering': 'no',
});

/**
 * Turns a stream of events into an SSE body, ready to be returned as
 * `new Response(toSSE(stream), { headers: sseHeaders })`; `parseSSE` reads it back into the same
 * events. The wire carries each event's delta, never its accumulated fields, so its size grows
 * with the answer (a 40 KB answer in 8,000 tokens is about 2.6× the text): a token is the default
 * SSE event with the text as its data (so `EventSource.onmessage` gets the text itself), every
 * other event is `event: <type>` with JSON, and `finish` leaves out the text and calls already sent.
 * Errors are sent through `TokenwireError.toJSON()`: code, message, provider, status, retryable,
 * retryAfterMs, requestId, never the `cause`. Events are read only as fast as the client takes
 * them; when the client goes away (the body is cancelled), `return()` is called on the stream,
 * which cancels a `TokenwireStream` and closes its upstream connection. If the stream throws, an
 * `error` event with what was sent so far ends the body.
 */
export function toSSE(
  stream: AsyncIterable<StreamEvent>,
  options?: ToSSEOptions,
): ReadableStream<Uint8Array> {
  if (options?.coordinator !== undefined) {
    return pumpBody(new StreamPump(stream, { ...options, coordinator: options.coordinator }));
  }
  return eventBody(stream, tokenwireEncoder());
}

/** The SSE body of a stream, one event pulled per read of the body, written by `encoder`. */
export function eventBody(
  stream: AsyncIterable<StreamEvent>,
  encoder: EventEncoder,
): ReadableStream<Uint8Array> {
  const iterator = stream[Symbol.asyncIterator]();
  const utf8 = new TextEncoder();
  let closed = false;
  const finish = (controller: ReadableStreamDefaultController<Uint8Array>) => {
    closed = true;
    controller.close();
    closeIterator(iterator);
  };
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        try {
          const result = await iterator.next();
          if (closed) return;
          if (result.done) return finish(controller);
          const event = result.value;
          controller.enqueue(utf8.encode(encoder.encode(event)));
          if (event.type === 'finish' || event.type === 'error') finish(controller);
        } catch (error) {
          // The source threw (or yielded something JSON cannot hold): end the body with an error event.
          if (closed) return;
          try {
            controller.enqueue(utf8.encode(encoder.fail(error)));
            finish(controller);
          } catch {
            closed = true;
            controller.error(error);
            closeIterator(iterator);
          }
        }
      },
      cancel() {
        closed = true;
        closeIterator(iterator);
      },
    },
    // Pull one event per read of the body: nothing is requested before the client asks for it.
    { highWaterMark: 0 },
  );
}

/** Options of `parseSSE`. */
export interface ParseSSEOptions {
  /**
   * Reconnecting after a cut, for streams made resumable (their records carry ids): `parseSSE`
   * sends `GET <url>` with `Last-Event-ID` and goes on with the events after it, as `EventSource`
   * does. Default on when `parseSSE` gets a `Response`: `url` is the response's, 5 `attempts`,
   * `delayMs` 250 (doubling), `fetch` the global one. `false` turns it off.
   */
  reconnect?: false | ReconnectOptions;
}

/** How `parseSSE` reconnects (see `ParseSSEOptions.reconnect`). */
export interface ReconnectOptions {
  /** Where to reconnect. Default: the URL of the `Response` given to `parseSSE`. */
  url?: string;
  /** Reconnections in a row without an event before the cut's error ends the stream. Default 5. */
  attempts?: number;
  /** The wait before the first reconnection, doubling with each. Default 250 ms. */
  delayMs?: number;
  /** The `fetch` to reconnect with. Default `globalThis.fetch`. */
  fetch?: typeof fetch;
}

/** The events `parseSSE` yields, with the id of the last record read (the stream's id is in it). */
export interface SSEEvents extends AsyncGenerator<StreamEvent, void, undefined> {
  /** The `id:` of the last record read, `<streamId>:<seq>` for a resumable stream (for `cancelSSE`). */
  readonly lastEventId: string | undefined;
}

/**
 * Reads an SSE body made by `toSSE` back into typed events, on the client (browser or Node), with
 * their accumulated fields (`accumulatedContent`, the tool call's `arguments`, the finish's text and
 * calls) rebuilt. Accepts a `Response` (an HTTP error status throws the matching TokenwireError),
 * its `body`, or any byte stream. Errors become `TokenwireError` instances again. Records whose
 * event name is not a stream event type are ignored. Iteration ends after the `finish` or `error`
 * event; a body that ends or fails before one throws a `connection` TokenwireError — unless the
 * stream is resumable and `parseSSE` got its `Response`: it then reconnects with `Last-Event-ID`
 * (see `ParseSSEOptions.reconnect`), so every event arrives once, in order.
 */
export function parseSSE(body: ByteStream | Response, options: ParseSSEOptions = {}): SSEEvents {
  const position: { lastEventId: string | undefined } = { lastEventId: undefined };
  const events = readEvents(body, options, position) as SSEEvents;
  Object.defineProperty(events, 'lastEventId', { get: () => position.lastEventId });
  return events;
}

async function* readEvents(
  body: ByteStream | Response,
  options: ParseSSEOptions,
  position: { lastEventId: string | undefined },
): AsyncGenerator<StreamEvent, void, undefined> {
  let bytes = isByteStream(body) ? body : await responseBody(body);
  const reconnect = reconnectionOf(body, options);
  const state = wireState();
  const resume: ResumePoint = { sawStart: false, firstId: undefined };
  for (let failures = 0; ; failures++) {
    let cut: TokenwireError;
    try {
      for await (const record of readSSE(bytes)) {
        if (record.id !== undefined) position.lastEventId = record.id;
        const event = decodeEvent(record.event, record.data, state);
        if (event === undefined) continue;
        markResumed(event, record.id, resume);
        failures = 0;
        yield event;
        if (event.type === 'finish' || event.type === 'error') return;
      }
      cut = new TokenwireError({
        code: 'connection',
        message: 'The SSE stream ended before its finish or error event: the connection was probably cut.',
      });
    } catch (error) {
      if (isAbortError(error) || (TokenwireError.isInstance(error) && error.code !== 'connection'))
        throw error;
      cut = TokenwireError.isInstance(error)
        ? error
        : new TokenwireError({
            code: 'connection',
            message: `Reading the SSE stream failed: ${error instanceof Error ? error.message : String(error)}`,
            cause: error,
          });
    }
    if (reconnect === undefined || position.lastEventId === undefined || failures >= reconnect.attempts)
      throw cut;
    bytes = await reconnected(reconnect, position.lastEventId, failures, cut);
  }
}
function closeIterator(iterator: AsyncIterator<StreamEvent>): void {
  if (iterator.return === undefined) return;
  try {
    Promise.resolve(iterator.return()).catch(() => {});
  } catch {
    // a broken return() must not break the response
  }
}

/** Whether the body began at the start of the stream, and the id of its first record. */
interface ResumePoint {
  sawStart: boolean;
  firstId: string | undefined;
}

/**
 * A body read from a resume point has no `start`: its `finish` or `error` says where it began
 * (`resumedAfter`, the id before its first record), since it holds only what came after.
 */
function markResumed(event: StreamEvent, id: string | undefined, resume: ResumePoint): void {
  if (event.type === 'start') resume.sawStart = true;
  resume.firstId ??= id;
  if (resume.sawStart || (event.type !== 'finish' && event.type !== 'error')) return;
  const first = parseEventId(resume.firstId);
  if (first !== undefined) event.resumedAfter = `${first.streamId}:${first.seq - 1}`;
}
