import { bodyExcerpt } from '../model/body-excerpt.js';
import { errorCodeFromStatus, retryAfterMsFromHeaders, TokenwireError } from '../model/errors.js';

/**
 * The TokenwireError of an HTTP error answer, for adapters that call `fetch` themselves: the code
 * from the status (429 `rate_limit`, 401 `authentication`, 5xx `server`, …, retryable as the code
 * is), `retry-after`, the request id, and a message quoting the body (cut to 300 characters; an
 * HTML page by its title). Reads the body.
 *
 * @example
 * if (!response.ok) throw await responseError(response, 'acme');
 */
export async function responseError(response: Response, provider: string): Promise<TokenwireError> {
  const { status, headers } = response;
  let body = '';
  try {
    body = await response.text();
  } catch {
    // the body could not be read: the status says enough
  }
  const requestId = headers.get('x-request-id') ?? headers.get('request-id') ?? undefined;
  return new TokenwireError({
    code: errorCodeFromStatus(status),
    status,
    provider,
    retryAfterMs: retryAfterMsFromHeaders(headers),
    ...(requestId === undefined ? {} : { requestId }),
    message: `${provider} answered HTTP ${status}${body === '' ? '' : `: ${bodyExcerpt(body)}`}`,
  });
}
