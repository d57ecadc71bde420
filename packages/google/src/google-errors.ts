import { TokenwireError, type TokenwireErrorCode } from '@tokenwire/core';
import { errorCodeFromStatus, isConnectionError, toTokenwireError } from '@tokenwire/core/adapter';
import { bodyExcerpt } from '@tokenwire/core/internal';
import type { GoogleErrorBody } from './google-types.js';

/** How much of a vendor error message (which may be a whole HTML page) a message quotes. */
const LONGEST_VENDOR_MESSAGE = 1_000;

// `google.rpc.Code` names, for bodies that carry a status name but no usable HTTP code.
const CODE_OF_RPC_STATUS: Readonly<Record<string, TokenwireErrorCode>> = {
  INVALID_ARGUMENT: 'invalid_request',
  FAILED_PRECONDITION: 'invalid_request',
  OUT_OF_RANGE: 'invalid_request',
  UNAUTHENTICATED: 'authentication',
  PERMISSION_DENIED: 'permission',
  NOT_FOUND: 'not_found',
  RESOURCE_EXHAUSTED: 'rate_limit',
  UNAVAILABLE: 'overloaded',
  INTERNAL: 'server',
  UNKNOWN: 'server',
  DEADLINE_EXCEEDED: 'timeout',
};

/**
 * The error code of a Gemini error. Gemini answers an invalid API key with 400 INVALID_ARGUMENT
 * ("API key not valid"), not 401, and an over-long prompt with 400 as well.
 */
function codeOf(body: GoogleErrorBody): TokenwireErrorCode {
  const message = body.message ?? '';
  if (
    /API[_ ]key not valid|API_KEY_INVALID|API key expired/i.test(message) ||
    hasReason(body, 'API_KEY_INVALID')
  ) {
    return 'authentication';
  }
  if (/input token count.*exceeds|exceeds the maximum number of tokens/i.test(message))
    return 'context_length';
  if (typeof body.code === 'number' && body.code >= 400) return errorCodeFromStatus(body.code);
  return (body.status && CODE_OF_RPC_STATUS[body.status]) || 'unknown';
}

function hasReason(body: GoogleErrorBody, reason: string): boolean {
  return (body.details ?? []).some((detail) => (detail as { reason?: unknown } | null)?.reason === reason);
}

/**
 * Reads the `google.rpc.RetryInfo` detail of a Gemini error ("retryDelay": "7s" or "0.5s") as
 * milliseconds. Gemini sends no `retry-after` header; the delay lives in the body.
 */
export function retryAfterMsFromDetails(details: readonly unknown[] | undefined): number | undefined {
  for (const detail of details ?? []) {
    const { '@type': type, retryDelay } = (detail ?? {}) as { '@type'?: unknown; retryDelay?: unknown };
    if (typeof type !== 'string' || !type.endsWith('google.rpc.RetryInfo')) continue;
    if (typeof retryDelay === 'string') {
      const seconds = Number.parseFloat(retryDelay);
      if (Number.isFinite(seconds) && seconds >= 0) return Math.round(seconds * 1000);
    }
    if (typeof retryDelay === 'object' && retryDelay !== null) {
      const { seconds, nanos } = retryDelay as { seconds?: unknown; nanos?: unknown };
      const total = Number(seconds ?? 0) * 1000 + Number(nanos ?? 0) / 1e6;
      if (Number.isFinite(total) && total >= 0) return Math.round(total);
    }
  }
  return undefined;
}

/**
 * Turns a Gemini error body (`{ code, message, status, details }`, from an HTTP error or an
 * in-band `{ error }` record) into a TokenwireError: 429 RESOURCE_EXHAUSTED is `rate_limit` with
 * the RetryInfo delay, 503 UNAVAILABLE `overloaded`, 400 "API key not valid" `authentication`.
 */
export function googleErrorFromBody(
  body: GoogleErrorBody,
  provider: string,
  cause?: unknown,
): TokenwireError {
  const status = typeof body.code === 'number' && body.code >= 400 ? body.code : undefined;
  const label = [status, body.status].filter((value) => value !== undefined).join(' ');
  return new TokenwireError({
    code: codeOf(body),
    provider,
    status,
    retryAfterMs: retryAfterMsFromDetails(body.details),
    message: `${provider} API error${label ? ` ${label}` : ''}: ${body.message === undefined ? 'no message' : bodyExcerpt(body.message, LONGEST_VENDOR_MESSAGE)}`,
    cause,
  });
}

/**
 * A 200 body that is not an event stream, read whole: the Gemini error it holds
 * (`{ "error": { "code": 503, … } }`, which genai itself looks for in every read), or undefined.
 */
export function googleBodyError(text: string, provider = 'google'): TokenwireError | undefined {
  const body = parseErrorBody(text);
  return body === undefined ? undefined : googleErrorFromBody(body, provider);
}

/** The `{ error }` object inside a JSON error text, or undefined. */
export function parseErrorBody(text: string): GoogleErrorBody | undefined {
  const start = text.indexOf('{');
  if (start < 0) return undefined;
  try {
    const parsed = JSON.parse(text.slice(start)) as { error?: unknown };
    return typeof parsed?.error === 'object' && parsed.error !== null
      ? (parsed.error as GoogleErrorBody)
      : undefined;
  } catch {
    return undefined;
  }
}

