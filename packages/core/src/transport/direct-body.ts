import { TokenwireError } from '../model/errors.js';
import type { AdapterDelta, ChunkStream } from '../model/types.js';
import { limitError } from '../runtime/stream-limits.js';
import type { SSERecord } from './read-records.js';
import { SSEDecoder } from './record-decoders.js';

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

/** What `SSEBodyReads` needs. */
export interface SSEBodyReadsOptions {
  /** Named in the errors of the body. */
  provider: string;
  /** `maxBytes.record` (the adapter context's `maxRecordBytes`): a longer event is `invalid_response`. */
  maxRecordBytes: number | undefined;
  /**
   * Handles one event as the vendor SDK would (parse its data, throw the SDK's own error for an
   * in-band one, translate the chunk into `out`); true at the response's terminal record.
   */
  onRecord(record: SSERecord, out: AdapterDelta[]): boolean;
}

/**
 * `BodyReads` for a server-sent-event body: core's `SSEDecoder` frames each read (CRLF, a BOM,
 * comments, UTF-8 split across reads), every event is measured against `maxBytes.record` and
 * handed to `onRecord`, and once it returned true the rest of the body is ignored. An event cut
 * off by the end of the body is dropped, as the SDKs drop it.
 */
export class SSEBodyReads implements BodyReads {
  private readonly decoder: SSEDecoder;
  private readonly maxRecordBytes: number;
  private done = false;
  /** Bytes read since the last read that completed an event: what a cut-off long event measures. */
  private sinceRecord = 0;

  constructor(private readonly options: SSEBodyReadsOptions) {
    const max = options.maxRecordBytes;
    this.maxRecordBytes = max ?? Number.POSITIVE_INFINITY;
    this.decoder = new SSEDecoder({
      provider: options.provider,
      ...(max === undefined ? {} : { maxBufferSize: max }),
    });
  }

  /** The terminal record arrived: nothing more is read. */
  get finished(): boolean {
    return this.done;
  }

  push(bytes: Uint8Array, out: AdapterDelta[]): boolean {
    if (this.done) return true;
    this.sinceRecord += bytes.length;
    let records: SSERecord[];
    try {
      records = this.decoder.push(bytes);
    } catch (error) {
      throw this.decoderError(error);
    }
    if (records.length === 0) return false;
    this.sinceRecord = 0;
    return this.handle(records, out);
  }

  end(out: AdapterDelta[]): void {
    if (this.done) return;
    let records: SSERecord[];
    try {
      records = this.decoder.end();
    } catch (error) {
      throw this.decoderError(error);
    }
    this.handle(records, out);
  }

  private handle(records: SSERecord[], out: AdapterDelta[]): boolean {
    const { onRecord } = this.options;
    for (let index = 0; index < records.length; index++) {
      const record = records[index] as SSERecord;
      // The decoder bounds what it buffers across reads; an event whole in one read is measured here.
      if (record.data.length > this.maxRecordBytes) throw this.tooLong(record.data.length, '');
      if (onRecord(record, out)) {
        this.done = true;
        return true;
      }
    }
    return false;
  }

  /** The decoder's buffer limit is `maxBytes.record`: its error says so, as the runtime's own check does. */
  private decoderError(error: unknown): unknown {
    if (!TokenwireError.isInstance(error) || !/maxBufferSize/.test(error.message)) return error;
    return this.tooLong(Math.max(this.sinceRecord, this.maxRecordBytes + 1), ' (read so far)');
  }

  private tooLong(size: number, soFar: string): TokenwireError {
    const { provider } = this.options;
    return limitError(
      `An SSE event of the ${provider} stream${soFar}`,
      'record',
      size,
      this.maxRecordBytes,
      provider,
    );
  }
}
