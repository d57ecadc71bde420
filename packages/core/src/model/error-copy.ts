import { redactSecrets } from './redact.js';
import { isSecretHeaderName } from './secret-headers.js';

/** The longest string a copied error keeps (its message, stack, a body excerpt). */
const LONGEST_TEXT = 2_000;
/** How deep a `cause` chain or a body object is copied. */
const DEEPEST = 4;
/** Fields of vendor errors that carry what users need to act on an error. */
const KEPT_FIELDS = [
  'status',
  'statusText',
  'code',
  'type',
  'param',
  'errorCode',
  'requestID',
  'request_id',
] as const;
/** Fields that hold the raw response body (OpenAI `error`, Anthropic `error`/`apiMessage`, legacy Google `errorDetails`). */
const BODY_FIELDS = ['error', 'apiMessage', 'errorDetails', 'details', 'body'] as const;

/**
 * A copy of a vendor error that keeps what users need and nothing else: the class name, message
 * and stack (redacted and bounded), `status`, `code`, `type`, `param`, the request id, the response
 * headers without credential-bearing ones, an excerpt of the error body, and the copied `cause`.
 * It is what `TokenwireError.cause` holds, because the vendor's own objects keep the key in fields
 * nothing can reliably rewrite (raw bodies, `Headers` internals, echoed request headers).
 */
export class ErrorCopy extends Error {
  /** The HTTP status, when the vendor error had one. */
  declare status?: number;
  /** The vendor's error code or type, when it had one. */
  declare code?: string | number;
  /** Response headers, credential-bearing ones removed, every value redacted. */
  declare headers?: Record<string, string>;
  /** An excerpt of the error body, redacted. */
  declare body?: unknown;
}

/**
 * What `TokenwireError` keeps as its `cause`: TokenwireErrors as they are (their own causes were
 * copied when they were made), errors as `ErrorCopy`, plain data as a redacted, bounded copy.
 */
export function copyCause(cause: unknown, depth = 0): unknown {
  if (cause === undefined || cause === null) return cause;
  if (
    typeof cause === 'object' &&
    (cause as { [key: symbol]: unknown })[Symbol.for('tokenwire.error')] === true
  ) {
    return cause;
  }
  if (cause instanceof Error) return copyError(cause, depth);
  return copyData(cause, depth);
}

function copyError(error: Error, depth: number): ErrorCopy {
  const copy = new ErrorCopy(bounded(redactSecrets(String(error.message))));
  // The openai SDK leaves `name` as 'Error' on its classes: the class name says more.
  const className = error.constructor?.name;
  copy.name =
    error.name !== 'Error' || typeof className !== 'string' || className === ''
      ? String(error.name)
      : className;
  copy.stack = typeof error.stack === 'string' ? bounded(redactSecrets(error.stack)) : undefined;
  const source = error as unknown as Record<string, unknown>;
  for (const field of KEPT_FIELDS) {
    const value = readField(source, field);
    if (typeof value === 'number' || typeof value === 'string') {
      (copy as unknown as Record<string, unknown>)[field === 'request_id' ? 'requestID' : field] =
        typeof value === 'string' ? bounded(redactSecrets(value)) : value;
    }
  }
  const headers = copyHeaders(readField(source, 'headers'));
  if (headers !== undefined) copy.headers = headers;
  for (const field of BODY_FIELDS) {
    const value = readField(source, field);
    if (value !== undefined && value !== null) {
      copy.body = copyData(value, depth + 1);
      break;
    }
  }
  const cause = readField(source, 'cause');
  if (cause !== undefined && depth < DEEPEST) copy.cause = copyCause(cause, depth + 1);
  return copy;
}

/** Plain data (a body, an event) with every string redacted and bounded, depth and size limited. */
function copyData(value: unknown, depth: number): unknown {
  if (typeof value === 'string') return bounded(redactSecrets(value));
  if (typeof value !== 'object' || value === null) return typeof value === 'function' ? undefined : value;
  if (depth >= DEEPEST) return '[…]';
  if (value instanceof Error) return copyError(value, depth);
  if (Array.isArray(value)) return value.slice(0, 20).map((item) => copyData(item, depth + 1));
  const copy: Record<string, unknown> = {};
  let kept = 0;
  for (const key of Object.keys(value)) {
    if (kept++ >= 40) break;
    if (isSecretHeaderName(key)) continue;
    copy[key] = copyData(readField(value as Record<string, unknown>, key), depth + 1);
  }
  return copy;
}

/** Response headers as a plain object, without credential-bearing names, values redacted. */
function copyHeaders(headers: unknown): Record<string, string> | undefined {
  if (typeof headers !== 'object' || headers === null) return undefined;
  const copy: Record<string, string> = {};
  const add = (value: unknown, name: string) => {
    if (!isSecretHeaderName(name) && typeof value === 'string')
      copy[name.toLowerCase()] = bounded(redactSecrets(value));
  };
  const iterable = headers as { forEach?: (visit: (value: unknown, name: string) => void) => void };
  if (typeof iterable.forEach === 'function' && !Array.isArray(headers)) iterable.forEach(add);
  else for (const [name, value] of Object.entries(headers)) add(value, name);
  return copy;
}

/** A field read that survives getters that throw. */
function readField(source: Record<string, unknown>, field: string): unknown {
  try {
    return source[field];
  } catch {
    return undefined;
  }
}

function bounded(text: string): string {
  return text.length > LONGEST_TEXT ? `${text.slice(0, LONGEST_TEXT)}…` : text;
}
