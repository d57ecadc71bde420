import { bodyExcerpt, isPlainObject } from '@tokenwire/core/internal';
import type { ChatResponse } from 'ollama';

/**
 * One NDJSON line of `/api/chat`, parsed by core, as ollama-js yields it (its
 * `AbortableAsyncIterator`), or the error it throws for it: `{"error": …}` is
 * `new Error(error)` (normalized to `server`), as ollama-js throws it; a value that is not an
 * object (`42`), which ollama-js cannot read either, is a `SyntaxError` naming the host (core makes
 * it `invalid_response`, retryable only before output). `done` ends the response: the translator
 * says so. Core refuses lines that do not parse before they get here.
 */
export function ollamaRecord(host: string, record: unknown): ChatResponse {
  if (!isPlainObject(record)) {
    throw new SyntaxError(
      `a line of the response from ${host} is not a JSON object: "${bodyExcerpt(JSON.stringify(record) ?? '', 120)}". ` +
        'Is the host an Ollama server, or a proxy that rewrites the response?',
    );
  }
  if ('error' in record) throw new Error(record.error as string);
  return record as unknown as ChatResponse;
}
