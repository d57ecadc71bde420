import { ApiError } from '@google/genai';
import {
  GoogleGenerativeAIAbortError,
  GoogleGenerativeAIError,
  GoogleGenerativeAIFetchError,
} from '@google/generative-ai';
import type { TokenwireError } from '@tokenwire/core';
import { describe, expect, it } from 'vitest';
import { normalizeGoogleError, retryAfterMsFromDetails } from './google-errors.js';

const RETRY_INFO = { '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay: '7s' };
const summary = (error: TokenwireError | undefined) =>
  error && {
    code: error.code,
    status: error.status,
    retryable: error.retryable,
    retryAfterMs: error.retryAfterMs,
  };

describe('normalizeGoogleError', () => {
  it('maps a legacy 429 fetch error to rate_limit with the RetryInfo delay', () => {
    const error = new GoogleGenerativeAIFetchError(
      'Error fetching from http://127.0.0.1/v1beta/models/m:streamGenerateContent?alt=sse: [429 Too Many Requests] Quota exceeded',
      429,
      'Too Many Requests',
      [RETRY_INFO],
    );
    const normalized = normalizeGoogleError(error);
    expect(summary(normalized)).toEqual({
      code: 'rate_limit',
      status: 429,
      retryable: true,
      retryAfterMs: 7000,
    });
    // The cause is a sanitized copy (core's ErrorCopy), not the SDK's object.
    expect(normalized?.cause).not.toBe(error);
    expect(normalized?.cause).toMatchObject({
      status: 429,
      statusText: 'Too Many Requests',
      body: [RETRY_INFO],
    });
  });

  it('maps a legacy 400 "API key not valid" to authentication', () => {
    const error = new GoogleGenerativeAIFetchError(
      'Error fetching from http://x: [400 Bad Request] API key not valid. Please pass a valid API key.',
      400,
      'Bad Request',
      [{ '@type': 'type.googleapis.com/google.rpc.ErrorInfo', reason: 'API_KEY_INVALID' }],
    );
    expect(summary(normalizeGoogleError(error))).toEqual({
      code: 'authentication',
      status: 400,
      retryable: false,
      retryAfterMs: undefined,
    });
  });

  it.each([
    ['Error fetching from http://x: fetch failed', 'connection', true],
    ['Error reading from the stream', 'connection', true],
    ['Failed to parse stream', 'invalid_response', false],
    ['Error parsing JSON response: "{"', 'invalid_response', false],
    ['Error parsing JSON response', 'invalid_response', false],
    ['Something new', 'unknown', false],
  ])('maps the legacy GoogleGenerativeAIError "%s" to %s', (message, code, retryable) => {
    const normalized = normalizeGoogleError(new GoogleGenerativeAIError(message), 'gemini');
    expect([normalized?.code, normalized?.retryable, normalized?.provider]).toEqual([
      code,
      retryable,
      'gemini',
    ]);
  });

  it('says honestly that the legacy SDK does not show what arrived instead of an event stream', () => {
    expect(normalizeGoogleError(new GoogleGenerativeAIError('Failed to parse stream'))?.message).toBe(
      'The google response was not an event stream @google/generative-ai could read ("Failed to parse stream"; the SDK does not show what arrived): an HTML page or other text instead of the API (is the base URL right?), SSE comment or event lines a proxy added, or a record cut off at the end. The @google/genai SDK (sdk: \'genai\') reads SSE comments and names what arrived.',
    );
  });

  it('makes a legacy malformed record retryable only before output, and quotes it through bodyExcerpt', () => {
    const record = `{"text": "${'x'.repeat(1000)}`;
    const error = new GoogleGenerativeAIError(`Error parsing JSON response: "${record}"`);
    const before = normalizeGoogleError(error, 'google', true);
    const after = normalizeGoogleError(error, 'google');
    expect([before?.code, before?.retryable, after?.code, after?.retryable]).toEqual([
      'invalid_response',
      true,
      'invalid_response',
      false,
    ]);
    expect(after?.message).toBe(
      `The google stream carried a record that is not valid JSON: ${record.slice(0, 300)}…`,
    );
  });

  it('quotes an HTML error page by its title only', () => {
    const page =
      '<!DOCTYPE html><html><head><title>502 Bad Gateway</title></head><body>x-goog-api-key: k</body></html>';
    const body = { error: { message: page, code: 502, status: 'Bad Gateway' } };
    const error = normalizeGoogleError(new ApiError({ message: JSON.stringify(body), status: 502 }));
    expect(error?.message).toBe('google API error 502 Bad Gateway: an HTML page (title "502 Bad Gateway")');
  });

  it('maps an abort the adapter did not cause to a connection error', () => {
    expect(normalizeGoogleError(new GoogleGenerativeAIAbortError('Request aborted'))?.code).toBe(
      'connection',
    );
  });

  it('maps a genai ApiError by its status and the JSON body in its message', () => {
    const body = { error: { code: 503, message: 'The model is overloaded.', status: 'UNAVAILABLE' } };
    const overloaded = normalizeGoogleError(new ApiError({ message: JSON.stringify(body), status: 503 }));
    expect([overloaded?.code, overloaded?.status, overloaded?.message]).toEqual([
      'overloaded',
      503,
      'google API error 503 UNAVAILABLE: The model is overloaded.',
    ]);
    const limited = new ApiError({
      message: `got status: RESOURCE_EXHAUSTED. ${JSON.stringify({
        error: { code: 429, message: 'Quota', status: 'RESOURCE_EXHAUSTED', details: [RETRY_INFO] },
      })}`,
      status: 429,
    });
    expect(summary(normalizeGoogleError(limited))).toEqual({
      code: 'rate_limit',
      status: 429,
      retryable: true,
      retryAfterMs: 7000,
    });
    const invalidKey = { error: { code: 400, message: 'API key not valid.', status: 'INVALID_ARGUMENT' } };
    expect(
      normalizeGoogleError(new ApiError({ message: JSON.stringify(invalidKey), status: 400 }))?.code,
    ).toBe('authentication');
  });

  it('maps raw undici network errors to connection', () => {
    const terminated = new TypeError('terminated', {
      cause: Object.assign(new Error('other side closed'), { code: 'UND_ERR_SOCKET' }),
    });
    expect(summary(normalizeGoogleError(terminated))).toEqual({
      code: 'connection',
      status: undefined,
      retryable: true,
      retryAfterMs: undefined,
    });
  });

  it('leaves a raw SyntaxError (genai met a record that is not JSON) to core, which knows about output', () => {
    expect(normalizeGoogleError(new SyntaxError('Unterminated string in JSON at position 12'))).toBe(
      undefined,
    );
  });

  it('maps a genai stream that ends inside a record to invalid_response', () => {
    expect(normalizeGoogleError(new Error('Incomplete JSON segment at the end'))?.code).toBe(
      'invalid_response',
    );
  });

  it('leaves other errors to the runtime', () => {
    expect([normalizeGoogleError(new RangeError('x')), normalizeGoogleError('text')]).toEqual([
      undefined,
      undefined,
    ]);
  });

  it('never repeats the API key a message may carry', () => {
    const key = 'AIzaSyA1234567890abcdefghijklmnopqrstu';
    const error = new GoogleGenerativeAIFetchError(
      `Error fetching from http://x?key=${key}: [403 Forbidden] no`,
      403,
      'Forbidden',
    );
    expect(normalizeGoogleError(error)?.message.includes(key)).toBe(false);
  });
});

describe('retryAfterMsFromDetails', () => {
  it('reads "7s", "0.5s" and { seconds, nanos } delays, and nothing else', () => {
    const info = (retryDelay: unknown) => [
      { '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay },
    ];
    expect([
      retryAfterMsFromDetails(info('7s')),
      retryAfterMsFromDetails(info('0.5s')),
      retryAfterMsFromDetails(info({ seconds: 2, nanos: 500_000_000 })),
      retryAfterMsFromDetails([{ '@type': 'type.googleapis.com/google.rpc.ErrorInfo' }]),
      retryAfterMsFromDetails(undefined),
    ]).toEqual([7000, 500, 2500, undefined, undefined]);
  });
});
