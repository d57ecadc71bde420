import { errorCodeFromStatus, retryAfterMsFromHeaders, TokenwireError } from '../model/errors.js';
import type { ByteStream } from '../transport/read-records.js';
import type { ReconnectOptions } from './sse.js';

/** How `parseSSE` reconnects: where, how often, with which `fetch`. */
export interface Reconnection {
  url: string;
  attempts: number;
  delayMs: number;
  fetch: typeof fetch;
}

/** The reconnection of a `parseSSE` call: only for a `Response` (its URL), unless turned off. */
export function reconnectionOf(
  body: ByteStream | Response,
  options: { reconnect?: false | ReconnectOptions },
): Reconnection | undefined {
  if (options.reconnect === false) return undefined;
  const url = options.reconnect?.url ?? (isByteStream(body) ? undefined : body.url);
  const fetcher = options.reconnect?.fetch ?? globalThis.fetch;
  if (url === undefined || url === '' || typeof fetcher !== 'function') return undefined;
  return {
    url,
    attempts: options.reconnect?.attempts ?? 5,
    delayMs: options.reconnect?.delayMs ?? 250,
    fetch: fetcher,
  };
}

/**
 * The body of the stream after `lastEventId`, fetched again after a cut: waits `delayMs` × 2^failures
 * first; a failed attempt (refused, 5xx) is retried up to `attempts` times; a 404 (the stream expired)
 * or another 4xx ends the stream with its error.
 */
export async function reconnected(
  reconnect: Reconnection,
  lastEventId: string,
  failures: number,
  cut: TokenwireError,
): Promise<ByteStream> {
  let last: unknown = cut;
  for (let attempt = failures; attempt < reconnect.attempts; attempt++) {
    await new Promise((resolve) => setTimeout(resolve, reconnect.delayMs * 2 ** attempt));
    try {
      const response = await reconnect.fetch(reconnect.url, {
        headers: { accept: 'text/event-stream', 'last-event-id': lastEventId },
      });
      return await responseBody(response);
    } catch (error) {
      if (TokenwireError.isInstance(error) && error.status !== undefined && error.status < 500) throw error;
      last = error;
    }
  }
  throw TokenwireError.isInstance(last)
    ? last
    : new TokenwireError({
        code: 'connection',
        message: `Reconnecting to the SSE stream failed ${reconnect.attempts} times: ${String(last)}`,
        cause: last,
      });
}

export function isByteStream(body: ByteStream | Response): body is ByteStream {
  return (
    typeof (body as ReadableStream).getReader === 'function' ||
    typeof (body as AsyncIterable<Uint8Array>)[Symbol.asyncIterator] === 'function'
  );
}

export async function responseBody(response: Response): Promise<ByteStream> {
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
