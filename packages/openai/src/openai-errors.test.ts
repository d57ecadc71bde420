import { TokenwireError } from '@tokenwire/core';
import { toTokenwireError } from '@tokenwire/core/adapter';
import { findSecrets } from '@tokenwire/testing';
import {
  APIConnectionError,
  APIConnectionTimeoutError,
  APIError,
  APIUserAbortError,
  AuthenticationError,
  BadRequestError,
  ConflictError,
  InternalServerError,
  NotFoundError,
  PermissionDeniedError,
  RateLimitError,
  UnprocessableEntityError,
} from 'openai';
import { describe, expect, it } from 'vitest';
import { mayRejectStreamOptions, normalizeOpenAIError } from './openai-errors.js';

function headers(values: Record<string, string> = {}): Headers {
  return new Headers({ 'x-request-id': 'req_123', ...values });
}

function body(message: string, type: string | null, code: string | null) {
  return { message, type, code, param: null };
}

/** The fields a test compares, without the message and cause. */
function fields(error: TokenwireError | undefined) {
  if (error === undefined) return undefined;
  const { code, provider, status, retryable, retryAfterMs, requestId } = error;
  return { code, provider, status, retryable, retryAfterMs, requestId };
}

describe('normalizeOpenAIError', () => {
  it('maps a 429 rate limit with retry-after-ms, keeping status and request id', () => {
    const error = new RateLimitError(
      429,
      body('Rate limit reached', 'requests', 'rate_limit_exceeded'),
      undefined,
      headers({ 'retry-after-ms': '1500' }),
    );
    expect(fields(normalizeOpenAIError(error))).toEqual({
      code: 'rate_limit',
      provider: 'openai',
      status: 429,
      retryable: true,
      retryAfterMs: 1500,
      requestId: 'req_123',
    });
  });

  it('reads retry-after in seconds', () => {
    const error = new InternalServerError(
      503,
      body('Busy', 'server_error', null),
      undefined,
      headers({ 'retry-after': '2' }),
    );
    expect(fields(normalizeOpenAIError(error))).toMatchObject({
      code: 'overloaded',
      retryable: true,
      retryAfterMs: 2000,
    });
  });

  it('maps insufficient_quota to quota_exceeded, not retryable, even when the server says retry', () => {
    const error = new RateLimitError(
      429,
      body('You exceeded your current quota', 'insufficient_quota', 'insufficient_quota'),
      undefined,
      headers({ 'x-should-retry': 'true' }),
    );
    expect(fields(normalizeOpenAIError(error))).toMatchObject({ code: 'quota_exceeded', retryable: false });
  });

  it('maps context_length_exceeded on a 400 to context_length', () => {
    const error = new BadRequestError(
      400,
      body(
        "This model's maximum context length is 128000 tokens",
        'invalid_request_error',
        'context_length_exceeded',
      ),
      undefined,
      headers(),
    );
    expect(fields(normalizeOpenAIError(error))).toMatchObject({ code: 'context_length', retryable: false });
  });

  it.each([
    [AuthenticationError, 401, 'authentication'],
    [PermissionDeniedError, 403, 'permission'],
    [NotFoundError, 404, 'not_found'],
    [ConflictError, 409, 'invalid_request'],
    [UnprocessableEntityError, 422, 'invalid_request'],
    [InternalServerError, 500, 'server'],
  ] as const)('maps %o (HTTP %i) to %s', (ErrorClass, status, code) => {
    const error = new ErrorClass(status as never, body('failed', null, null), undefined, headers());
    expect(normalizeOpenAIError(error)?.code).toBe(code);
  });

  it('honours x-should-retry: false on a server error', () => {
    const error = new InternalServerError(
      500,
      body('failed', 'server_error', null),
      undefined,
      headers({ 'x-should-retry': 'false' }),
    );
    expect(normalizeOpenAIError(error)?.retryable).toBe(false);
  });

  it('names the key variable in an authentication error, and never the key', () => {
    const error = new AuthenticationError(
      401,
      body(
        'Incorrect API key provided: sk-proj-abcdefghijklmnop1234',
        'invalid_request_error',
        'invalid_api_key',
      ),
      undefined,
      headers(),
    );
    const normalized = normalizeOpenAIError(error, { provider: 'deepseek', apiKeyEnv: 'DEEPSEEK_API_KEY' });
    expect(normalized?.provider).toBe('deepseek');
    expect(normalized?.message).toContain('DEEPSEEK_API_KEY');
    expect(normalized?.message).not.toContain('sk-proj-abcdefghijklmnop1234');
  });

  it('ends the provider’s message with a full stop before saying what to check', () => {
    const error = new AuthenticationError(
      401,
      body('Incorrect API key provided', 'invalid_request_error', 'invalid_api_key'),
      undefined,
      headers(),
    );
    expect(normalizeOpenAIError(error, { provider: 'openai', apiKeyEnv: 'OPENAI_API_KEY' })?.message).toBe(
      'The openai API answered 401 Incorrect API key provided. Check the API key (OPENAI_API_KEY or the apiKey setting).',
    );
  });

  it('maps a status-less mid-stream APIError by its type, with the request id of the 200 response', () => {
    const error = new APIError(
      undefined,
      body('The server had an error', 'server_error', null),
      undefined,
      headers(),
    );
    expect(fields(normalizeOpenAIError(error))).toEqual({
      code: 'server',
      provider: 'openai',
      status: undefined,
      retryable: true,
      retryAfterMs: undefined,
      requestId: 'req_123',
    });
  });

  it('maps a mid-stream insufficient_quota error (Responses error event) to quota_exceeded', () => {
    const error = new APIError(
      undefined,
      body('You exceeded your current quota', 'insufficient_quota', 'insufficient_quota'),
      undefined,
      headers(),
    );
    expect(fields(normalizeOpenAIError(error))).toMatchObject({ code: 'quota_exceeded', retryable: false });
  });

  it('maps connection failures, timeouts and aborts of the SDK', () => {
    expect(
      fields(normalizeOpenAIError(new APIConnectionError({ message: 'Connection error.' }))),
    ).toMatchObject({
      code: 'connection',
      retryable: true,
    });
    expect(normalizeOpenAIError(new APIConnectionTimeoutError())?.code).toBe('timeout');
    expect(normalizeOpenAIError(new APIUserAbortError())?.code).toBe('connection');
  });

  it("maps undici's raw TypeError('terminated') and TypeError('fetch failed') to connection", () => {
    const socketError = Object.assign(new Error('other side closed'), { code: 'UND_ERR_SOCKET' });
    expect(normalizeOpenAIError(new TypeError('terminated', { cause: socketError }))?.code).toBe(
      'connection',
    );
    expect(normalizeOpenAIError(new TypeError('fetch failed'))?.code).toBe('connection');
  });

  it("leaves the SDK's raw SyntaxError for a malformed event to core: invalid_response, retryable only before output", () => {
    const error = new SyntaxError('Error reading response: malformed server-sent event JSON.');
    expect(normalizeOpenAIError(error)).toBeUndefined();
    expect(fields(toTokenwireError(error, 'openai', true))).toMatchObject({
      code: 'invalid_response',
      retryable: true,
    });
    expect(toTokenwireError(error, 'openai', false).retryable).toBe(false);
  });

  it('names an HTML error page by its title instead of copying it into the message', () => {
    const page =
      '<html><head><title>502 Bad Gateway</title></head><body><pre>authorization: Bearer proxy-echo-1</pre></body></html>';
    // The SDK puts a body that is not JSON into its message: "502 <html>…".
    const error = new InternalServerError(502, undefined, page, headers());
    const normalized = normalizeOpenAIError(error);
    expect(normalized?.message).toBe('The openai API answered 502 an HTML page (title "502 Bad Gateway")');
  });

  it('quotes at most 300 characters of an error body', () => {
    const error = new BadRequestError(400, body('x'.repeat(5_000), null, null), undefined, headers());
    const message = normalizeOpenAIError(error)?.message ?? '';
    expect(message).toBe(`The openai API answered 400 ${'x'.repeat(300)}…`);
    const streamError = new APIError(
      undefined,
      body('y'.repeat(5_000), 'server_error', null),
      undefined,
      headers(),
    );
    expect(normalizeOpenAIError(streamError)?.message.length).toBeLessThan(400);
  });

  it('keeps a sanitized copy of the SDK error as cause: status, type and request id, not the key', () => {
    const key = 'sk-proj-abcdefghijklmnop1234';
    const error = new AuthenticationError(
      401,
      body(`Incorrect API key provided: ${key}`, 'invalid_request_error', 'invalid_api_key'),
      undefined,
      headers({ 'www-authenticate': `Bearer realm="OpenAI", token="${key}"` }),
    );
    const normalized = normalizeOpenAIError(error);
    expect(normalized?.cause).not.toBe(error);
    expect(normalized?.cause).toMatchObject({
      name: 'AuthenticationError', // the SDK leaves name 'Error'; the copy takes the class name
      status: 401,
      code: 'invalid_api_key',
      requestID: 'req_123',
    });
    expect(findSecrets(normalized, [key])).toEqual([]);
  });

  it('returns a TokenwireError unchanged and leaves unknown errors to the runtime', () => {
    const tokenwireError = new TokenwireError({ code: 'server', message: 'x' });
    expect(normalizeOpenAIError(tokenwireError)).toBe(tokenwireError);
    expect(normalizeOpenAIError(new Error('something else'))).toBeUndefined();
  });
});

describe('mayRejectStreamOptions', () => {
  it('recognises a 400 or 422 that names stream_options, or says nothing', () => {
    const named = new BadRequestError(
      400,
      body('Unrecognized request argument supplied: stream_options', 'invalid_request_error', null),
      undefined,
      headers(),
    );
    const silent = new UnprocessableEntityError(422, undefined, undefined, headers());
    expect([mayRejectStreamOptions(named), mayRejectStreamOptions(silent)]).toEqual([true, true]);
  });

  it('ignores other client errors and other statuses', () => {
    const other = new BadRequestError(
      400,
      body('messages must not be empty', 'invalid_request_error', null),
      undefined,
      headers(),
    );
    const server = new InternalServerError(
      500,
      body('stream_options broke us', 'server_error', null),
      undefined,
      headers(),
    );
    expect([
      mayRejectStreamOptions(other),
      mayRejectStreamOptions(server),
      mayRejectStreamOptions(new Error('x')),
    ]).toEqual([false, false, false]);
  });
});
