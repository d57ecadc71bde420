import { END_OF_STREAM, type SSERecord } from '@tokenwire/core/adapter';
import { APIError } from 'openai';
import type { OpenAIChunk } from './openai-send.js';

/** The SDK's message for a record that is not JSON (a `SyntaxError`, which core maps to `invalid_response`). */
export const MALFORMED_EVENT_MESSAGE = 'Error reading response: malformed server-sent event JSON.';

/**
 * One SSE record as the SDK's `Stream` yields it ("legacy" mode, openai/core/streaming.js), or the
 * error it throws for it: `data: [DONE]` ends the stream; a `data` that is not JSON is the SDK's
 * `SyntaxError`; `event: error`, or a record with a truthy `error`, is the SDK's status-less
 * `APIError` built from the 200's headers (`requestID` included), so that `normalizeOpenAIError`
 * sees the same error on both transports; `thread.*` events become `{ event, data }`.
 */
export function openAIRecord(record: SSERecord, headers: Headers): OpenAIChunk | typeof END_OF_STREAM {
  if (record.data === '[DONE]') return END_OF_STREAM;
  let data: unknown;
  try {
    data = JSON.parse(record.data);
  } catch {
    throw new SyntaxError(MALFORMED_EVENT_MESSAGE);
  }
  const event = record.event;
  if (event !== undefined) {
    if (event.startsWith('thread.')) return { event, data } as unknown as OpenAIChunk;
    if (event === 'error') {
      const body = data as { error?: unknown } | null;
      throw new APIError(undefined, (body?.error ?? body) as object, undefined, headers);
    }
  }
  const inBand = (data as { error?: unknown } | null)?.error;
  if (inBand) throw new APIError(undefined, inBand as object, undefined, headers);
  return data as OpenAIChunk;
}
