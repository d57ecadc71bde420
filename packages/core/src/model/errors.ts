import { copyCause } from './error-copy.js';
import { redactSecrets } from './redact.js';

/** The normalized error codes every adapter maps its vendor's errors to. */
export type TokenwireErrorCode =
  | 'authentication'
  | 'permission'
  | 'rate_limit'
  | 'quota_exceeded'
  | 'context_length'
  | 'invalid_request'
  | 'not_found'
  | 'content_filter'
  | 'overloaded'
  | 'server'
  | 'connection'
  | 'timeout'
  | 'invalid_response'
  | 'configuration'
  | 'unknown';

/** Everything `new TokenwireError(…)` accepts. */
export interface TokenwireErrorOptions {
  code: TokenwireErrorCode;
  message: string;
  provider?: string;
  status?: number;
  /** Defaults from the code: rate_limit, overloaded, server, connection and timeout are retryable. */
  retryable?: boolean;
  retryAfterMs?: number;
  requestId?: string;
  cause?: unknown;
}

const RETRYABLE_CODES: ReadonlySet<TokenwireErrorCode> = new Set([
  'rate_limit',
  'overloaded',
  'server',
  'connection',
  'timeout',
]);

const MARKER = Symbol.for('tokenwire.error');

/**
 * The one error class of tokenwire. Recognise it with `TokenwireError.isInstance(error)`, which
 * works across duplicate copies of the package. Registered secrets (API keys, credential headers)
 * and anything shaped like a key are redacted from the message, and `cause` is a sanitized copy
 * (`ErrorCopy`: name, message, status, code, type, request id, headers without credentials, a body
 * excerpt), never the vendor's own error object, which keeps the key in fields of its own.
 */
export class TokenwireError extends Error {
  readonly code: TokenwireErrorCode;
  readonly provider?: string;
  readonly status?: number;
  readonly retryable: boolean;
  readonly retryAfterMs?: number;
  readonly requestId?: string;
  declare readonly [MARKER]: true;

  constructor(options: TokenwireErrorOptions) {
    super(
      redactSecrets(options.message),
      options.cause === undefined ? undefined : { cause: copyCause(options.cause) },
    );
    this.name = 'TokenwireError';
    this.code = options.code;
    this.retryable = options.retryable ?? RETRYABLE_CODES.has(options.code);
    if (options.provider !== undefined) this.provider = options.provider;
    if (options.status !== undefined) this.status = options.status;
    if (options.retryAfterMs !== undefined) this.retryAfterMs = options.retryAfterMs;
    if (options.requestId !== undefined) this.requestId = options.requestId;
    Object.defineProperty(this, MARKER, { value: true });
  }

  /** True for any TokenwireError, even one created by another copy of @tokenwire/core. */
  static isInstance(value: unknown): value is TokenwireError {
    return typeof value === 'object' && value !== null && (value as { [MARKER]?: unknown })[MARKER] === true;
  }

  /** A plain, JSON-able view: code, message, provider, status, retryable, retryAfterMs, requestId. No cause. */
  toJSON(): Record<string, unknown> {
    return {
      name: this.name,
      code: this.code,
      message: this.message,
      provider: this.provider,
      status: this.status,
      retryable: this.retryable,
      retryAfterMs: this.retryAfterMs,
      requestId: this.requestId,
    };
  }
}

/** The error code for an HTTP status, as most providers use them. */
export function errorCodeFromStatus(status: number | undefined): TokenwireErrorCode {
  if (status === undefined) return 'unknown';
  if (status === 401) return 'authentication';
  if (status === 402) return 'quota_exceeded';
  if (status === 403) return 'permission';
  if (status === 404) return 'not_found';
  if (status === 408) return 'timeout';
  if (status === 413) return 'context_length';
  if (status === 429) return 'rate_limit';
  if (status === 529 || status === 503) return 'overloaded';
  if (status >= 500) return 'server';
  if (status >= 400) return 'invalid_request';
  return 'unknown';
}

/**
 * Reads a retry delay in milliseconds from `retry-after-ms` or `retry-after` (seconds or an HTTP
 * date). Accepts a `Headers` object or a plain record; returns undefined when there is none.
 */
export function retryAfterMsFromHeaders(
  headers: { get(name: string): string | null } | Record<string, string | undefined> | undefined | null,
): number | undefined {
  if (!headers) return undefined;
  const read = (name: string): string | null | undefined =>
    typeof headers.get === 'function'
      ? (headers as { get(name: string): string | null }).get(name)
      : (headers as Record<string, string | undefined>)[name];
  const milliseconds = Number.parseFloat(read('retry-after-ms') ?? '');
  if (Number.isFinite(milliseconds) && milliseconds >= 0) return milliseconds;
  const retryAfter = read('retry-after');
  if (!retryAfter) return undefined;
  const seconds = Number.parseFloat(retryAfter);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  const date = Date.parse(retryAfter);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}

const CONNECTION_CODES = new Set([
  'UND_ERR_SOCKET',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_CLOSED',
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ETIMEDOUT',
  'EHOSTUNREACH',
]);

/**
 * Recognises the raw network failures that fetch/undici throw (`TypeError: terminated`,
 * `TypeError: fetch failed`, socket error codes) anywhere in an error's cause chain.
 */
export function isConnectionError(error: unknown): boolean {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && current instanceof Error; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string' && CONNECTION_CODES.has(code)) return true;
    if (current.name === 'TypeError' && /^(terminated|fetch failed)$/.test(current.message)) return true;
    current = current.cause;
  }
  return false;
}

/** True for an abort error thrown by fetch, the vendor SDKs or `AbortSignal`. */
export function isAbortError(error: unknown): boolean {
  if (!(error instanceof Error) && !(typeof DOMException !== 'undefined' && error instanceof DOMException)) {
    return false;
  }
  const name = (error as Error).name;
  if (name === 'AbortError') return true;
  // The vendor SDKs leave `name` as 'Error' on their abort classes: check the class instead.
  for (
    let prototype = Object.getPrototypeOf(error);
    prototype !== null;
    prototype = Object.getPrototypeOf(prototype)
  ) {
    const className = prototype.constructor?.name;
    if (className === 'APIUserAbortError' || className === 'GoogleGenerativeAIAbortError') return true;
  }
  return false;
}

/**
 * Turns anything thrown into a TokenwireError: kept as is when it already is one, `connection`
 * for network failures, `invalid_response` for a `SyntaxError` (a vendor parser met a record that
 * is not JSON; retryable only when `beforeOutput`), `unknown` otherwise. The original is kept,
 * sanitized, as `cause`.
 */
export function toTokenwireError(error: unknown, provider?: string, beforeOutput = false): TokenwireError {
  if (TokenwireError.isInstance(error)) return error;
  const message = error instanceof Error ? error.message : String(error);
  if (error instanceof SyntaxError) {
    return new TokenwireError({
      code: 'invalid_response',
      provider,
      retryable: beforeOutput,
      message: `The ${provider ?? 'provider'} stream carried a record that is not valid JSON: ${message}`,
      cause: error,
    });
  }
  if (isConnectionError(error)) {
    return new TokenwireError({
      code: 'connection',
      message: `Connection to ${provider ?? 'the provider'} failed: ${message}`,
      provider,
      cause: error,
    });
  }
  return new TokenwireError({ code: 'unknown', message, provider, cause: error });
}
