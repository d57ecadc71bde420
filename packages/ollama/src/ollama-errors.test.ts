import { createServer } from 'node:net';
import { TokenwireError } from '@tokenwire/core';
import { describe, expect, it } from 'vitest';
import { normalizeOllamaError } from './ollama-errors.js';

const host = 'http://127.0.0.1:11434';

/** The shape ollama-js throws for an HTTP error status (its class is not exported). */
class ResponseError extends Error {
  constructor(
    readonly error: string,
    readonly status_code: number,
  ) {
    super(error);
    this.name = 'ResponseError';
  }
}

/** A port nothing listens on: bound once, then released. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('normalizeOllamaError', () => {
  it('maps a missing model to not_found with the ollama pull hint', () => {
    const error = normalizeOllamaError(new ResponseError("model 'llama3.3' not found", 404), { host });
    expect(error).toMatchObject({ code: 'not_found', status: 404, provider: 'ollama', retryable: false });
    expect(error?.message).toBe(
      `Ollama at ${host} has no model 'llama3.3'. Pull it first: ollama pull llama3.3`,
    );
  });

  it('recognises the older "try pulling it first" wording of a missing model', () => {
    const error = normalizeOllamaError(
      new ResponseError('model "qwen3:8b" not found, try pulling it first', 404),
      {
        host,
      },
    );
    expect(error?.message).toContain('ollama pull qwen3:8b');
  });

  it('maps other HTTP statuses by their code and keeps the server message', () => {
    const codes = [400, 429, 500, 503].map((status) => {
      const error = normalizeOllamaError(new ResponseError(`failure ${status}`, status), { host });
      return [error?.code, error?.retryable, error?.message];
    });
    expect(codes).toEqual([
      ['invalid_request', false, `Ollama at ${host} answered HTTP 400: failure 400`],
      ['rate_limit', true, `Ollama at ${host} answered HTTP 429: failure 429`],
      ['server', true, `Ollama at ${host} answered HTTP 500: failure 500`],
      ['overloaded', true, `Ollama at ${host} answered HTTP 503: failure 503`],
    ]);
  });

  it('says how to authenticate on 401', () => {
    const error = normalizeOllamaError(new ResponseError('unauthorized', 401), {
      host: 'https://ollama.com',
    });
    expect(error?.code).toBe('authentication');
    expect(error?.message).toContain('OLLAMA_API_KEY');
  });

  it('asks whether Ollama is running when the connection is refused', async () => {
    const port = await closedPort();
    const thrown = await fetch(`http://127.0.0.1:${port}/api/chat`, { method: 'POST' }).catch(
      (error) => error,
    );
    const error = normalizeOllamaError(thrown, { host: `http://127.0.0.1:${port}` });
    expect(error?.code).toBe('connection');
    expect(error?.retryable).toBe(true);
    expect(error?.message).toContain(`Is Ollama running at http://127.0.0.1:${port}?`);
    // The cause is a sanitized copy of what fetch threw (core's ErrorCopy), not the object itself.
    expect(error?.cause).toMatchObject({ name: 'TypeError', message: 'fetch failed' });
    expect(error?.cause).toMatchObject({ cause: { code: 'ECONNREFUSED' } });
  });

  it('maps a connection that broke mid-response to connection', () => {
    const socketError = Object.assign(new Error('other side closed'), { code: 'UND_ERR_SOCKET' });
    const error = normalizeOllamaError(new TypeError('terminated', { cause: socketError }), { host });
    expect(error?.code).toBe('connection');
    expect(error?.message).toBe(`The connection to Ollama at ${host} failed: terminated (other side closed)`);
  });

  it('maps the client error for a stream without its done line to a retryable, truncated invalid_response', () => {
    const thrown = new Error('Did not receive done or success response in stream.');
    expect(normalizeOllamaError(thrown, { host })).toMatchObject({
      code: 'invalid_response',
      retryable: true,
    });
    expect(normalizeOllamaError(thrown, { host })?.message).toContain('truncated');
  });

  it('maps a plain Error (an in-band error line) to server, and leaves other error classes alone', () => {
    const thrown = new Error('an error was encountered while running the model: unexpected EOF');
    expect(normalizeOllamaError(thrown, { host })).toMatchObject({
      code: 'server',
      retryable: true,
      message: `Ollama at ${host} reported an error: an error was encountered while running the model: unexpected EOF`,
    });
    expect(normalizeOllamaError(new RangeError('bug'), { host })).toBeUndefined();
    expect(normalizeOllamaError('not an error', { host })).toBeUndefined();
  });

  it('quotes an error body only as an excerpt: an HTML page by its title, long text cut', () => {
    const page =
      '<!DOCTYPE html><html><head><title>403 Forbidden</title></head><body>cookie: a=b</body></html>';
    const html = normalizeOllamaError(new ResponseError(page, 403), { host })?.message;
    expect(html).toContain(`Ollama at ${host} answered HTTP 403: an HTML page (title "403 Forbidden").`);
    expect(html).not.toContain('cookie');
    const long = normalizeOllamaError(new ResponseError('x'.repeat(5_000), 500), { host });
    expect(long?.message).toBe(`Ollama at ${host} answered HTTP 500: ${'x'.repeat(300)}…`);
    const inBand = normalizeOllamaError(new Error(`runner failed: ${'y'.repeat(5_000)}`), { host });
    expect(inBand?.message.length).toBeLessThan(400);
  });

  it('puts the retry-after the adapter read from the response on the error', () => {
    const error = normalizeOllamaError(new ResponseError('slow down', 429), { host, retryAfterMs: 7_000 });
    expect(error).toMatchObject({ code: 'rate_limit', retryAfterMs: 7_000 });
  });

  it('leaves a SyntaxError to the runtime, which makes it invalid_response retryable only before output', () => {
    expect(normalizeOllamaError(new SyntaxError('line 2 is not a JSON object'), { host })).toBeUndefined();
  });

  it('returns a TokenwireError as is and names the configured provider', () => {
    const own = new TokenwireError({ code: 'invalid_request', message: 'x' });
    expect(normalizeOllamaError(own, { host })).toBe(own);
    expect(normalizeOllamaError(new ResponseError('x', 500), { host, provider: 'local' })?.provider).toBe(
      'local',
    );
  });
});
