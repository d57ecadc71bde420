import {
  type AdapterDelta,
  type ChunkStream,
  SSEDecoder,
  type SSERecord,
  TokenwireError,
} from '@tokenwire/core';
import { APIError } from 'openai';

/**
 * The `transport: 'direct'` body reader. The request went through the SDK (auth, base URL, headers,
 * Azure, its `APIError`s for non-2xx answers) and `.asResponse()` handed over the raw 200
 * `Response` unread; this reads its body: one `read()` per async step (the runtime's one await per
 * network read), then core's `SSEDecoder` frames the read's bytes and every record is handled
 * synchronously, as the SDK's `Stream` would (openai/core/streaming.js, "legacy" mode):
 * - `data: [DONE]` ends the stream; everything after it is ignored;
 * - a `data` that is not JSON throws the SDK's own `SyntaxError` (core's `invalid_response`);
 * - `event: error`, or a JSON record with a truthy `error`, throws the SDK's own status-less
 *   `APIError` built from the 200's headers (`requestID` included), so `normalizeOpenAIError` sees
 *   the same error on both transports;
 * - `thread.*` events become `{ event, data }` as the SDK yields them;
 * - every other record is the parsed JSON object the SDK would have yielded, given unchanged to the
 *   API's translator (`translateRecord`), which returns true at the stream's terminal record.
 * CRLF, a BOM, comments (keep-alives) and UTF-8 split across reads are the decoder's.
 */
export interface DirectStreamOptions {
  /** Provider name put on the errors of the body itself. */
  provider: string;
  /** `maxBytes.record` (the runtime's `context.maxRecordBytes`): a longer SSE event is `invalid_response`. */
  maxRecordBytes: number | undefined;
  /** The API's translator over one parsed record; true at the terminal record. */
  translateRecord(record: unknown, out: AdapterDelta[]): boolean;
}

/** The SDK's message for a record that is not JSON (a `SyntaxError`, which core maps to `invalid_response`). */
export const MALFORMED_EVENT_MESSAGE = 'Error reading response: malformed server-sent event JSON.';

const NO_BYTES = new Uint8Array(0);
const RETHROW_STEP: IteratorResult<Uint8Array> = Object.freeze({ done: false, value: NO_BYTES });

/** A `ChunkStream` over the network reads of a 200 response's SSE body. */
export function openDirectStream(response: Response, options: DirectStreamOptions): ChunkStream<Uint8Array> {
  const body = response.body;
  if (body === null) {
    throw new TokenwireError({
      code: 'invalid_response',
      provider: options.provider,
      message: `The ${options.provider} API answered ${response.status} without a body to stream.`,
    });
  }
  const reader = body.getReader();
  const reading = new DirectSSEReading(response.headers, options);
  let closed = false;
  const close = (): void => {
    if (closed) return;
    closed = true;
    // Cancelling the reader cancels the body: undici closes the connection.
    reader.cancel().catch(() => {});
  };
  const iterator: AsyncIterator<Uint8Array> = {
    // A read's `{ done, value }` is already an iterator result: no wrapper object per read. After
    // a record that failed behind deltas of the same read, the next step throws its error at once.
    next: () =>
      reading.failed === undefined
        ? (reader.read() as Promise<IteratorResult<Uint8Array>>)
        : Promise.resolve(RETHROW_STEP),
    return: async () => {
      close();
      return { done: true, value: undefined };
    },
  };
  return {
    chunks: { [Symbol.asyncIterator]: () => iterator },
    translate: (bytes, out) => reading.push(bytes, out),
    end: (out) => reading.end(out),
    close,
  };
}

/** The decoding state of one direct stream: its SSE decoder and whether the stream is over. */
export class DirectSSEReading {
  private readonly decoder: SSEDecoder;
  /** `[DONE]` or the terminal record arrived: the rest of the body is not the response's. */
  private finished = false;
  /**
   * The error of a record that came after records with deltas in the same read: those deltas
   * reach the runtime first (as they would record by record through the SDK), then the next
   * step throws this.
   */
  failed: { error: unknown } | undefined;

  constructor(
    private readonly headers: Headers,
    private readonly options: DirectStreamOptions,
  ) {
    this.decoder = new SSEDecoder({
      provider: options.provider,
      ...(options.maxRecordBytes === undefined ? {} : { maxBufferSize: options.maxRecordBytes }),
    });
  }

  /** One network read: translates every record it completed; true once the stream is over. */
  push(bytes: Uint8Array, out: AdapterDelta[]): boolean {
    const failed = this.failed;
    if (failed !== undefined) {
      this.failed = undefined;
      throw failed.error;
    }
    if (this.finished) return true;
    let records: SSERecord[];
    try {
      records = this.decoder.push(bytes);
    } catch (error) {
      throw this.decoderError(error);
    }
    return this.handle(records, out);
  }

  /** The body ended: the records that completes (an event without its closing blank line is dropped). */
  end(out: AdapterDelta[]): void {
    if (this.finished) return;
    let records: SSERecord[];
    try {
      records = this.decoder.end();
    } catch (error) {
      throw this.decoderError(error);
    }
    this.handle(records, out);
    this.finished = true;
    const failed = this.failed;
    if (failed !== undefined) {
      this.failed = undefined;
      throw failed.error;
    }
  }

  private handle(records: SSERecord[], out: AdapterDelta[]): boolean {
    const before = out.length;
    for (let index = 0; index < records.length; index++) {
      const record = records[index] as SSERecord;
      if (record.data === '[DONE]') {
        this.finished = true;
        return true;
      }
      try {
        if (this.options.translateRecord(this.parse(record), out)) {
          this.finished = true;
          return true;
        }
      } catch (error) {
        this.finished = true;
        if (out.length === before) throw error;
        this.failed = { error };
        return false;
      }
    }
    return false;
  }

  /** The record as the SDK's `Stream` yields it, or the error it throws for it. */
  private parse(record: SSERecord): unknown {
    let data: unknown;
    try {
      data = JSON.parse(record.data);
    } catch {
      this.finished = true;
      throw new SyntaxError(MALFORMED_EVENT_MESSAGE);
    }
    const event = record.event;
    if (event !== undefined) {
      if (event.startsWith('thread.')) return { event, data };
      if (event === 'error') {
        this.finished = true;
        const body = data as { error?: unknown } | null;
        throw new APIError(undefined, (body?.error ?? body) as object, undefined, this.headers);
      }
    }
    const inBand = (data as { error?: unknown } | null)?.error;
    if (inBand) {
      this.finished = true;
      throw new APIError(undefined, inBand as object, undefined, this.headers);
    }
    return data;
  }

  /** The decoder's buffer limit is `maxBytes.record`: say so, as the runtime's own check does. */
  private decoderError(error: unknown): unknown {
    this.finished = true;
    const max = this.options.maxRecordBytes;
    if (!TokenwireError.isInstance(error) || max === undefined || !/maxBufferSize/.test(error.message)) {
      return error;
    }
    const { provider } = this.options;
    return new TokenwireError({
      code: 'invalid_response',
      provider,
      retryable: false,
      message: `An SSE event of the ${provider} stream is over maxBytes.record (${max.toLocaleString('en')} characters). Raise createTokenwire({ maxBytes: { record } }) if the provider really sends this much.`,
      cause: error,
    });
  }
}
