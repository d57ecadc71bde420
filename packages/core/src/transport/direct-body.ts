import { TokenwireError } from '../model/errors.js';
import type { AdapterDelta, ChunkStream } from '../model/types.js';

/**
 * What a direct transport does with the network reads of one response body. `push` decodes one
 * read and translates every record it completed into `out`, synchronously; it returns true once
 * the response is over (its terminal record arrived). `end` is called when the body ended. Both
 * may throw: the deltas pushed before the error are delivered first (see `ChunkStream.translate`).
 */
export interface BodyReads {
  /** One network read; true once the response is over. */
  push(bytes: Uint8Array, out: AdapterDelta[]): boolean;
  /** The body ended: what its last bytes complete, or the error of a body cut short. */
  end(out: AdapterDelta[]): void;
}

/**
 * A 200 response's body, or the `invalid_response` error of a response without one, which
 * names the provider and the status.
 */
export function responseBody(response: Response, provider: string): ReadableStream<Uint8Array> {
  const body = response.body;
  if (body !== null) return body;
  throw new TokenwireError({
    code: 'invalid_response',
    provider,
    message: `The ${provider} API answered ${response.status} without a body to stream.`,
  });
}

/**
 * A `ChunkStream` whose chunks are a body's network reads, one `read()` per async step (a read's
 * `{ done, value }` is already an iterator result: nothing is allocated per read), and whose
 * `translate` and `end` are `reads`'. `close` cancels the reader, which makes undici close the
 * connection, once, then calls `onClose` (what else the adapter holds for the request).
 */
export function bodyChunkStream(
  body: ReadableStream<Uint8Array>,
  reads: BodyReads,
  onClose?: () => void,
): ChunkStream<Uint8Array> {
  const reader = body.getReader();
  let closed = false;
  const close = (): void => {
    if (closed) return;
    closed = true;
    reader.cancel().catch(() => {});
    onClose?.();
  };
  const iterator: AsyncIterator<Uint8Array> = {
    next: () => reader.read() as Promise<IteratorResult<Uint8Array>>,
    return: () => {
      close();
      return Promise.resolve({ done: true, value: undefined });
    },
  };
  return {
    chunks: { [Symbol.asyncIterator]: () => iterator },
    translate: (bytes, out) => reads.push(bytes, out),
    end: (out) => reads.end(out),
    close,
  };
}