// The legacy SDK's error classes do not set `name` (it stays 'Error'), so they are recognised by
// their constructor's name and their "[GoogleGenerativeAI Error]: " message prefix.
const LEGACY_PREFIX = '[GoogleGenerativeAI Error]: ';

function legacyClassOf(error: Error): string | undefined {
  const className = error.constructor?.name;
  if (className?.startsWith('GoogleGenerativeAI')) return className;
  return error.message.startsWith(LEGACY_PREFIX) ? 'GoogleGenerativeAIError' : undefined;
}

function normalizeLegacyError(
  error: Error,
  className: string,
  provider: string,
  beforeOutput: boolean,
): TokenwireError {
  const message = error.message.startsWith(LEGACY_PREFIX)
    ? error.message.slice(LEGACY_PREFIX.length)
    : error.message;
  const { status, errorDetails } = error as { status?: unknown; errorDetails?: unknown };
  if (typeof status === 'number') {
    const details = Array.isArray(errorDetails) ? errorDetails : undefined;
    return googleErrorFromBody({ code: status, message, details }, provider, error);
  }
  const fail = (code: TokenwireErrorCode, text: string, retryable?: boolean) =>
    new TokenwireError({ code, provider, message: text, cause: error, retryable });
  if (className === 'GoogleGenerativeAIAbortError') {
    return fail(
      'connection',
      `The ${provider} request was aborted by something other than tokenwire: ${message}`,
    );
  }
  if (className === 'GoogleGenerativeAIRequestInputError') return fail('invalid_request', message);
  // The SDK found text it could not split into `data:` records when the body ended. It keeps
  // neither the body nor its content type, so the message cannot say which of these it was.
  if (message.startsWith('Failed to parse stream')) {
    return fail(
      'invalid_response',
      `The ${provider} response was not an event stream @google/generative-ai could read ("Failed to parse stream"; the SDK does not show what arrived): an HTML page or other text instead of the API (is the base URL right?), SSE comment or event lines a proxy added, or a record cut off at the end. The @google/genai SDK (sdk: 'genai') reads SSE comments and names what arrived.`,
    );
  }
  // A malformed record: like the truncation it is, worth a retry only before any output.
  const malformed = /^Error parsing JSON response: "([\s\S]*)"$/.exec(message);
  if (malformed !== null) {
    return fail(
      'invalid_response',
      `The ${provider} stream carried a record that is not valid JSON: ${bodyExcerpt(malformed[1] ?? '')}`,
      beforeOutput,
    );
  }
  if (message.startsWith('Error parsing JSON response')) return fail('invalid_response', message);
  if (message.startsWith('Error reading from the stream')) {
    return fail(
      'connection',
      `Connection to ${provider} failed: ${message} (@google/generative-ai reports a dropped connection, and a body that is not UTF-8 text, with these same words).`,
    );
  }
  if (message.startsWith('Error fetching from')) {
    return fail('connection', `Connection to ${provider} failed: ${message}`);
  }
  return fail('unknown', message);
}

/**
 * Maps what the Google SDKs throw to a TokenwireError: `GoogleGenerativeAIFetchError` (status,
 * RetryInfo), the other `GoogleGenerativeAI*` errors, `@google/genai`'s `ApiError` (whose message
 * is the JSON error body) and raw undici network errors. Returns undefined for anything else, a
 * raw `SyntaxError` included (core maps it). `beforeOutput` (default false) makes the legacy SDK's
 * malformed-record error retryable: it wraps the `SyntaxError` core would otherwise see, so the
 * adapter says whether the stream had output. Vendor messages are quoted through `bodyExcerpt`.
 */
export function normalizeGoogleError(
  error: unknown,
  provider = 'google',
  beforeOutput = false,
): TokenwireError | undefined {
  if (TokenwireError.isInstance(error)) return error;
  if (!(error instanceof Error)) return undefined;
  const legacyClass = legacyClassOf(error);
  if (legacyClass !== undefined) return normalizeLegacyError(error, legacyClass, provider, beforeOutput);
  const status = (error as { status?: unknown }).status;
  if (error.name === 'ApiError' && typeof status === 'number') {
    const body = parseErrorBody(error.message) ?? { message: error.message };
    return googleErrorFromBody({ ...body, code: status }, provider, error);
  }
  if (isConnectionError(error)) return toTokenwireError(error, provider);
  // @google/genai's SSE reader: the stream ended inside a record, or a record was not JSON. (Behind
  // the adapter's body guard the first cannot happen: the guard reports a cut record itself.)
  if (/^(Incomplete JSON segment at the end|exception parsing stream chunk)/.test(error.message)) {
    return new TokenwireError({
      code: 'invalid_response',
      provider,
      message: `${provider} sent a malformed stream: ${bodyExcerpt(error.message)}`,
      cause: error,
    });
  }
  // A raw SyntaxError (genai met a record that is not JSON): core maps it to `invalid_response`,
  // retryable only before any output, which only the runtime knows.
  return undefined;
}
