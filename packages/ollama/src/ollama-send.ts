import { base64ToBytes, type ChatRequest, type SendContext, type Sent } from '@tokenwire/core/adapter';
import type { AbortableAsyncIterator, ChatResponse, Ollama } from 'ollama';
import { streamClientOf } from './ollama-client.js';
import { normalizeOllamaError } from './ollama-errors.js';
import { StreamExchange } from './ollama-fetch.js';
import { type OllamaStreamingChatRequest, toOllamaChatRequest } from './ollama-messages.js';
import type { OllamaStreamState } from './ollama-stream.js';

/** What one adapter sends through: its host, its settings' client factory, or the client passed in. */
export interface OllamaSendTarget {
  provider: string;
  /** The host, named in errors. */
  host: string;
  /** The `keepAlive` setting: `keep_alive` of every request. */
  keepAlive: string | number | undefined;
  /** The client passed in (`settings.client`), seen through a per-stream view. */
  passedClient: Ollama | undefined;
  /** The `fetch` setting, which each stream's fetch wraps. */
  fetch: typeof globalThis.fetch | undefined;
  /** A client with the settings' host, headers and key, plus a stream's headers and fetch. */
  newClient(extra: { headers?: Record<string, string>; fetch?: typeof globalThis.fetch }): Ollama;
}

/**
 * Sends one `chat({ stream: true })` through ollama-js — its host handling, headers, image
 * encoding, the ollama.com key and its `ResponseError` for an HTTP error — with a `fetch` of the
 * stream's own (`StreamExchange`: a per-stream `Ollama` built from the settings, or a per-stream
 * view of the client passed in), which aborts a request still waiting for its headers and reads
 * the `retry-after` of an error response. Direct transport: that fetch takes the 200 body and
 * gives the client an empty one, whose stream is never iterated; the body is handed to core.
 * `sdk` transport: the client reads core's guarded body and its chunks are handed over. A client
 * passed in whose fetch cannot be wrapped hands over its own chunks on either transport.
 * Cancelling aborts this request only (never `client.abort()`, which would cancel every other
 * stream of the client), and `release` closes it: ollama-js leaves the connection open at `done`.
 * The shared `adapter.client` is not used: each stream has its own fetch.
 */
export async function sendOllamaChat(
  target: OllamaSendTarget,
  _shared: Ollama,
  request: ChatRequest,
  context: SendContext<OllamaStreamState>,
): Promise<Sent<ChatResponse>> {
  const { provider, host, passedClient } = target;
  const { signal } = context;
  if (signal.aborted) throw signal.reason;
  const params = withImageBytes(toOllamaChatRequest(request, { keepAlive: target.keepAlive }));
  const exchange = new StreamExchange(context, provider);
  const view =
    passedClient === undefined
      ? target.newClient({ headers: request.headers, fetch: exchange.fetchAround(target.fetch) })
      : streamClientOf(passedClient, exchange.fetchAround);
  const client = view ?? (passedClient as Ollama);
  let iterator: AbortableAsyncIterator<ChatResponse> | undefined;
  try {
    iterator = await untilAborted(client.chat(params), signal);
  } catch (error) {
    // Mapped here, where the retry-after of the error response is known.
    throw normalizeOllamaError(error, { host, provider, retryAfterMs: exchange.retryAfterMs }) ?? error;
  }
  if (iterator === undefined) throw signal.reason;
  const stream = iterator;
  const release = () => {
    signal.removeEventListener('abort', release);
    abortStream(client, stream);
  };
  if (signal.aborted) {
    release();
    throw signal.reason;
  }
  if (context.transport === 'direct' && view !== undefined) {
    if (exchange.taken !== undefined) return { ...exchange.taken, release };
    release();
    throw new Error('Missing body'); // what ollama-js throws for a 200 without a body
  }
  // A client whose fetch was not wrapped has no other way to be aborted while it reads.
  signal.addEventListener('abort', release, { once: true });
  return { chunks: stream, release };
}

/**
 * Resolves with the iterator, or with undefined as soon as the signal aborts. A client passed in
 * cannot abort a request still waiting for its headers, so its iterator is aborted when it comes.
 */
export function untilAborted(
  pending: Promise<AbortableAsyncIterator<ChatResponse>>,
  signal: AbortSignal,
): Promise<AbortableAsyncIterator<ChatResponse> | undefined> {
  return new Promise((resolve, reject) => {
    const onAbort = () => {
      resolve(undefined);
      pending.then(
        (late) => (typeof late.abort === 'function' ? late.abort() : undefined),
        () => {},
      );
    };
    signal.addEventListener('abort', onAbort, { once: true });
    pending.then(
      (iterator) => {
        signal.removeEventListener('abort', onAbort);
        resolve(iterator);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}

/**
 * The Node build of ollama-js treats every image string that names an existing file as a path and
 * sends that file instead (`encodeImage`), so untrusted "base64" like `/etc/passwd` would leak a
 * local file. Bytes are never read as paths: the client base64-encodes them itself.
 */
export function withImageBytes(params: OllamaStreamingChatRequest): OllamaStreamingChatRequest {
  if (!params.messages.some((message) => message.images !== undefined)) return params;
  return {
    ...params,
    messages: params.messages.map((message) =>
      message.images === undefined
        ? message
        : { ...message, images: message.images.map((image) => base64ToBytes(image)) },
    ),
  } as OllamaStreamingChatRequest;
}

/**
 * Aborts one streamed request and forgets it. ollama-js 0.5.0 yields a plain async generator
 * without `abort()` (added in 0.5.1): it is returned instead, which ends it.
 */
export function abortStream(client: Ollama, iterator: AbortableAsyncIterator<ChatResponse>): void {
  const stream = iterator as Partial<AbortableAsyncIterator<ChatResponse>> &
    Partial<AsyncGenerator<ChatResponse>>;
  if (typeof stream.abort === 'function') stream.abort();
  else void stream.return?.(undefined)?.catch(() => {});
  forgetStream(client, iterator);
}

/**
 * ollama-js forgets a streamed request only when its `done` line arrives, so every aborted or
 * failed stream would stay in the client's `ongoingStreamedRequests` for the client's lifetime
 * (which matters for a client passed in; a per-stream client is dropped anyway). Remove it, if
 * this version of the client has that (protected) list.
 */
export function forgetStream(client: Ollama, iterator: AbortableAsyncIterator<ChatResponse>): void {
  const ongoing = (client as unknown as { ongoingStreamedRequests?: unknown }).ongoingStreamedRequests;
  if (!Array.isArray(ongoing)) return;
  const index = ongoing.indexOf(iterator);
  if (index !== -1) ongoing.splice(index, 1);
}
