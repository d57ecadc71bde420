import type { Adapter, AdapterContext, AdapterDelta, ChatRequest, ChunkStream } from '../model/types.js';

/**
 * The `stream()` of an adapter that implements the `open()` fast path: the same deltas, as an
 * async iterable, for callers that use the adapter without the tokenwire runtime. Takes a function
 * so that nothing is requested (and no rejection can go unhandled) until the deltas are iterated:
 * `stream: (request, context) => deltasFromChunkStream(() => adapter.open(request, context), context.signal)`.
 * Once `signal` has aborted, whatever the vendor SDK throws (several throw abort or "error reading"
 * errors) just ends the deltas, as cancelling does in the runtime.
 */
export async function* deltasFromChunkStream(
  open: () => ChunkStream | Promise<ChunkStream>,
  signal?: AbortSignal,
): AsyncGenerator<AdapterDelta> {
  let opened: ChunkStream;
  try {
    opened = await open();
  } catch (error) {
    if (signal?.aborted) return;
    throw error;
  }
  const deltas: AdapterDelta[] = [];
  try {
    for await (const chunk of opened.chunks) {
      deltas.length = 0;
      let complete: unknown;
      try {
        complete = opened.translate(chunk, deltas);
      } catch (error) {
        yield* deltas; // what the chunk gave before its error comes first
        throw error;
      }
      yield* deltas;
      if (complete === true) break; // the terminal record: what follows is not the response's
    }
    deltas.length = 0;
    try {
      opened.end?.(deltas);
    } catch (error) {
      yield* deltas;
      throw error;
    }
    yield* deltas;
  } catch (error) {
    if (!signal?.aborted) throw error;
  } finally {
    opened.close?.(); // releases the connection, also when the server holds it open after the end
  }
}

/** A stream with no chunks: what `open()` returns for a request cancelled before the vendor answered. */
export const EMPTY_CHUNK_STREAM: ChunkStream<never> = Object.freeze({
  chunks: {
    [Symbol.asyncIterator]: () => ({ next: async () => ({ done: true as const, value: undefined }) }),
  },
  translate: () => {},
});

/** An adapter's stream, opened: its `ChunkStream` (when it has `open()`) or its delta iterator. */
export interface OpenedAdapterStream {
  iterator: AsyncIterator<unknown>;
  /** Set when the adapter opened a ChunkStream: its chunks are translated by the runtime. */
  source: ChunkStream | undefined;
  /** Gives the stream up before reading it (its attempt was interrupted while it opened). */
  close(): void;
}

/** Opens an adapter's stream through its `open()` fast path when it has one, else its `stream()`. */
export async function openAdapterStream(
  adapter: Adapter,
  request: ChatRequest,
  context: AdapterContext,
): Promise<OpenedAdapterStream> {
  if (adapter.open !== undefined) {
    const source = await adapter.open(request, context);
    return {
      iterator: source.chunks[Symbol.asyncIterator](),
      source,
      close: () => source.close?.(),
    };
  }
  const iterator = adapter.stream(request, context)[Symbol.asyncIterator]();
  return {
    iterator,
    source: undefined,
    close: () => void Promise.resolve(iterator.return?.()).catch(() => {}),
  };
}

/**
 * Releases what an attempt holds: aborts its request, closes the vendor stream, returns the
 * adapter's iterator. Neither a broken `close()` nor a broken `return()` may break cancellation.
 */
export function releaseAttempt(
  controller: AbortController | undefined,
  source: ChunkStream | undefined,
  iterator: AsyncIterator<unknown> | undefined,
): void {
  controller?.abort();
  try {
    source?.close?.();
  } catch {
    // the request is aborted anyway
  }
  try {
    if (iterator?.return !== undefined) Promise.resolve(iterator.return()).catch(() => {});
  } catch {
    // the request is aborted anyway
  }
}
