import { describe, expect, it } from 'vitest';
import { responseError } from './response-error.js';

describe('responseError', () => {
  it('maps the status, retry-after and request id, and quotes the body', async () => {
    const response = new Response('{"error":"slow down"}', {
      status: 429,
      headers: { 'retry-after': '2', 'x-request-id': 'req_9' },
    });
    const error = await responseError(response, 'acme');
    expect(error.toJSON()).toMatchObject({
      code: 'rate_limit',
      status: 429,
      provider: 'acme',
      retryable: true,
      retryAfterMs: 2_000,
      requestId: 'req_9',
      message: 'acme answered HTTP 429: {"error":"slow down"}',
    });
  });

  it('names an HTML error page by its title, and is not retryable for a 401', async () => {
    const page = '<!doctype html><html><head><title>401 Authorization Required</title></head></html>';
    const error = await responseError(new Response(page, { status: 401 }), 'acme');
    expect({ code: error.code, retryable: error.retryable, message: error.message }).toEqual({
      code: 'authentication',
      retryable: false,
      message: 'acme answered HTTP 401: an HTML page (title "401 Authorization Required")',
    });
  });
});
