import type { SSERecord } from '@tokenwire/core/adapter';
import type { GoogleChunk } from './google-types.js';

/** `@google/genai`'s `ApiError` constructor. */
export type ApiErrorClass = new (options: { message: string; status: number }) => Error;

/**
 * One SSE record of `streamGenerateContent?alt=sse` as `@google/genai` yields it
 * (`processStreamResponse`, `generateContentStream`), or the error it throws for it:
 * - a record with an `event:` field is skipped (genai reads only records that start with `data:`);
 * - a `data` that is not JSON throws `JSON.parse`'s `SyntaxError`, as the SDK's `chunk.json()`
 *   does (core's `invalid_response`, retryable only before output);
 * - `{ "error": { "code": 400…599, … } }` throws the SDK's own `ApiError` (`throwIfStreamErrorChunk`:
 *   message `got status: UNAVAILABLE. {…}`, `status`), so `normalizeGoogleError` sees the same error
 *   on both transports; without the class (not imported yet), an `Error` of its name and `status`;
 * - every other record is the parsed `GenerateContentResponse` JSON. The SDK copies the same
 *   fields into a class instance; the translator reads only fields, so both transports agree.
 * The deprecated `@google/generative-ai` is `sdk`-only: its records never come here.
 */
export function googleRecord(
  record: SSERecord,
  ApiError: ApiErrorClass | undefined,
): GoogleChunk | undefined {
  if (record.event !== undefined) return undefined;
  const chunk = JSON.parse(record.data) as GoogleChunk | null;
  const error = (chunk as { error?: unknown } | null)?.error;
  if (error !== null && typeof error === 'object') {
    const { code, status } = error as { code?: unknown; status?: unknown };
    if (typeof code === 'number' && code >= 400 && code < 600) {
      const message = `got status: ${status}. ${JSON.stringify(chunk)}`;
      if (ApiError !== undefined) throw new ApiError({ message, status: code });
      throw Object.assign(new Error(message), { name: 'ApiError', status: code });
    }
  }
  return chunk as GoogleChunk;
}
