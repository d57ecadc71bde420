import type { TokenwireErrorCode } from '@tokenwire/core';
import { TokenwireError } from '@tokenwire/core';
import { errorCodeFromStatus, isConnectionError, retryAfterMsFromHeaders } from '@tokenwire/core/adapter';
import { bodyExcerpt } from '@tokenwire/core/internal';
import { APIConnectionError, APIConnectionTimeoutError, APIError, APIUserAbortError } from 'openai';

/** The error object OpenAI-style APIs send: in HTTP error bodies, in-band `error` events and `response.error`. */
export interface OpenAIErrorBody {
  code?: string | number | null;
  type?: string | null;
  message?: string | null;
  param?: string | null;
}

/** Who the error is about, for its message. */
export interface OpenAIErrorContext {
  /** Provider name (`openai`, `deepseek`, …). Default `'openai'`. */
  provider?: string;
  /** The environment variable the key came from, named in authentication errors. */
  apiKeyEnv?: string;
}

// Error `code`s and `type`s that say more than the HTTP status (a 429 may be a rate limit or
// an exhausted quota). https://platform.openai.com/docs/guides/error-codes
const CODE_OF_IDENTIFIER: ReadonlyMap<string, TokenwireErrorCode> = new Map<string, TokenwireErrorCode>(
  Object.entries({
    insufficient_quota: 'quota_exceeded',
    billing_hard_limit_reached: 'quota_exceeded',
    context_length_exceeded: 'context_length',
    string_above_max_length: 'context_length',
    rate_limit_exceeded: 'rate_limit',
    rate_limit_error: 'rate_limit',
    server_error: 'server',
    api_error: 'server',
    overloaded_error: 'overloaded',
    server_overloaded: 'overloaded',
    content_filter: 'content_filter',
    content_policy_violation: 'content_filter',
    invalid_api_key: 'authentication',
    authentication_error: 'authentication',
    permission_error: 'permission',
    model_not_found: 'not_found',
    not_found_error: 'not_found',
    invalid_request_error: 'invalid_request',
    invalid_prompt: 'invalid_request',
    // Responses `response.error.code`s
    bio_policy: 'content_filter',
    misalignment_policy_violation: 'content_filter',
    image_content_policy_violation: 'content_filter',
    vector_store_timeout: 'timeout',
    data_residency_mismatch: 'invalid_request',
    invalid_image: 'invalid_request',
    invalid_image_format: 'invalid_request',
    invalid_base64_image: 'invalid_request',
    invalid_image_url: 'invalid_request',
    invalid_image_mode: 'invalid_request',
    image_too_large: 'invalid_request',
    image_too_small: 'invalid_request',
    image_parse_error: 'invalid_request',
    image_file_too_large: 'invalid_request',
    image_file_not_found: 'invalid_request',
    unsupported_image_media_type: 'invalid_request',
    empty_image_file: 'invalid_request',
    failed_to_download_image: 'invalid_request',
  }) as Array<[string, TokenwireErrorCode]>,
);

/** The error code an OpenAI error body names by its `code`, then its `type`; undefined when neither is known. */
export function errorCodeFromOpenAIErrorBody(
  body: OpenAIErrorBody | null | undefined,
): TokenwireErrorCode | undefined {
  if (!body) return undefined;
  const code = typeof body.code === 'string' ? CODE_OF_IDENTIFIER.get(body.code) : undefined;
  return code ?? (typeof body.type === 'string' ? CODE_OF_IDENTIFIER.get(body.type) : undefined);
}

/**
 * A TokenwireError for an error the provider reported inside a stream (Responses `error` and
 * `response.failed` events, a chat chunk with `error`). Unknown identifiers count as `server`
 * errors: the provider failed while generating, and a retry before any output may succeed.
 */
export function openAIStreamError(
  body: OpenAIErrorBody | null | undefined,
  context: OpenAIErrorContext & { requestId?: string; cause?: unknown } = {},
): TokenwireError {
  const provider = context.provider ?? 'openai';
  const code = errorCodeFromOpenAIErrorBody(body) ?? 'server';
  const identifier = body?.code ?? body?.type;
  const detail =
    typeof body?.message === 'string' && body.message !== ''
      ? bodyExcerpt(body.message)
      : identifier
        ? String(identifier)
        : 'no details';
  return new TokenwireError({
    code,
    provider,
    message: withHint(
      `The ${provider} stream reported an error${identifier ? ` (${identifier})` : ''}: ${detail}`,
      code,
      context,
    ),
    ...(context.requestId ? { requestId: context.requestId } : {}),
    ...(context.cause === undefined ? {} : { cause: context.cause }),
  });
}

