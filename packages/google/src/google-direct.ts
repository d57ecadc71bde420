import {
  type AdapterDelta,
  type ChunkStream,
  SSEDecoder,
  type SSERecord,
  TokenwireError,
} from '@tokenwire/core';
import { limitError } from '@tokenwire/core/internal';
import { LONGEST_QUOTED_BODY, notAnEventStream, startsAsEventStream } from './google-event-stream-guard.js';
import type { GoogleChunk } from './google-types.js';

/**
 * The `transport: 'direct'` body reader of the Google adapter (`@google/genai`). The request went
 * through the SDK (auth, base URL, API version, headers, Vertex, its `ApiError` for non-2xx
 * answers); the adapter's per-call `fetch` took the 200 `Response` unread (google-genai-fetch.ts).
 * This reads its body: one `read()` per async step, core's `SSEDecoder` frames the read's bytes,
 * and every record is handled synchronously as the SDK's `processStreamResponse` and
 * `generateContentStream` would:
 * - a record `{ "error": { "code": 400…599, … } }` throws the SDK's own `ApiError`, with the
 *   SDK's message (`got status: UNAVAILABLE. {…}`) and `status`, so `normalizeGoogleError` sees
 *   the same error on both transports;
 * - a `data` that is not JSON throws `JSON.parse`'s `SyntaxError`, as the SDK's `chunk.json()`
 *   does (core's `invalid_response`, retryable only before output);
 * - a record with an `event:` field is ignored (genai only reads records starting with `data:`);
 * - every other record is the parsed `GenerateContentResponse` JSON, given to the translator
 *   (the SDK copies the same fields into a class instance; the translator reads only fields);
 * - a body that does not start as an event stream is `invalid_response` saying what arrived, and
 *   a body that ends inside a record a `SyntaxError`, as the sdk transport's body guard says.
 * CRLF, a BOM, comments (keep-alives) and UTF-8 split across reads are the decoder's.
 */
export interface GoogleDirectOptions {
  /** Named in errors. */
  provider: string;
  /** `maxBytes.record`: a longer SSE event is `invalid_response`. */
  maxRecordBytes: number | undefined;
  /** `POST http://host/v1/models/m:streamGenerateContent`, for messages. */
  request: string;
  /**
   * `@google/genai`'s `ApiError` class, thrown for an in-band error record with an HTTP code as
   * genai does (undefined: an `Error` of the same name and `status`). `null` for the legacy SDK,
   * which yields such a record as a chunk (the translator throws for its `error`).
   */
  ApiError: ApiErrorClass | undefined | null;
  /** The translator over one chunk; true at the terminal record. */
  translateChunk(chunk: GoogleChunk, out: AdapterDelta[]): boolean;
}

/** `@google/genai`'s `ApiError` constructor. */
export type ApiErrorClass = new (options: { message: string; status: number }) => Error;

const LF = 0x0a;
const CR = 0x0d;
const NO_BYTES = new Uint8Array(0);
const RETHROW_STEP: IteratorResult<Uint8Array> = Object.freeze({ done: false, value: NO_BYTES });

