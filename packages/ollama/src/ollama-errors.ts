import { TokenwireError } from '@tokenwire/core';
import { errorCodeFromStatus, isConnectionError } from '@tokenwire/core/adapter';
import { bodyExcerpt } from '@tokenwire/core/internal';

/** Where the error happened, for messages that say what to do. */
export interface OllamaErrorContext {
  /** The Ollama host the client talks to, e.g. `http://127.0.0.1:11434`. */
  host: string;
  /** Provider name used in errors. Default 'ollama'. */
  provider?: string;
  /**
   * The `retry-after` of the error response, in milliseconds: ollama-js's `ResponseError` carries
   * no headers, so the adapter's fetch reads it from the response.
   */
  retryAfterMs?: number;
}

/**
 * What the client throws when the body ends before a `done: true` line (ollama-js
 * `AbortableAsyncIterator`); the direct transport's translator throws the same.
 */
export const TRUNCATED_MESSAGE = 'Did not receive done or success response in stream.';

/** `model "x" not found, try pulling it first` (old servers) or `model 'x' not found` (current ones). */
const MODEL_NOT_FOUND = /model\s+["']([^"']+)["']\s+not found/i;

/**
 * Maps what the `ollama` client throws to a TokenwireError:
 * - `ResponseError` (an HTTP error status; the class is not exported, so it is recognised by its
 *   `name`) → the code of its `status_code`, with `retryAfterMs` of the context; a missing model →
 *   `not_found` with the `ollama pull <model>` hint. Its `error` is the raw response text (a
 *   proxy's HTML page may list the request headers), quoted only through `bodyExcerpt`;
 * - connection refused → `connection`, asking whether Ollama is running at the host; other raw
 *   undici failures (`fetch failed`, `terminated`, socket codes) → `connection`;
 * - the client's "Did not receive done" error → `invalid_response` (a truncated stream);
 * - any other plain `Error`: what ollama-js throws for an in-band `{"error": "…"}` line (a model
 *   runner that crashed mid-generation, say) or a 200 without a body → `server`.
 *
 * Returns undefined for anything else, a `SyntaxError` included (the runtime then decides: a record
 * that is not JSON is `invalid_response`, retryable only before output), and a TokenwireError as is.
 */
export function normalizeOllamaError(
  error: unknown,
  context: OllamaErrorContext,
): TokenwireError | undefined {
  if (TokenwireError.isInstance(error)) return error;
  const provider = context.provider ?? 'ollama';
  const { host } = context;
  if (isResponseError(error)) return fromResponseError(error, provider, host, context.retryAfterMs);
  if (isConnectionError(error)) {
    if (hasErrorCode(error, 'ECONNREFUSED')) {
      return new TokenwireError({
        code: 'connection',
        provider,
        message:
          `Could not connect to Ollama at ${host}: connection refused. Is Ollama running at ${host}? ` +
          "Start it with 'ollama serve', or point OLLAMA_HOST (or the host setting) at your server.",
        cause: error,
      });
    }
    return new TokenwireError({
      code: 'connection',
      provider,
      message: `The connection to Ollama at ${host} failed: ${messageOf(error)}`,
      cause: error,
    });
  }
  if (!(error instanceof Error)) return undefined;
  if (error.message === TRUNCATED_MESSAGE) {
    return new TokenwireError({
      code: 'invalid_response',
      provider,
      // A transport fault: a new request may well succeed. The runtime retries only before output.
      retryable: true,
      message: `The Ollama stream from ${host} ended before its final "done" line (truncated stream).`,
      cause: error,
    });
  }
  // ollama-js throws `new Error(line.error)` for an in-band error line; its other failures are
  // ResponseError, fetch's TypeError and AbortError. Subclasses (RangeError, …) are bugs, not Ollama's word.
  if (error.constructor === Error) {
    return new TokenwireError({
      code: 'server',
      provider,
      message: `Ollama at ${host} reported an error: ${bodyExcerpt(error.message)}`,
      cause: error,
    });
  }
  return undefined;
}

interface ResponseErrorShape extends Error {
  error?: unknown;
  status_code: number;
}

function isResponseError(error: unknown): error is ResponseErrorShape {
  return (
    error instanceof Error &&
    error.name === 'ResponseError' &&
    typeof (error as { status_code?: unknown }).status_code === 'number'
  );
}

function fromResponseError(
  error: ResponseErrorShape,
  provider: string,
  host: string,
  retryAfterMs: number | undefined,
): TokenwireError {
  const status = error.status_code;
  const raw = typeof error.error === 'string' && error.error !== '' ? error.error : error.message;
  const text = bodyExcerpt(raw);
  const missingModel = status === 404 ? MODEL_NOT_FOUND.exec(text)?.[1] : undefined;
  if (missingModel !== undefined) {
    return new TokenwireError({
      code: 'not_found',
      provider,
      status,
      message: `Ollama at ${host} has no model '${missingModel}'. Pull it first: ollama pull ${missingModel}`,
      cause: error,
    });
  }
  const authenticationFailed = status === 401 || status === 403;
  const hint = authenticationFailed ? ' For ollama.com, set OLLAMA_API_KEY or the apiKey setting.' : '';
  return new TokenwireError({
    code: errorCodeFromStatus(status),
    provider,
    status,
    message: `Ollama at ${host} answered HTTP ${status}: ${authenticationFailed ? asSentence(text) : text}${hint}`,
    retryAfterMs,
    cause: error,
  });
}

/** The text ended by a full stop, so that a sentence can follow it. */
function asSentence(text: string): string {
  return /[.!?…]$/.test(text) ? text : `${text}.`;
}

function hasErrorCode(error: unknown, code: string): boolean {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && typeof current === 'object' && current !== null; depth++) {
    const candidate = current as { code?: unknown; cause?: unknown; errors?: unknown };
    if (candidate.code === code) return true;
    // undici reports a refused dual-stack connect as an AggregateError of the attempts.
    if (Array.isArray(candidate.errors) && candidate.errors.some((each) => hasErrorCode(each, code)))
      return true;
    current = candidate.cause;
  }
  return false;
}

function messageOf(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = error.cause instanceof Error ? error.cause.message : undefined;
  return cause !== undefined && cause !== '' && cause !== error.message
    ? `${error.message} (${cause})`
    : error.message;
}
