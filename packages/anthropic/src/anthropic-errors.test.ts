import {
  APIConnectionError,
  APIConnectionTimeoutError,
  APIError,
  APIUserAbortError,
  OverloadedError,
} from '@anthropic-ai/sdk';
import { registerSecret, TokenwireError } from '@tokenwire/core';
import { findSecrets } from '@tokenwire/testing';
import { describe, expect, it } from 'vitest';
import { anthropicStreamError, normalizeAnthropicError } from './anthropic-errors.js';

const body = (type: string, message: string) => ({ type: 'error', error: { type, message } });
const headers = (extra: Record<string, string> = {}) => new Headers({ 'request-id': 'req_123', ...extra });

function summary(error: TokenwireError | undefined) {
  return error === undefined
    ? undefined
    : {
        code: error.code,
        status: error.status,
        retryable: error.retryable,
        retryAfterMs: error.retryAfterMs,
        requestId: error.requestId,
      };
}

describe('normalizeAnthropicError', () => {
  it('maps a status-less in-band overloaded_error, as the SDK throws it mid-stream, to overloaded and retryable', () => {
    const thrown = new APIError(
      undefined,
      body('overloaded_error', 'Overloaded'),
      undefined,
      headers(),
      'overloaded_error',
    );
    const error = normalizeAnthropicError(thrown);
    expect(summary(error)).toEqual({
      code: 'overloaded',
      status: undefined,
      retryable: true,
      retryAfterMs: undefined,
      requestId: 'req_123',
    });
    expect(error?.message).toBe('The Anthropic stream reported an error (overloaded_error): Overloaded.');
    // core keeps a sanitized copy of what the SDK threw, not the object itself
    expect(error?.cause).not.toBe(thrown);
    expect(error?.cause).toMatchObject({
      name: 'APIError',
      type: 'overloaded_error',
      requestID: 'req_123',
      headers: { 'request-id': 'req_123' },
      body: { type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } },
    });
  });

  it('maps an in-band api_error to a retryable server error and an untyped one to unknown', () => {
    const apiError = new APIError(
      undefined,
      body('api_error', 'Internal'),
      undefined,
      headers(),
      'api_error',
    );
    const untyped = new APIError(undefined, 'not json', undefined, headers());
    expect([normalizeAnthropicError(apiError)?.code, normalizeAnthropicError(untyped)?.code]).toEqual([
      'server',
      'unknown',
    ]);
  });

  it('maps every HTTP error class by status', () => {
    const codeOf = (status: number, type = 'api_error') =>
      normalizeAnthropicError(APIError.generate(status, body(type, 'failed'), undefined, headers()))?.code;
    expect({
      400: codeOf(400, 'invalid_request_error'),
      401: codeOf(401, 'authentication_error'),
      402: codeOf(402),
      403: codeOf(403, 'permission_error'),
      404: codeOf(404, 'not_found_error'),
      408: codeOf(408, 'timeout_error'),
      413: codeOf(413, 'request_too_large'),
      422: codeOf(422, 'invalid_request_error'),
      429: codeOf(429, 'rate_limit_error'),
      500: codeOf(500),
      503: codeOf(503),
      504: codeOf(504),
      529: codeOf(529, 'overloaded_error'),
    }).toEqual({
      400: 'invalid_request',
      401: 'authentication',
      402: 'quota_exceeded',
      403: 'permission',
      404: 'not_found',
      408: 'timeout',
      413: 'context_length',
      422: 'invalid_request',
      429: 'rate_limit',
      500: 'server',
      503: 'overloaded',
      504: 'server',
      529: 'overloaded',
    });
  });

  it('maps a 529 OverloadedError with retry-after to a retryable error that keeps the delay and request id', () => {
    const thrown = APIError.generate(
      529,
      body('overloaded_error', 'Overloaded'),
      undefined,
      headers({ 'retry-after': '2' }),
    );
    expect(thrown).toBeInstanceOf(OverloadedError);
    expect(summary(normalizeAnthropicError(thrown))).toEqual({
      code: 'overloaded',
      status: 529,
      retryable: true,
      retryAfterMs: 2000,
      requestId: 'req_123',
    });
  });

  it('prefers retry-after-ms and honours x-should-retry', () => {
    const rateLimited = APIError.generate(
      429,
      body('rate_limit_error', 'Slow down'),
      undefined,
      headers({ 'retry-after-ms': '250', 'retry-after': '9', 'x-should-retry': 'false' }),
    );
    const conflict = APIError.generate(
      409,
      body('api_error', 'Busy'),
      undefined,
      headers({ 'x-should-retry': 'true' }),
    );
    expect([
      summary(normalizeAnthropicError(rateLimited)),
      normalizeAnthropicError(conflict)?.retryable,
    ]).toEqual([
      { code: 'rate_limit', status: 429, retryable: false, retryAfterMs: 250, requestId: 'req_123' },
      true,
    ]);
  });

  it('recognises a prompt that is too long and billing errors behind a 400', () => {
    const tooLong = APIError.generate(
      400,
      body('invalid_request_error', 'prompt is too long: 215000 tokens > 200000 maximum'),
      undefined,
      headers(),
    );
    const billing = APIError.generate(
      400,
      body('billing_error', 'Your credit balance is too low'),
      undefined,
      headers(),
    );
    expect([normalizeAnthropicError(tooLong)?.code, normalizeAnthropicError(billing)?.code]).toEqual([
      'context_length',
      'quota_exceeded',
    ]);
  });

  it('says what to check on an authentication error, without the key', () => {
    const error = normalizeAnthropicError(
      APIError.generate(401, body('authentication_error', 'invalid x-api-key'), undefined, headers()),
    );
    expect(error?.message).toBe(
      'Anthropic API error 401 authentication_error: invalid x-api-key. Check the apiKey setting or the ANTHROPIC_API_KEY environment variable.',
    );
  });

  it('maps connection errors, timeouts and raw undici failures', () => {
    const socketError = Object.assign(new Error('other side closed'), { code: 'UND_ERR_SOCKET' });
    const terminated = new TypeError('terminated', { cause: socketError });
    const connection = new APIConnectionError({
      message: 'Connection error.',
      cause: new TypeError('fetch failed'),
    });
    expect([
      normalizeAnthropicError(connection)?.code,
      normalizeAnthropicError(new APIConnectionTimeoutError())?.code,
      normalizeAnthropicError(terminated)?.code,
      normalizeAnthropicError(new TypeError('fetch failed'))?.code,
    ]).toEqual(['connection', 'timeout', 'connection', 'connection']);
    expect(normalizeAnthropicError(connection)?.retryable).toBe(true);
  });

  it('leaves aborts, raw SyntaxErrors (core makes them invalid_response) and unrelated errors to the runtime', () => {
    let syntaxError: unknown;
    try {
      JSON.parse('{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"Hel');
    } catch (error) {
      syntaxError = error;
    }
    expect(syntaxError).toBeInstanceOf(SyntaxError);
    expect([
      normalizeAnthropicError(new APIUserAbortError()),
      normalizeAnthropicError(syntaxError),
      normalizeAnthropicError(new RangeError('bug')),
      normalizeAnthropicError('a string'),
    ]).toEqual([undefined, undefined, undefined, undefined]);
  });

  it('quotes a proxy’s HTML error page by its title and a long body as an excerpt', () => {
    const page = `<html><head><title>502 Bad Gateway</title></head><body>${'<p>x-api-key: leaked</p>'.repeat(50)}</body></html>`;
    const html = normalizeAnthropicError(APIError.generate(502, undefined, page, headers()));
    const long = normalizeAnthropicError(
      APIError.generate(500, body('api_error', `Internal ${'detail '.repeat(200)}`), undefined, headers()),
    );
    expect(html?.message).toBe('Anthropic API error 502: an HTML page (title "502 Bad Gateway").');
    expect(long?.message.length).toBeLessThan(360);
    expect(long?.message).toMatch(/^Anthropic API error 500 api_error: Internal detail detail .*…$/);
  });

  it('returns a TokenwireError unchanged and names the configured provider', () => {
    const own = new TokenwireError({ code: 'invalid_response', message: 'spliced' });
    expect(normalizeAnthropicError(own)).toBe(own);
    const error = normalizeAnthropicError(
      APIError.generate(500, body('api_error', 'x'), undefined, headers()),
      'claude',
    );
    expect(error?.provider).toBe('claude');
  });
});

describe('anthropicStreamError', () => {
  it('describes an in-band error record by its type', () => {
    const error = anthropicStreamError({
      type: 'error',
      error: { type: 'rate_limit_error', message: 'Slow' },
    });
    expect({ code: error.code, retryable: error.retryable, message: error.message }).toEqual({
      code: 'rate_limit',
      retryable: true,
      message: 'The Anthropic stream reported an error (rate_limit_error): Slow',
    });
  });

  it('keeps a key the record echoes out of everything reachable from the error', () => {
    const key = 'ak-inband-echo-5b7d9f1e3a';
    registerSecret(key);
    const record = {
      type: 'error',
      error: { type: 'authentication_error', message: `Incorrect API key provided: ${key}` },
    };
    const error = anthropicStreamError(record);
    expect([error.code, error.message]).toEqual([
      'authentication',
      'The Anthropic stream reported an error (authentication_error): Incorrect API key provided: [redacted]',
    ]);
    expect(findSecrets(error, [key])).toEqual([]);
  });
});
