import { TokenwireError } from '@tokenwire/core';
import { retryAfterMsFromHeaders, type SendContext } from '@tokenwire/core/adapter';
import { splitHostCredentials } from './ollama-host.js';

/** Options of `createOllamaStreamFetch`. */
export interface OllamaStreamFetchOptions {
  /** The fetch to wrap. Default `globalThis.fetch`. */
  fetch?: typeof globalThis.fetch;
  /** Also aborts the request, even before the response headers arrive (the client cannot). */
  signal?: AbortSignal;
  /** Called with the headers of an error response, which ollama-js's `ResponseError` leaves out. */
  onErrorResponse?: (headers: Headers) => void;
  /** Provider name used in errors. Default 'ollama'. */
  provider?: string;
  /**
   * The body of a successful response, its headers and how the request is named in errors
   * (`POST http://host:11434/api/chat`): returns what the client reads instead (core's guarded
   * body, or `''` when the adapter takes the body for the direct transport).
   */
  onBody(
    body: ReadableStream<Uint8Array>,
    headers: Headers,
    request: string,
  ): ReadableStream<Uint8Array> | string;
}

/**
 * A `fetch` for one stream's `new Ollama({ fetch })` (or a client passed in, seen through
 * `streamClientOf`): it aborts the request with `signal`, hands the body of a successful response
 * to `onBody` and gives the client what that returns, reports the headers of an error response
 * (its `retry-after`), and sends the credentials of a request URL with `user:password@` as Basic
 * auth. Error responses pass untouched otherwise, so the client still builds its `ResponseError`.
 */
export function createOllamaStreamFetch(options: OllamaStreamFetchOptions): typeof globalThis.fetch {
  const baseFetch = options.fetch ?? globalThis.fetch;
  const { signal: extraSignal, onErrorResponse, onBody } = options;
  const provider = options.provider ?? 'ollama';
  return async (input, init) => {
    let signal = init?.signal ?? undefined;
    if (extraSignal !== undefined) signal = signal ? AbortSignal.any([signal, extraSignal]) : extraSignal;
    const [url, headers] = withoutUrlCredentials(input, init?.headers, provider);
    const request = { ...init, headers, ...(signal === undefined ? {} : { signal }) };
    const response = await baseFetch(url, request);
    if (!response.ok) onErrorResponse?.(response.headers);
    if (!response.ok || response.body === null) return response;
    const named = `${init?.method ?? 'GET'} ${urlOf(url)}`;
    return new Response(onBody(response.body, response.headers, named), {
      status: response.status,
      statusText: response.statusText,
      headers: response.headers,
    });
  };
}

/** The 200 body the direct transport reads, taken from the client, with how its request is named. */
export interface TakenBody {
  body: ReadableStream<Uint8Array>;
  headers: Headers;
  request: string;
}

/**
 * One stream's fetch and what it learns: the `retry-after` of an error response, for the error
 * ollama-js then throws without headers, and, on the direct transport, the body of the 200 (the
 * client gets an empty one, which it never reads: the adapter does not iterate its stream). On
 * the `sdk` transport the client reads core's guarded body (`context.guard`): whole lines, each
 * shaped like a JSON object and within `maxBytes.record`, counted against the chunks it yields.
 */
export class StreamExchange {
  /** The `retry-after` of the error response, in milliseconds, once one arrived with it. */
  retryAfterMs: number | undefined;
  /** Direct transport: the body of the successful response, once it arrived. */
  taken: TakenBody | undefined;

  constructor(
    private readonly context: Pick<SendContext<unknown>, 'signal' | 'transport' | 'guard'>,
    private readonly provider: string,
  ) {}

  /** This stream's fetch around `fetch` (default `globalThis.fetch`). */
  readonly fetchAround = (fetch: typeof globalThis.fetch | undefined): typeof globalThis.fetch =>
    createOllamaStreamFetch({
      fetch,
      signal: this.context.signal,
      provider: this.provider,
      onErrorResponse: (headers) => {
        this.retryAfterMs = retryAfterMsFromHeaders(headers);
      },
      onBody: (body, headers, request) => {
        if (this.context.transport === 'sdk') return this.context.guard(body, headers, request);
        this.taken = { body, headers, request };
        return '';
      },
    });
}

/** A request URL as text, for naming the request in errors (it carries no credentials by then). */
function urlOf(url: Parameters<typeof globalThis.fetch>[0]): string {
  if (typeof url === 'string') return url;
  return url instanceof URL ? url.href : url.url;
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
