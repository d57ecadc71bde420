import { APIError } from '@anthropic-ai/sdk';
import type { RawMessageStreamEvent } from '@anthropic-ai/sdk/resources/messages';
import type { ErrorType } from '@anthropic-ai/sdk/resources/shared';
import type { SSERecord } from '@tokenwire/core/adapter';

/**
 * One SSE record of a Messages stream as the SDK's `Stream.fromSSEResponse` yields it
 * (@anthropic-ai/sdk/core/streaming), or the error it throws for it:
 * - a `ping`, a record without an `event:` line, and a record with empty `data` are skipped;
 * - `event: error` throws the SDK's own status-less `APIError` (body, `type`, and the 200's
 *   headers, so `requestID` too): `normalizeAnthropicError` sees the same error on both transports;
 * - a `data` that is not JSON throws `JSON.parse`'s own `SyntaxError`, as the SDK does (core's
 *   `invalid_response`);
 * - every other record is the parsed event, unchanged. The translator returns true at
 *   `message_stop`, which ends the response: the rest of the body is not read.
 */
export function anthropicRecord(record: SSERecord, headers: Headers): RawMessageStreamEvent | undefined {
  const event = record.event;
  // The SDK skips keep-alives and unnamed records before looking at their data.
  if (event === undefined || event === 'ping') return undefined;
  if (event === 'error') throw inBandError(record.data, headers);
  if (record.data === '') return undefined;
  return JSON.parse(record.data) as RawMessageStreamEvent;
}

/**
 * What the SDK throws for `event: error`: `new APIError(undefined, body, undefined, headers,
 * body.error.type)`, the body being the parsed data, else its text.
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
