import { APIError } from '@anthropic-ai/sdk';
import type { ErrorType } from '@anthropic-ai/sdk/resources/shared';
import type { AdapterDelta, ChunkStream, SSERecord } from '@tokenwire/core/adapter';
import { bodyChunkStream, responseBody, SSEBodyReads } from '@tokenwire/core/internal';
import type { AnthropicStreamEvent } from './anthropic-stream-state.js';

/**
 * The `transport: 'direct'` body reader. The request went through the SDK (auth, base URL,
 * headers, its `APIError`s for non-2xx answers) and `.asResponse()` handed over the raw 200
 * `Response` unread; core's `SSEBodyReads` frames each network read (CRLF, a BOM, comments, UTF-8
 * split across reads, `maxBytes.record`) and each record is handled synchronously as the SDK's
 * `Stream.fromSSEResponse` does (@anthropic-ai/sdk/core/streaming):
 * - a record without an `event:` line, a `ping`, and a record with empty `data` are dropped;
 * - `event: error` throws the SDK's own status-less `APIError` (body, `type`, and the 200's
 *   headers, so `requestID` too): `normalizeAnthropicError` sees the same error on both transports;
 * - a `data` that is not JSON throws `JSON.parse`'s own `SyntaxError`, as the SDK does (core's
 *   `invalid_response`);
 * - every other record is the parsed JSON object the SDK would have yielded, given unchanged to
 *   the adapter's translator, which returns true at `message_stop`: the rest of the body is ignored.
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
  const { headers } = response;
  const { translateEvent } = options;
  const onRecord = (record: SSERecord, out: AdapterDelta[]): boolean => {
    const event = record.event;
    // The SDK skips unnamed records and keep-alives before looking at their data.
    if (event === undefined || event === 'ping') return false;
    if (event === 'error') throw inBandError(record.data, headers);
    if (record.data === '') return false;
    // Not JSON: JSON.parse's SyntaxError, as the SDK throws it (core's invalid_response).
    return translateEvent(JSON.parse(record.data) as AnthropicStreamEvent, out);
  };
  const reads = new SSEBodyReads({
    provider: options.provider,
    maxRecordBytes: options.maxRecordBytes,
    onRecord,
  });
  return bodyChunkStream(responseBody(response, 'Anthropic'), reads);
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
