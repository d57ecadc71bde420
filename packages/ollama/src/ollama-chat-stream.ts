import type { ChunkStream } from '@tokenwire/core/adapter';
import { EMPTY_CHUNK_STREAM } from '@tokenwire/core/internal';
import type { AbortableAsyncIterator, ChatResponse, Ollama } from 'ollama';
import type { NdjsonLineCount } from './ollama-body.js';
import type { OllamaStreamingChatRequest } from './ollama-messages.js';
import { createOllamaStreamState, translateOllamaChunk } from './ollama-stream.js';

/** What `openOllamaChatStream` needs for one stream. */
export interface OllamaChatStreamOptions {
  /** The client to send through: a per-stream one, or the one passed in. */
  client: Ollama;
  params: OllamaStreamingChatRequest;
  signal: AbortSignal;
  /**
   * The line count of the per-stream fetch (see `NdjsonLineCount`); absent for a client passed in
   * whose fetch could not be wrapped.
   */
  lines?: NdjsonLineCount;
  /** False to leave the model's thinking out (`reasoning.includeThoughts: false`). Default true. */
  includeThoughts?: boolean;
}

/**
 * Sends one `chat({ stream: true })` request and returns its chunks with the synchronous
 * translator, which returns true for the `done: true` line: the runtime then finishes and closes
 * the connection, which ollama-js leaves open (it stops reading at `done` without cancelling the
 * body). Cancelling aborts this request only (never `client.abort()`, which would cancel every
 * other stream of the client) and closes its connection.
 */
export async function openOllamaChatStream(
  options: OllamaChatStreamOptions,
): Promise<ChunkStream<ChatResponse>> {
  const { client, signal, lines } = options;
  if (signal.aborted) return EMPTY_CHUNK_STREAM;
  const iterator = await untilAborted(client.chat(withImageBytes(options.params)), signal);
  if (iterator === undefined) return EMPTY_CHUNK_STREAM;
  const release = () => {
    signal.removeEventListener('abort', release);
    abortStream(client, iterator);
  };
  if (signal.aborted) {
    release();
    return EMPTY_CHUNK_STREAM;
  }
  signal.addEventListener('abort', release, { once: true });
  const state = createOllamaStreamState({ includeThoughts: options.includeThoughts });
  return {
    chunks: iterator,
    translate(chunk, out) {
      const done = chunk.done === true;
      if (lines !== undefined) {
        lines.received++;
        if (done) {
          const skipped = lines.check();
          if (skipped !== undefined) throw skipped;
        }
      }
      translateOllamaChunk(chunk, state, out);
      return done;
    },
    end: () => signal.removeEventListener('abort', release),
    close: release,
  };
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
        : { ...message, images: message.images.map((image) => Buffer.from(image, 'base64')) },
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
