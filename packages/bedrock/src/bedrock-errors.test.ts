import {
  ModelStreamErrorException,
  ThrottlingException,
  ValidationException,
} from '@aws-sdk/client-bedrock-runtime';
import { describe, expect, it } from 'vitest';
import { normalizeBedrockError } from './bedrock-errors.js';

// The SDK's own exception classes, as it throws them for an HTTP error or an in-band exception.
const metadata = (httpStatusCode?: number) => ({
  httpStatusCode,
  requestId: 'req-7',
  attempts: 1,
  totalRetryDelay: 0,
});

describe('normalizeBedrockError', () => {
  it('maps a ThrottlingException to a retryable rate_limit with its retry-after and request id', () => {
    const error = new ThrottlingException({ message: 'Too many requests', $metadata: metadata(429) });
    Object.defineProperty(error, '$response', {
      value: { statusCode: 429, headers: { 'retry-after': '2' } },
    });
    expect(normalizeBedrockError(error)).toMatchObject({
      code: 'rate_limit',
      retryable: true,
      status: 429,
      retryAfterMs: 2000,
      requestId: 'req-7',
      message: 'Bedrock answered HTTP 429 with ThrottlingException: Too many requests.',
    });
  });

  it('maps a ValidationException about the input length to context_length', () => {
    const error = new ValidationException({
      message: 'Input is too long for requested model.',
      $metadata: metadata(400),
    });
    expect(normalizeBedrockError(error)).toMatchObject({ code: 'context_length', retryable: false });
  });

  it('keeps a model stream error retryable, and a 429 from the model behind it a rate limit', () => {
    const streamError = new ModelStreamErrorException({
      message: 'boom',
      $metadata: metadata(),
      originalStatusCode: 500,
    });
    expect(normalizeBedrockError(streamError)).toMatchObject({ code: 'server', retryable: true });
    const throttled = new ModelStreamErrorException({
      message: 'slow down',
      $metadata: metadata(),
      originalStatusCode: 429,
    });
    expect(normalizeBedrockError(throttled)).toMatchObject({ code: 'rate_limit', retryable: true });
  });

  it.each([
    ['UnrecognizedClientException', 403, 'authentication'],
    ['AccessDeniedException', 403, 'permission'],
    ['ResourceNotFoundException', 404, 'not_found'],
    ['ServiceQuotaExceededException', 400, 'quota_exceeded'],
    ['ModelTimeoutException', 408, 'timeout'],
    ['ModelNotReadyException', 429, 'overloaded'],
    ['SomeFutureException', 502, 'server'],
  ])('maps %s (HTTP %s) to %s', (name, status, code) => {
    const error = Object.assign(new Error('nope'), { name, $fault: 'client', $metadata: metadata(status) });
    expect(normalizeBedrockError(error)?.code).toBe(code);
  });

  it('maps a raw network failure to connection and leaves an abort to the runtime', () => {
    expect(
      normalizeBedrockError(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }))?.code,
    ).toBe('connection');
    expect(
      normalizeBedrockError(Object.assign(new Error('Request aborted'), { name: 'AbortError' })),
    ).toBeUndefined();
    expect(normalizeBedrockError(new Error('something else'))).toBeUndefined();
  });
});
