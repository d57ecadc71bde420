import { APIError } from '@anthropic-ai/sdk';
import type { ErrorType } from '@anthropic-ai/sdk/resources/shared';
import {
  type AdapterDelta,
  type ChunkStream,
  SSEDecoder,
  type SSERecord,
  TokenwireError,
} from '@tokenwire/core';
import type { AnthropicStreamEvent } from './anthropic-stream-state.js';

/**
 * The `transport: 'direct'` body reader. The request went through the SDK (auth, base URL,
 * headers, its `APIError`s for non-2xx answers) and `.asResponse()` handed over the raw 200
 * `Response` unread; this reads its body: one `read()` per async step (the runtime's one await per
 * network read), core's `SSEDecoder` frames the read's bytes, and every record is handled
 * synchronously as the SDK's `Stream.fromSSEResponse` does (@anthropic-ai/sdk/core/streaming):
 * - a record without an `event:` line, a `ping`, and a record with empty `data` are dropped;
 * - `event: error` throws the SDK's own status-less `APIError` (body, `type`, and the 200's
 *   headers, so `requestID` too): `normalizeAnthropicError` sees the same error on both transports;
 * - a `data` that is not JSON throws `JSON.parse`'s own `SyntaxError`, as the SDK does (core's
 *   `invalid_response`);
 * - every other record is the parsed JSON object the SDK would have yielded, given unchanged to
 *   the adapter's translator, which returns true at `message_stop`: the rest of the body is ignored.
 * CRLF, a BOM, comments and UTF-8 split across reads are the decoder's.
 */
export interface AnthropicDirectOptions {
  /** Provider name put on the errors of the body itself. */
  provider: string;
  /** `maxBytes.record` (the runtime's `context.maxRecordBytes`): a longer SSE event is `invalid_response`. */
  maxRecordBytes: number | undefined;
  /** The translator over one event as the SDK yields it; true at the terminal record. */
  translateEvent(event: AnthropicStreamEvent, out: AdapterDelta[]): boolean;
}

/** A `ChunkStream` over the network reads of a 200 response's SSE body. */
export function openAnthropicDirectStream(
  response: Response,
  options: AnthropicDirectOptions,
): ChunkStream<Uint8Array> {
  const body = response.body;
  if (body === null) {
    throw new TokenwireError({
      code: 'invalid_response',
      provider: options.provider,
      message: `The Anthropic API answered ${response.status} without a body to stream.`,
    });
  }
  const reader = body.getReader();
  const reading = new AnthropicSSEReading(response.headers, options);
  let closed = false;
  const close = (): void => {
    if (closed) return;
    closed = true;
    // Cancelling the reader cancels the body: undici closes the connection.
    reader.cancel().catch(() => {});
  };
  const iterator: AsyncIterator<Uint8Array> = {
    // A read's `{ done, value }` is already an iterator result: no wrapper object per read.
    next: () => reader.read() as Promise<IteratorResult<Uint8Array>>,
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

/** The decoding state of one direct stream: its SSE decoder and whether the response is over. */
export class AnthropicSSEReading {
  private readonly decoder: SSEDecoder;
  /** `message_stop` or an error arrived: the rest of the body is not the response's. */
  private finished = false;
  /**
   * The error of a record that followed others in the same read. The runtime drops what `out`
   * holds when `translate` throws, so the read first ends the stream (returns true) with the
   * deltas of the records before it, and `end()`, which the runtime calls next, throws it: the
   * same deltas, then the same error, as when the SDK yields one record per step.
   */
  private pending: unknown;
  private hasPending = false;

  constructor(
    private readonly headers: Headers,
    private readonly options: AnthropicDirectOptions,
  ) {
    this.decoder = new SSEDecoder({
      provider: options.provider,
      ...(options.maxRecordBytes === undefined ? {} : { maxBufferSize: options.maxRecordBytes }),
    });
  }

  /** One network read: translates every record it completed; true once the response is over. */
  push(bytes: Uint8Array, out: AdapterDelta[]): boolean {
    if (this.finished) return true;
    let records: SSERecord[];
    try {
      records = this.decoder.push(bytes);
    } catch (error) {
      throw this.decoderError(error);
    }
    return this.handle(records, out);
  }

  /** The body ended: the records that completes (an event cut before its blank line is dropped). */
  end(out: AdapterDelta[]): void {
    if (this.hasPending) {
      this.hasPending = false;
      throw this.pending;
    }
    if (this.finished) return;
    let records: SSERecord[];
    try {
      records = this.decoder.end();
    } catch (error) {
      throw this.decoderError(error);
    }
    this.handle(records, out);
    this.finished = true;
  }

  private handle(records: SSERecord[], out: AdapterDelta[]): boolean {
    const before = out.length;
    try {
      return this.translateRecords(records, out);
    } catch (error) {
      this.finished = true;
      if (out.length === before) throw error;
      this.pending = error;
      this.hasPending = true;
      return true;
    }
  }

  private translateRecords(records: SSERecord[], out: AdapterDelta[]): boolean {
    for (let index = 0; index < records.length; index++) {
      const record = records[index] as SSERecord;
      const event = record.event;
      // The SDK skips unnamed records and keep-alives before looking at their data.
      if (event === undefined || event === 'ping') continue;
      if (event === 'error') throw inBandError(record.data, this.headers);
      if (record.data === '') continue;
      // Not JSON: JSON.parse's SyntaxError, as the SDK throws it (core's invalid_response).
      const chunk = JSON.parse(record.data) as AnthropicStreamEvent;
      if (this.options.translateEvent(chunk, out)) {
        this.finished = true;
        return true;
      }
    }
    return false;
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

/**
 * What the SDK throws for `event: error` (Stream.fromSSEResponse): `new APIError(undefined, body,
 * undefined, response.headers, body.error.type)`, the body being the parsed data, else its text.
 */
export function inBandError(data: string, headers: Headers): APIError {
  let body: unknown;
  try {
    body = JSON.parse(data);
  } catch {
    body = undefined;
  }
  body ??= data;
  const type = (body as { error?: { type?: unknown } } | undefined)?.error?.type as ErrorType | undefined;
  return new APIError(undefined, body as object, undefined, headers, type);
}
