import { TokenwireError } from '@tokenwire/core';
import { retryAfterMsFromHeaders } from '@tokenwire/core/adapter';
import { guardBody, NdjsonLineCount } from './ollama-body.js';
import { splitHostCredentials } from './ollama-host.js';

/** Options of `createOllamaStreamFetch`. */
export interface OllamaStreamFetchOptions {
  /** The fetch to wrap. Default `globalThis.fetch`. */
  fetch?: typeof globalThis.fetch;
  /** Also aborts the request, even before the response headers arrive (the client cannot). */
  signal?: AbortSignal;
  /** Counts lines of successful responses; see `NdjsonLineCount`. */
  lines: NdjsonLineCount;
  /** The longest line of a successful response to hand to the client (`maxBytes.record`). Default: no limit. */
  maxLineBytes?: number;
  /** Called with the headers of an error response, which ollama-js's `ResponseError` leaves out. */
  onErrorResponse?: (headers: Headers) => void;
  /** The host, named in errors. */
  host: string;
  /** Provider name used in errors. Default 'ollama'. */
  provider?: string;
  /**
   * The direct transport: receives the untouched body of a successful response, and the client
   * gets the same response with an empty body instead (which it never reads: the adapter does not
   * iterate the client's stream). Unset, the client reads the guarded body (`guardBody`).
   */
  takeBody?: (body: ReadableStream<Uint8Array>) => void;
}

/**
 * A `fetch` for one stream's `new Ollama({ fetch })` (or a client passed in, seen through
 * `streamClientOf`): it aborts the request with `signal`, guards the body of a successful response
 * (`guardBody`: whole lines, each shaped like JSON and within `maxLineBytes`), reports the headers
 * of an error response (its `retry-after`), and sends the credentials of a request URL with
 * `user:password@` as Basic auth. Error responses pass untouched otherwise, so the client still
 * builds its `ResponseError`. One wrapper per network read, none per chunk.
 */
export function createOllamaStreamFetch(options: OllamaStreamFetchOptions): typeof globalThis.fetch {
  const baseFetch = options.fetch ?? globalThis.fetch;
  const { signal: extraSignal, lines, maxLineBytes, host, onErrorResponse, takeBody } = options;
  const provider = options.provider ?? 'ollama';
  return async (input, init) => {
    let signal = init?.signal ?? undefined;
    if (extraSignal !== undefined) signal = signal ? AbortSignal.any([signal, extraSignal]) : extraSignal;
    const [url, headers] = withoutUrlCredentials(input, init?.headers, provider);
    const request = { ...init, headers, ...(signal === undefined ? {} : { signal }) };
    const response = await baseFetch(url, request);
    if (!response.ok) onErrorResponse?.(response.headers);
    if (!response.ok || response.body === null) return response;
    if (takeBody !== undefined) takeBody(response.body);
    const body =
      takeBody === undefined ? guardBody(response.body, { lines, maxLineBytes, provider, host }) : '';
    return new Response(body, {
      status: response.status,
      statusText: response.statusText,
      headers: response.headers,
    });
  };
}

/**
 * One stream's fetch and what it learns: the line count of the body (see `NdjsonLineCount`) and the
 * `retry-after` of an error response, for the error ollama-js then throws without headers.
 */
export class StreamExchange {
  readonly lines = new NdjsonLineCount();
  /** The `retry-after` of the error response, in milliseconds, once one arrived with it. */
  retryAfterMs: number | undefined;
  /** With `direct`: the body of the successful response, once it arrived (the client gets an empty one). */
  body: ReadableStream<Uint8Array> | undefined;
  private readonly options: Omit<
    OllamaStreamFetchOptions,
    'fetch' | 'lines' | 'onErrorResponse' | 'takeBody'
  >;
  private readonly direct: boolean;

  constructor(
    options: Omit<OllamaStreamFetchOptions, 'fetch' | 'lines' | 'onErrorResponse' | 'takeBody'>,
    direct = false,
  ) {
    this.options = options;
    this.direct = direct;
  }

  /** This stream's fetch around `fetch` (default `globalThis.fetch`). */
  readonly fetchAround = (fetch: typeof globalThis.fetch | undefined): typeof globalThis.fetch =>
    createOllamaStreamFetch({
      ...this.options,
      fetch,
      lines: this.lines,
      onErrorResponse: (headers) => {
        this.retryAfterMs = retryAfterMsFromHeaders(headers);
      },
      ...(this.direct
        ? {
            takeBody: (body: ReadableStream<Uint8Array>) => {
              this.body = body;
            },
          }
        : {}),
    });
}

/**
 * The URL without `user:password@` and the headers with them as `Authorization: Basic`. A client
 * passed in keeps them in its host (ollama-js does), and fetch refuses such a URL with a message
 * quoting it. Refused, without quoting them, when the request has an Authorization header already.
 */
function withoutUrlCredentials(
  input: Parameters<typeof globalThis.fetch>[0],
  headers: HeadersInit | undefined,
  provider: string,
): [Parameters<typeof globalThis.fetch>[0], HeadersInit | undefined] {
  if (typeof input !== 'string' || !input.includes('@')) return [input, headers];
  const { host: url, authorization } = splitHostCredentials(input);
  if (authorization === undefined) return [input, headers];
  const merged = new Headers(headers);
  if (merged.has('authorization')) {
    throw new TokenwireError({
      code: 'configuration',
      provider,
      retryable: false,
      message:
        `Invalid configuration: provider '${provider}': the host of the client carries credentials (user:password@) ` +
        'and its headers set Authorization too: set one of them. Nothing was sent.',
    });
  }
  merged.set('authorization', authorization);
  return [url, merged];
}
