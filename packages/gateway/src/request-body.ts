import type { GatewayRequest } from './exchange.js';
import { RequestRefusal } from './gateway-problem.js';

/** The default `maxBodyBytes`: 32 MiB. */
export const DEFAULT_MAX_BODY_BYTES = 32 * 1024 * 1024;

function tooLarge(maxBytes: number): RequestRefusal {
  return new RequestRefusal(
    undefined,
    `The request body is larger than the gateway's limit of ${maxBytes} bytes (maxBodyBytes). ` +
      'Send less (fewer or smaller images), or raise the limit. Nothing was sent.',
    413,
  );
}

/**
 * The request body parsed as JSON. Refuses (413) a body over `maxBytes` without reading past the
 * limit: a `content-length` over it is refused before any byte is read.
 */
export async function readJsonBody(request: GatewayRequest, maxBytes: number): Promise<unknown> {
  const length = request.header('content-length');
  if (length !== null && Number(length) > maxBytes) throw tooLarge(maxBytes);
  const chunks: Uint8Array[] = [];
  let total = 0;
  if (request.body !== null) {
    for await (const chunk of request.body) {
      total += chunk.byteLength;
      if (total > maxBytes) throw tooLarge(maxBytes); // leaving the loop stops the reading
      chunks.push(chunk);
    }
  }
  const text = decodeUtf8(chunks, total);
  try {
    return JSON.parse(text);
  } catch (error) {
    const detail = error instanceof SyntaxError ? ` (${error.message})` : '';
    throw new RequestRefusal(
      undefined,
      `The request body is not valid JSON${detail}. Send one JSON object. Nothing was sent.`,
    );
  }
}

const decoder = new TextDecoder();

function decodeUtf8(chunks: Uint8Array[], total: number): string {
  if (chunks.length === 1) return decoder.decode(chunks[0]);
  const bytes = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return decoder.decode(bytes);
}
