import type { AdapterDelta, ChunkStream } from '@tokenwire/core/adapter';
import { type BodyReads, bodyChunkStream, responseBody, SSEBodyReads } from '@tokenwire/core/internal';
import { LONGEST_QUOTED_BODY, notAnEventStream, startsAsEventStream } from './google-event-stream-guard.js';
import type { GoogleChunk } from './google-types.js';

/**
 * The `transport: 'direct'` body reader of the Google adapter (`@google/genai`). The request went
 * through the SDK (auth, base URL, API version, headers, Vertex, its `ApiError` for non-2xx
 * answers); the adapter's per-call `fetch` took the 200 `Response` unread (google-genai-fetch.ts).
 * This reads its body: one `read()` per async step, core's `SSEBodyReads` frames the read's bytes
 * (CRLF, a BOM, keep-alive comments, UTF-8 split across reads, `maxBytes.record`), and every
 * record is handled synchronously as the SDK's `processStreamResponse` and `generateContentStream`
 * would:
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

/** A `ChunkStream` over the network reads of a 200 response's SSE body. */
export function openGoogleDirectStream(
  response: Response,
  options: GoogleDirectOptions,
): ChunkStream<Uint8Array> {
  const reads = new GoogleBodyReads(options, response.headers.get('content-type'));
  return bodyChunkStream(responseBody(response, options.provider), reads);
}

/** The reads of one direct body: held until they show an event stream, then decoded as SSE. */
class GoogleBodyReads implements BodyReads {
  private readonly records: SSEBodyReads;
  /** The first reads, until they show an event stream (then undefined). */
  private head: Uint8Array[] | undefined = [];
  private headText = '';
  private headDecoder: TextDecoder | undefined = new TextDecoder();
  /** Bytes other than line ends arrived since the last blank line: an end now cuts a record. */
  private inRecord = false;
  /** Line ends in a row at the end of what arrived (a CRLF counts once), and whether the last byte was CR. */
  private lineEnds = 0;
  private lastWasCR = false;

  constructor(
    private readonly options: GoogleDirectOptions,
    private readonly contentType: string | null,
  ) {
    const { translateChunk, ApiError } = options;
    this.records = new SSEBodyReads({
      provider: options.provider,
      maxRecordBytes: options.maxRecordBytes,
      // genai reads only records that start with `data:`: one with an `event:` field is not its.
      onRecord: (record, out) =>
        record.event === undefined && translateChunk(parseChunk(record.data, ApiError), out),
    });
  }

  push(bytes: Uint8Array, out: AdapterDelta[]): boolean {
    if (this.records.finished) return true;
    this.track(bytes);
    if (this.head === undefined) return this.records.push(bytes, out);
    const reads = this.inspect(bytes, false);
    return reads !== undefined && this.pushAll(reads, out);
  }

  end(out: AdapterDelta[]): void {
    if (this.records.finished) return;
    if (this.head !== undefined && this.pushAll(this.inspect(NO_BYTES, true) ?? [], out)) return;
    this.records.end(out);
    // As the sdk transport's guard says it: core retries a cut record before any output.
    if (!this.records.finished && this.inRecord)
      throw new SyntaxError('the stream ended inside a record: it was cut off.');
  }

  private pushAll(reads: Uint8Array[], out: AdapterDelta[]): boolean {
    for (const read of reads) if (this.records.push(read, out)) return true;
    return false;
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
}

/** The chunk the SDK yields for a record, or the error it throws for it. */
function parseChunk(data: string, ApiError: ApiErrorClass | undefined | null): GoogleChunk {
  const chunk = JSON.parse(data) as GoogleChunk | null;
  const error = (chunk as { error?: unknown } | null)?.error;
  if (error !== null && typeof error === 'object' && ApiError !== null) {
    // genai's `throwIfStreamErrorChunk`: an error with an HTTP code is its `ApiError`.
    const { code, status } = error as { code?: unknown; status?: unknown };
    if (typeof code === 'number' && code >= 400 && code < 600) {
      const message = `got status: ${status}. ${JSON.stringify(chunk)}`;
      if (ApiError !== undefined) throw new ApiError({ message, status: code });
      throw Object.assign(new Error(message), { name: 'ApiError', status: code });
    }
  }
  return chunk as GoogleChunk;
}