/** The fields of the SDK's `APIError` this module reads (duck-typed: two SDK copies may be installed). */
interface APIErrorLike extends Error {
  status?: number;
  headers?: { get(name: string): string | null } | null;
  error?: unknown;
  code?: string | null;
  type?: string;
  requestID?: string | null;
}

/**
 * Maps anything the `openai` SDK throws to a TokenwireError, or undefined when it is not an
 * error this module knows (the runtime then decides):
 * - HTTP errors (`BadRequestError` … `InternalServerError`): code from the body's `code`/`type`,
 *   else from the status; `retryAfterMs` from `retry-after-ms`/`retry-after`; `requestId` from
 *   `x-request-id`; `x-should-retry` is honoured. `insufficient_quota` is `quota_exceeded`.
 * - status-less `APIError`s (an error event inside a 200 stream): code from `code`/`type`.
 * - `APIConnectionTimeoutError` → `timeout`; `APIConnectionError` and raw undici
 *   `TypeError('terminated' | 'fetch failed')` → `connection`.
 * - the SDK's raw `SyntaxError` for a malformed event ("Error reading response: malformed
 *   server-sent event JSON.", not wrapped) → undefined: core maps it to `invalid_response`,
 *   retryable only before any output, which only the runtime knows.
 * Messages quote the response body only through `bodyExcerpt` (an HTML page by its title, other
 * text cut at 300 characters).
 */
export function normalizeOpenAIError(
  error: unknown,
  context: OpenAIErrorContext = {},
): TokenwireError | undefined {
  if (TokenwireError.isInstance(error)) return error;
  const provider = context.provider ?? 'openai';
  if (hasClassName(error, 'APIUserAbortError')) {
    return new TokenwireError({
      code: 'connection',
      provider,
      message: `The ${provider} request was aborted by something other than tokenwire.`,
      cause: error,
    });
  }
  if (hasClassName(error, 'APIConnectionTimeoutError')) {
    return new TokenwireError({
      code: 'timeout',
      provider,
      message: `The ${provider} request timed out before the response began (the client's timeout).`,
      cause: error,
    });
  }
  if (hasClassName(error, 'APIConnectionError') || isConnectionError(error)) {
    const reason = (error as Error).cause instanceof Error ? ((error as Error).cause as Error).message : '';
    return new TokenwireError({
      code: 'connection',
      provider,
      message: `Connection to ${provider} failed: ${(error as Error).message}${reason && reason !== (error as Error).message ? ` (${reason})` : ''}`,
      cause: error,
    });
  }
  if (hasClassName(error, 'APIError')) return fromAPIError(error as APIErrorLike, provider, context);
  return undefined;
}

function fromAPIError(error: APIErrorLike, provider: string, context: OpenAIErrorContext): TokenwireError {
  const body = (
    typeof error.error === 'object' && error.error !== null ? error.error : {}
  ) as OpenAIErrorBody;
  const identified = errorCodeFromOpenAIErrorBody({
    code: error.code ?? body.code,
    type: error.type ?? body.type,
  });
  const requestId = error.requestID ?? undefined;
  if (typeof error.status !== 'number') {
    return openAIStreamError(
      {
        code: error.code ?? body.code ?? null,
        type: error.type ?? body.type ?? null,
        message: typeof body.message === 'string' ? body.message : error.message,
      },
      { ...context, provider, cause: error, ...(requestId ? { requestId } : {}) },
    );
  }
  // A specific identifier (insufficient_quota on a 429) beats the status; a generic one
  // (server_error, invalid_request_error) says less than the status (503 is overloaded).
  const code =
    identified === undefined || identified === 'server' || identified === 'invalid_request'
      ? errorCodeFromStatus(error.status)
      : identified;
  const shouldRetry = error.headers?.get('x-should-retry');
  const retryAfterMs = retryAfterMsFromHeaders(error.headers);
  return new TokenwireError({
    code,
    provider,
    status: error.status,
    message: withHint(
      `The ${provider} API answered ${error.status} ${describeBody(error, body)}`,
      code,
      context,
    ),
    // The server's own x-should-retry wins, except that an exhausted quota never recovers by retrying.
    ...(shouldRetry === 'true' || shouldRetry === 'false'
      ? { retryable: shouldRetry === 'true' && code !== 'quota_exceeded' }
      : {}),
    ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
    ...(requestId ? { requestId } : {}),
    cause: error,
  });
}

