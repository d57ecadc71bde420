import type { TokenwireErrorCode } from './errors.js';
import {
  errorCodeFromStatus,
  isAbortError,
  retryAfterMsFromHeaders,
  TokenwireError,
  toTokenwireError,
} from './errors.js';
import { type ByteStream, readSSE } from './read-records.js';
import type { ErrorEvent, StreamEvent, ToolCall } from './types.js';

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

const STREAM_EVENT_TYPES: ReadonlySet<string> = new Set<StreamEvent['type']>([
  'start',
  'token',
  'reasoning',
  'tool_call_chunk',
  'tool_call_complete',
  'finish',
  'error',
]);

// A record, so that adding a code to TokenwireErrorCode without listing it here fails to compile.
const ERROR_CODES: Record<TokenwireErrorCode, true> = {
  authentication: true,
  permission: true,
  rate_limit: true,
  quota_exceeded: true,
  context_length: true,
  invalid_request: true,
  not_found: true,
  content_filter: true,
  overloaded: true,
  server: true,
  connection: true,
  timeout: true,
  invalid_response: true,
  configuration: true,
  unknown: true,
};

/**
 * Turns a stream of events into an SSE body (`event: <type>` and `data: <json>` per event), ready
 * to be returned as `new Response(toSSE(stream), { headers: sseHeaders })`. Errors are sent
 * through `TokenwireError.toJSON()`: code, message, provider, status, retryable, retryAfterMs,
 * requestId, never the `cause`. Events are read only as fast as the client takes them; when the
 * client goes away (the body is cancelled), `return()` is called on the stream, which cancels a
 * `TokenwireStream` and closes its upstream connection. If the stream throws, an `error` event
 * with what was sent so far ends the body.
 */
export function toSSE(
  stream: AsyncIterable<StreamEvent>,
  _options?: ToSSEOptions,
): ReadableStream<Uint8Array> {
  const iterator = stream[Symbol.asyncIterator]();
  const encoder = new TextEncoder();
  const sent: PartialTracker = { content: '', reasoning: '', toolCalls: [], outputTokens: 0 };
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
          controller.enqueue(encoder.encode(formatEvent(event)));
          track(event, sent);
          if (event.type === 'finish' || event.type === 'error') finish(controller);
        } catch (error) {
          // The source threw (or yielded something JSON cannot hold): end the body with an error event.
          if (closed) return;
          try {
            controller.enqueue(encoder.encode(formatEvent(failureEvent(error, sent))));
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
 * Reads an SSE body made by `toSSE` back into typed events, on the client (browser or Node).
 * Accepts a `Response` (an HTTP error status throws the matching TokenwireError), its `body`, or any
 * byte stream. Errors become `TokenwireError` instances again. Records whose event name is not a
 * stream event type are ignored. Iteration ends after the `finish` or `error` event; a body that
 * ends or fails before one throws a `connection` TokenwireError.
 */
export async function* parseSSE(body: ByteStream | Response): AsyncGenerator<StreamEvent, void, undefined> {
  const bytes = isByteStream(body) ? body : await responseBody(body);
  try {
    for await (const record of readSSE(bytes)) {
      const type = record.event;
      if (type === undefined || !STREAM_EVENT_TYPES.has(type)) continue;
      const event = reviveEvent(type, record.data);
      yield event;
      if (type === 'finish' || type === 'error') return;
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

function formatEvent(event: StreamEvent): string {
  let payload: unknown = event;
  if (event.type === 'error') payload = { ...event, error: serializeError(event.error) };
  else if (event.type === 'tool_call_complete' && event.inputError !== undefined) {
    payload = { ...event, inputError: serializeError(event.inputError) };
  }
  return `event: ${event.type}\ndata: ${JSON.stringify(payload)}\n\n`;
}

function serializeError(error: unknown): Record<string, unknown> {
  // A TokenwireError from another copy of core has toJSON too; anything else is wrapped first.
  return toTokenwireError(error).toJSON();
}

interface PartialTracker {
  content: string;
  reasoning: string;
  toolCalls: ToolCall[];
  outputTokens: number;
}

function track(event: StreamEvent, sent: PartialTracker): void {
  if (event.type === 'token') {
    sent.content = event.accumulatedContent;
    sent.outputTokens = event.totalTokens;
  } else if (event.type === 'reasoning') sent.reasoning = event.accumulatedReasoning;
  else if (event.type === 'tool_call_complete') {
    sent.toolCalls.push({ id: event.id, name: event.name, arguments: event.arguments, input: event.input });
  }
}

function failureEvent(thrown: unknown, sent: PartialTracker): ErrorEvent {
  const error = toTokenwireError(thrown);
  const outputTokens = sent.outputTokens;
  return {
    type: 'error',
    error,
    partial: {
      content: sent.content,
      reasoning: sent.reasoning,
      toolCalls: sent.toolCalls,
      usage: { inputTokens: 0, outputTokens, totalTokens: outputTokens, estimated: true },
    },
  };
}

function reviveEvent(type: string, data: string): StreamEvent {
  let value: unknown;
  try {
    value = JSON.parse(data);
  } catch (error) {
    throw new TokenwireError({
      code: 'invalid_response',
      message: `The SSE event "${type}" does not carry JSON: ${data.slice(0, 200)}`,
      cause: error,
    });
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new TokenwireError({
      code: 'invalid_response',
      message: `The SSE event "${type}" does not carry a JSON object: ${data.slice(0, 200)}`,
    });
  }
  const event = value as Record<string, unknown>;
  event.type = type;
  if (type === 'error') event.error = reviveError(event.error);
  else if (type === 'tool_call_complete' && event.inputError !== undefined) {
    event.inputError = reviveError(event.inputError);
  }
  return event as unknown as StreamEvent;
}

function reviveError(value: unknown): TokenwireError {
  const fields = (typeof value === 'object' && value !== null ? value : {}) as Record<string, unknown>;
  const code = typeof fields.code === 'string' && fields.code in ERROR_CODES ? fields.code : 'unknown';
  return new TokenwireError({
    code: code as TokenwireErrorCode,
    message: typeof fields.message === 'string' ? fields.message : 'Unknown error',
    provider: typeof fields.provider === 'string' ? fields.provider : undefined,
    status: typeof fields.status === 'number' ? fields.status : undefined,
    retryable: typeof fields.retryable === 'boolean' ? fields.retryable : undefined,
    retryAfterMs: typeof fields.retryAfterMs === 'number' ? fields.retryAfterMs : undefined,
    requestId: typeof fields.requestId === 'string' ? fields.requestId : undefined,
  });
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
