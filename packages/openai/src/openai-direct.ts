import type { AdapterDelta, ChunkStream, SSERecord } from '@tokenwire/core/adapter';
import { bodyChunkStream, responseBody, SSEBodyReads } from '@tokenwire/core/internal';
import { APIError } from 'openai';

/**
 * The `transport: 'direct'` body reader. The request went through the SDK (auth, base URL,
 * headers, Azure, its `APIError`s for non-2xx answers) and `.asResponse()` handed over the raw 200
 * `Response` unread; core's `SSEBodyReads` frames each network read (CRLF, a BOM, keep-alive
 * comments, UTF-8 split across reads, `maxBytes.record`) and each record is handled synchronously,
 * as the SDK's `Stream` would (openai/core/streaming.js, "legacy" mode):
 * - `data: [DONE]` ends the stream; everything after it is ignored;
 * - a `data` that is not JSON throws the SDK's own `SyntaxError` (core's `invalid_response`);
 * - `event: error`, or a JSON record with a truthy `error`, throws the SDK's own status-less
 *   `APIError` built from the 200's headers (`requestID` included), so `normalizeOpenAIError` sees
 *   the same error on both transports;
 * - `thread.*` events become `{ event, data }` as the SDK yields them;
 * - every other record is the parsed JSON object the SDK would have yielded, given unchanged to the
 *   API's translator (`translateRecord`), which returns true at the stream's terminal record.
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

/** A `ChunkStream` over the network reads of a 200 response's SSE body. */
export function openDirectStream(response: Response, options: DirectStreamOptions): ChunkStream<Uint8Array> {
  const { headers } = response;
  const { translateRecord } = options;
  const reads = new SSEBodyReads({
    provider: options.provider,
    maxRecordBytes: options.maxRecordBytes,
    onRecord: (record, out) => record.data === '[DONE]' || translateRecord(parseRecord(record, headers), out),
  });
  return bodyChunkStream(responseBody(response, options.provider), reads);
}

/** The record as the SDK's `Stream` yields it, or the error it throws for it. */
function parseRecord(record: SSERecord, headers: Headers): unknown {
  let data: unknown;
  try {
    data = JSON.parse(record.data);
  } catch {
    throw new SyntaxError(MALFORMED_EVENT_MESSAGE);
  }
  const event = record.event;
  if (event !== undefined) {
    if (event.startsWith('thread.')) return { event, data };
    if (event === 'error') {
      const body = data as { error?: unknown } | null;
      throw new APIError(undefined, (body?.error ?? body) as object, undefined, headers);
    }
  }
  const inBand = (data as { error?: unknown } | null)?.error;
  if (inBand) throw new APIError(undefined, inBand as object, undefined, headers);
  return data;
}
