import { TokenwireError, type TokenwireErrorCode } from '@tokenwire/core';
import { errorCodeFromStatus, isConnectionError, retryAfterMsFromHeaders } from '@tokenwire/core/adapter';
import { bodyExcerpt } from '@tokenwire/core/internal';

/**
 * The fields of the SDK's `APIError` this module reads. Matched by shape, not `instanceof`, so
 * errors from a second copy of `@anthropic-ai/sdk` (the user's client) are recognised too.
 */
interface AnthropicApiErrorShape extends Error {
  status: number | undefined;
  headers: { get(name: string): string | null } | undefined;
  error: unknown;
  type?: string | null;
  apiMessage?: string | null;
  errorCode?: string | null;
  requestID?: string | null;
}

// Error `type`s of the Messages API. A status-less error (an in-band `event: error` that arrived
// inside an HTTP 200 stream) only has its type to go by.
// @see https://docs.anthropic.com/en/api/errors
const CODE_OF_ERROR_TYPE: Readonly<Record<string, TokenwireErrorCode>> = {
  invalid_request_error: 'invalid_request',
  authentication_error: 'authentication',
  billing_error: 'quota_exceeded',
  permission_error: 'permission',
  not_found_error: 'not_found',
  request_too_large: 'context_length',
  rate_limit_error: 'rate_limit',
  timeout_error: 'timeout',
  api_error: 'server',
  overloaded_error: 'overloaded',
};

const CONTEXT_LENGTH_MESSAGE = /prompt is too long|context window|context length|too many (input )?tokens/i;
const QUOTA_ERROR_CODE = /spend_limit|billing|credit/;

const HINTS: Partial<Record<TokenwireErrorCode, string>> = {
  authentication: ' Check the apiKey setting or the ANTHROPIC_API_KEY environment variable.',
  quota_exceeded: ' Check the billing and spend limits of your Anthropic organization.',
  context_length: ' Shorten the conversation or lower maxTokens.',
};

/**
 * Maps anything `@anthropic-ai/sdk` throws to a `TokenwireError`: every `APIError` subclass by
 * status (529 `OverloadedError` → `overloaded`, 402 → `quota_exceeded`, 413 → `context_length`,
 * …), a status-less in-band stream error by its `type` (`overloaded_error` → `overloaded`,
 * retryable), connection and timeout errors, and raw undici `TypeError('terminated' | 'fetch failed')`.
 * Keeps `retry-after`/`retry-after-ms` as `retryAfterMs`, the `request-id` header as `requestId`,
 * honours `x-should-retry`, and chains the original as `cause` (which core keeps as a sanitized
 * copy). A response body is quoted only as an excerpt (an HTML page by its title). Returns
 * undefined for anything it does not recognise, so the runtime decides: an abort, and a raw
 * `SyntaxError` (the SDK met a record that is not JSON), which core makes `invalid_response`,
 * retryable only before output.
 */
export function normalizeAnthropicError(error: unknown, provider = 'anthropic'): TokenwireError | undefined {
  if (TokenwireError.isInstance(error)) return error;
  if (!(error instanceof Error)) return undefined;
  switch (error.name) {
    case 'APIUserAbortError':
      return undefined; // the runtime knows whether it aborted the request itself
    case 'APIConnectionTimeoutError':
      return new TokenwireError({
        code: 'timeout',
        provider,
        message: `The request to Anthropic timed out before the response began: ${error.message} Raise the adapter's timeout setting if the model is just slow.`,
        cause: error,
      });
    case 'APIConnectionError': {
      const cause = error.cause instanceof Error ? ` (${error.cause.message})` : '';
      return new TokenwireError({
        code: 'connection',
        provider,
        message: `Could not connect to the Anthropic API: ${error.message}${cause}`,
        cause: error,
      });
    }
  }
  if (isApiError(error)) return fromApiError(error, provider);
  if (isConnectionError(error) || (error.name === 'AnthropicError' && error.message === 'terminated')) {
    return new TokenwireError({
      code: 'connection',
      provider,
      message: `The connection to the Anthropic API failed: ${error.message}`,
      cause: error,
    });
  }
  return undefined;
}

/**
 * The error an in-band `{"type":"error","error":{…}}` stream event describes. The SDK throws these
 * itself (as a status-less `APIError`); this covers transports that yield the event instead.
 */
export function anthropicStreamError(event: unknown, provider = 'anthropic'): TokenwireError {
  const body = (event as { error?: { type?: unknown; message?: unknown } } | undefined)?.error;
  const type = typeof body?.type === 'string' ? body.type : undefined;
  const message = typeof body?.message === 'string' ? bodyExcerpt(body.message) : 'no message';
  const code = (type === undefined ? undefined : CODE_OF_ERROR_TYPE[type]) ?? 'unknown';
  return new TokenwireError({
    code,
    provider,
    message: `The Anthropic stream reported an error (${type ?? 'untyped'}): ${message}`,
    cause: event,
  });
}

function isApiError(error: Error): error is AnthropicApiErrorShape {
  return 'status' in error && 'headers' in error && 'error' in error;
}

function fromApiError(error: AnthropicApiErrorShape, provider: string): TokenwireError {
  const { status, headers } = error;
  const type = error.type ?? undefined;
  const detail = detailOf(error);
  const code = codeOf(error);
  const shouldRetry = headers?.get('x-should-retry');
  const message =
    status === undefined
      ? `The Anthropic stream reported an error (${type ?? 'untyped'}): ${detail}`
      : `Anthropic API error ${status}${type === undefined ? '' : ` ${type}`}: ${detail}`;
  return new TokenwireError({
    code,
    provider,
    message: (/[.!?…]$/.test(message) ? message : `${message}.`) + (HINTS[code] ?? ''),
    status,
    retryable: shouldRetry === 'true' ? true : shouldRetry === 'false' ? false : undefined,
    retryAfterMs: retryAfterMsFromHeaders(headers),
    requestId: error.requestID ?? undefined,
    cause: error,
  });
}

/**
 * What the error body says, as an excerpt: the API's own message, else the body text the SDK put
 * in `message` after the status (a proxy's HTML page becomes `an HTML page (title "…")`).
 */
function detailOf(error: AnthropicApiErrorShape): string {
  if (typeof error.apiMessage === 'string' && error.apiMessage !== '') return bodyExcerpt(error.apiMessage);
  const prefix = error.status === undefined ? '' : `${error.status} `;
  return bodyExcerpt(error.message.startsWith(prefix) ? error.message.slice(prefix.length) : error.message);
}

function codeOf(error: AnthropicApiErrorShape): TokenwireErrorCode {
  const { status } = error;
  const type = error.type ?? undefined;
  if (type === 'billing_error' || QUOTA_ERROR_CODE.test(error.errorCode ?? '')) return 'quota_exceeded';
  if (status === undefined) return (type === undefined ? undefined : CODE_OF_ERROR_TYPE[type]) ?? 'unknown';
  if (status === 400 && CONTEXT_LENGTH_MESSAGE.test(error.apiMessage ?? error.message))
    return 'context_length';
  return errorCodeFromStatus(status);
}