/** A `ChunkStream` over the network reads of a 200 response's SSE body. */
export function openGoogleDirectStream(
  response: Response,
  options: GoogleDirectOptions,
): ChunkStream<Uint8Array> {
  const body = response.body;
  if (body === null) {
    throw new TokenwireError({
      code: 'invalid_response',
      provider: options.provider,
      message: `The ${options.provider} API answered ${response.status} without a body to stream.`,
    });
  }
  const reader = body.getReader();
  const reading = new GoogleDirectReading(options, response.headers.get('content-type'));
  let closed = false;
  const close = (): void => {
    if (closed) return;
    closed = true;
    // Cancelling the reader cancels the body: undici closes the connection.
    reader.cancel().catch(() => {});
  };
  const iterator: AsyncIterator<Uint8Array> = {
    // After a record that failed behind deltas of the same read, the next step throws at once.
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

/** The decoding state of one direct stream. */
export class GoogleDirectReading {
  private readonly decoder: SSEDecoder;
  /** The terminal record arrived, or the stream failed: the rest of the body is not read. */
  private finished = false;
  /** The error of a record behind deltas of the same read: thrown on the next step. */
  failed: { error: unknown } | undefined;
  /** The first reads, until they show an event stream (then undefined). */
  private head: Uint8Array[] | undefined = [];
  private headText = '';
  private headDecoder: TextDecoder | undefined = new TextDecoder();
  /** Bytes other than line ends arrived since the last blank line: an end now cuts a record. */
  private inRecord = false;
  /** Line ends in a row at the end of what arrived (a CRLF counts once), and whether the last byte was CR. */
  private lineEnds = 0;
  private lastWasCR = false;
  /** Bytes since the last read that completed a record (for the `maxBytes.record` message). */
  private sinceRecord = 0;

  constructor(
    private readonly options: GoogleDirectOptions,
    private readonly contentType: string | null,
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
    this.track(bytes);
    if (this.head !== undefined) {
      const reads = this.inspect(bytes, false);
      if (reads === undefined) return false;
      return this.handle(this.decodeAll(reads), out);
    }
    return this.handle(this.decode(bytes), out);
  }

  /** The body ended: the records that completes, then a cut record's error. */
  end(out: AdapterDelta[]): void {
    if (!this.finished) {
      const reads = this.head === undefined ? [] : (this.inspect(NO_BYTES, true) ?? []);
      const records = this.decodeAll(reads);
      let last: SSERecord[];
      try {
        last = this.decoder.end();
      } catch (error) {
        throw this.decoderError(error);
      }
      for (const record of last) records.push(record);
      this.handle(records, out);
      if (!this.finished && this.failed === undefined && this.inRecord) {
        this.finished = true;
        // As the sdk transport's guard says it: core retries a cut record before any output.
        throw new SyntaxError('the stream ended inside a record: it was cut off.');
      }
      this.finished = true;
    }
    const failed = this.failed;
    if (failed !== undefined) {
      this.failed = undefined;
      throw failed.error;
    }
  }

  /** Follows the line ends at the end of what arrived, scanning only the read's trailing ones. */
  private track(bytes: Uint8Array): void {
    let index = bytes.length - 1;
    while (index >= 0 && (bytes[index] === LF || bytes[index] === CR)) index--;
    let start = index + 1;
    if (index >= 0) {
      this.inRecord = true;
      this.lineEnds = 0;
      this.lastWasCR = false;
    } else if (!this.inRecord) {
      return;
    }
    for (; start < bytes.length; start++) {
      const byte = bytes[start];
      if (byte === LF && this.lastWasCR) {
        this.lastWasCR = false;
        continue;
      }
      this.lastWasCR = byte === CR;
      if (++this.lineEnds >= 2) {
        this.inRecord = false;
        return;
      }
    }
  }

  /** Holds the first reads until they show an event stream; returns them then. */
  private inspect(bytes: Uint8Array, done: boolean): Uint8Array[] | undefined {
    const reads = this.head as Uint8Array[];
    if (bytes.length > 0) reads.push(bytes);
    this.headText += (this.headDecoder as TextDecoder).decode(bytes, { stream: !done });
    const isEventStream = startsAsEventStream(this.headText);
    if (isEventStream === false) {
      if (done || this.headText.length >= LONGEST_QUOTED_BODY) {
        this.finished = true;
        const { provider, request } = this.options;
        throw notAnEventStream(this.headText, done, { provider, request, contentType: this.contentType });
      }
      return undefined;
    }
    if (isEventStream === undefined && !done && this.headText.length < LONGEST_QUOTED_BODY) return undefined;
    this.head = undefined;
    this.headText = '';
    this.headDecoder = undefined;
    return reads;
  }

  private decodeAll(reads: Uint8Array[]): SSERecord[] {
    if (reads.length === 1) return this.decode(reads[0] as Uint8Array);
    const records: SSERecord[] = [];
    for (const read of reads) for (const record of this.decode(read)) records.push(record);
    return records;
  }

  private decode(bytes: Uint8Array): SSERecord[] {
    this.sinceRecord += bytes.length;
    let records: SSERecord[];
    try {
      records = this.decoder.push(bytes);
    } catch (error) {
      throw this.decoderError(error);
    }
    if (records.length > 0) this.sinceRecord = 0;
    return records;
  }

  private handle(records: SSERecord[], out: AdapterDelta[]): boolean {
    const before = out.length;
    const max = this.options.maxRecordBytes ?? Number.POSITIVE_INFINITY;
    for (let index = 0; index < records.length; index++) {
      const record = records[index] as SSERecord;
      if (record.event !== undefined) continue;
      try {
        // The decoder bounds only what it buffers across reads; a record whole in one read is measured here.
        if (record.data.length > max) throw this.tooLong(record.data.length);
        if (this.options.translateChunk(this.parse(record.data), out)) {
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

  /** The chunk the SDK yields for a record, or the error it throws for it. */
  private parse(data: string): GoogleChunk {
    const chunk = JSON.parse(data) as GoogleChunk | null;
    const error = (chunk as { error?: unknown } | null)?.error;
    if (error !== null && typeof error === 'object' && this.options.ApiError !== null) {
      // genai's `throwIfStreamErrorChunk`: an error with an HTTP code is its `ApiError`.
      const { code, status } = error as { code?: unknown; status?: unknown };
      if (typeof code === 'number' && code >= 400 && code < 600) {
        const message = `got status: ${status}. ${JSON.stringify(chunk)}`;
        const ApiError = this.options.ApiError;
        if (ApiError !== undefined) throw new ApiError({ message, status: code });
        throw Object.assign(new Error(message), { name: 'ApiError', status: code });
      }
    }
    return chunk as GoogleChunk;
  }

  /** The decoder's buffer limit is `maxBytes.record`: say so, as the sdk transport's guard does. */
  private decoderError(error: unknown): unknown {
    this.finished = true;
    const max = this.options.maxRecordBytes;
    if (!TokenwireError.isInstance(error) || max === undefined || !/maxBufferSize/.test(error.message)) {
      return error;
    }
    // The size is the bytes read since the last record completed: at least the record's.
    return this.tooLong(Math.max(this.sinceRecord, max + 1));
  }

  private tooLong(size: number): TokenwireError {
    const { provider, maxRecordBytes } = this.options;
    return limitError(
      `A record of the ${provider} stream, read so far,`,
      'record',
      size,
      maxRecordBytes as number,
      provider,
    );
  }
}