/**
 * What an HTTP error's message says of its body: the body's `message`, else the body as JSON, else
 * the raw text the SDK put in its message (`"502 <html>…"`), each through `bodyExcerpt` so that a
 * proxy's HTML page, which may list the request's headers, is named by its title and not copied.
 */
function describeBody(error: APIErrorLike, body: OpenAIErrorBody): string {
  if (typeof body.message === 'string' && body.message !== '') return bodyExcerpt(body.message);
  if (typeof error.error === 'object' && error.error !== null) return bodyExcerpt(safeJson(error.error));
  const prefix = `${error.status} `;
  const text = error.message.startsWith(prefix) ? error.message.slice(prefix.length) : error.message;
  return bodyExcerpt(text);
}

function safeJson(value: unknown): string {
  try {
    return JSON.stringify(value) ?? '';
  } catch {
    return '(a body that cannot be shown)';
  }
}

/**
 * True when an HTTP 400/422 may be the service rejecting `stream_options` (services that validate
 * bodies strictly and do not know the field): the error names the field, or says nothing at all
 * (a FastAPI-style `{"detail": …}` body, which the SDK reports as "(no body)"). The adapter then
 * retries once without the field, and remembers only if that retry is accepted.
 */
export function mayRejectStreamOptions(error: unknown): boolean {
  if (!hasClassName(error, 'APIError')) return false;
  const { status, message } = error as APIErrorLike;
  const param = (error as { param?: unknown }).param;
  if (status !== 400 && status !== 422) return false;
  return param === 'stream_options' || /stream_options|include_usage|status code \(no body\)/.test(message);
}

/** The message, ended as a sentence, then what to do (when there is a hint for the code). */
function withHint(message: string, code: TokenwireErrorCode, context: OpenAIErrorContext): string {
  const advice = hint(code, context);
  if (advice === '') return message;
  return /[.!?]$/.test(message.trimEnd())
    ? `${message.trimEnd()}${advice}`
    : `${message.trimEnd()}.${advice}`;
}

function hint(code: TokenwireErrorCode, context: OpenAIErrorContext): string {
  switch (code) {
    case 'authentication':
      return context.apiKeyEnv ? ` Check the API key (${context.apiKeyEnv} or the apiKey setting).` : '';
    case 'quota_exceeded':
      return ' The account has no quota left: check its plan and billing details.';
    case 'context_length':
      return ' Shorten the conversation or lower maxTokens.';
    case 'not_found':
      return ' Check the model name and the base URL.';
    default:
      return '';
  }
}

// The SDK's error classes, for `instanceof` on this copy of the SDK: a bundler renames classes
// whose names collide (esbuild's `APIError2` beside @anthropic-ai/sdk's APIError), a minifier all of them.
const SDK_ERROR_CLASSES = { APIError, APIConnectionError, APIConnectionTimeoutError, APIUserAbortError };

/**
 * True when the value is an instance of the SDK's class, or its class (or one it extends) has the
 * class's name (works across duplicate SDK copies), also as a bundler renamed it (`APIError2`, `APIError$1`).
 */
function hasClassName(value: unknown, name: keyof typeof SDK_ERROR_CLASSES): boolean {
  if (typeof value !== 'object' || value === null) return false;
  if (value instanceof SDK_ERROR_CLASSES[name]) return true;
  const renamed = new RegExp(`^${name}\\$?\\d*$`);
  for (
    let prototype = Object.getPrototypeOf(value);
    prototype !== null;
    prototype = Object.getPrototypeOf(prototype)
  ) {
    const className = (prototype as { constructor?: { name?: string } }).constructor?.name;
    if (className !== undefined && renamed.test(className)) return true;
  }
  return false;
}
