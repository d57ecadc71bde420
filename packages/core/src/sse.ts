import {
  errorCodeFromStatus,
  isAbortError,
  retryAfterMsFromHeaders,
  TokenwireError,
  toTokenwireError,
} from './errors.js';
import { type ByteStream, readSSE } from './read-records.js';
import { decodeEvent, encodeEvent, type WireState, wireState } from './sse-wire.js';
import type { ErrorEvent, StreamEvent } from './types.js';

/** Options of `toSSE`. */
export interface ToSSEOptions {
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
  _options?: ToSSEOptions,
): ReadableStream<Uint8Array> {
  const iterator = stream[Symbol.asyncIterator]();
  const encoder = new TextEncoder();
  const sent = wireState();
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
          controller.enqueue(encoder.encode(encodeEvent(event, sent)));
          if (event.type === 'finish' || event.type === 'error') finish(controller);
        } catch (error) {
          // The source threw (or yielded something JSON cannot hold): end the body with an error event.
          if (closed) return;
          try {
            controller.enqueue(encoder.encode(encodeEvent(failureEvent(error, sent), sent)));
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

/**
 * Reads an SSE body made by `toSSE` back into typed events, on the client (browser or Node), with
 * their accumulated fields (`accumulatedContent`, the tool call's `arguments`, the finish's text and
 * calls) rebuilt. Accepts a `Response` (an HTTP error status throws the matching TokenwireError),
 * its `body`, or any byte stream. Errors become `TokenwireError` instances again. Records whose
 * event name is not a stream event type are ignored. Iteration ends after the `finish` or `error`
 * event; a body that ends or fails before one throws a `connection` TokenwireError.
 */
export async function* parseSSE(body: ByteStream | Response): AsyncGenerator<StreamEvent, void, undefined> {
  const bytes = isByteStream(body) ? body : await responseBody(body);
  const state = wireState();
  try {
    for await (const record of readSSE(bytes)) {
      const event = decodeEvent(record.event, record.data, state);
      if (event === undefined) continue;
      yield event;
      if (event.type === 'finish' || event.type === 'error') return;
    }
  } catch (error) {
    if (TokenwireError.isInstance(error) || isAbortError(error)) throw error;
    throw new TokenwireError({
      code: 'connection',
      message: `Reading the SSE stream failed: ${error instanceof Error ? error.message : String(error)}`,
      cause: error,
    });
  }
  throw new TokenwireError({
    code: 'connection',
    message: 'The SSE stream ended before its finish or error event: the connection was probably cut.',
  });
}

/** The error that ends the body when the source throws: what was sent so far, as its partial. */
function failureEvent(thrown: unknown, sent: WireState): ErrorEvent {
  const error = toTokenwireError(thrown);
  const outputTokens = Math.ceil(sent.units / 4);
  return {
    type: 'error',
    error,
    partial: {
      content: sent.content,
      reasoning: sent.reasoning,
      toolCalls: sent.completed,
      usage: { inputTokens: 0, outputTokens, totalTokens: outputTokens, estimated: true },
    },
  };
}

function isByteStream(body: ByteStream | Response): body is ByteStream {
  return (
    typeof (body as ReadableStream).getReader === 'function' ||
    typeof (body as AsyncIterable<Uint8Array>)[Symbol.asyncIterator] === 'function'
  );
}

async function responseBody(response: Response): Promise<ByteStream> {
  if (!response.ok) {
    let text = '';
    try {
      text = (await response.text()).slice(0, 200);
    } catch {
      // the error status says enough
    }
    throw new TokenwireError({
      code: errorCodeFromStatus(response.status),
      status: response.status,
      retryAfterMs: retryAfterMsFromHeaders(response.headers),
      requestId: response.headers.get('x-request-id') ?? undefined,
      message: `The SSE endpoint answered HTTP ${[response.status, response.statusText].join(' ').trim()}${text === '' ? '' : `: ${text}`}`,
    });
  }
  if (response.body === null) {
    throw new TokenwireError({ code: 'invalid_response', message: 'The SSE response has no body.' });
  }
  return response.body as ByteStream;
}

function closeIterator(iterator: AsyncIterator<StreamEvent>): void {
  if (iterator.return === undefined) return;
  try {
    Promise.resolve(iterator.return()).catch(() => {});
  } catch {
    // a broken return() must not break the response
  }
}
