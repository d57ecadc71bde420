import { registerSecretHeaders } from '@tokenwire/core/internal';

/** The `fetch` signature `@google/genai` takes in `HttpOptions.fetch`. */
export type Fetch = (input: RequestInfo | URL, init?: RequestInit) => Promise<Response>;

/** What the `fetch` given to `@google/genai` for one request needs. */
export interface GenAIFetchOptions {
  /** The client's own `httpOptions.fetch`, which a per-call `fetch` would otherwise replace. */
  fetch: Fetch | undefined;
  /**
   * The body of a 200, its headers and how the request is named in errors (`POST
   * http://host/v1/models/m:streamGenerateContent`): returns what the SDK reads instead — core's
   * guarded body (`transport: 'sdk'`), or `''` when core takes the body (`'direct'`: the SDK's
   * lazy chunk generator is then never iterated). Non-2xx answers go to the SDK untouched, which
   * throws its own `ApiError`.
   */
  onBody(
    body: ReadableStream<Uint8Array>,
    headers: Headers,
    request: string,
  ): ReadableStream<Uint8Array> | string;
}

// What undici's `setGlobalDispatcher` stores the process's dispatcher under.
const GLOBAL_DISPATCHER = Symbol.for('undici.globalDispatcher.1');

interface Dispatcher {
  dispatch(options: object, handler: unknown): boolean;
}

/**
 * The dispatcher `@google/genai` gives Node's fetch when no `fetch` is configured: the global one
 * without undici's 300 s header and body timeouts (a thinking model may send nothing for longer;
 * tokenwire's own timeouts bound the wait). Passing a `fetch` turns it off, so the adapter's puts it back.
 * @see node_modules/@google/genai/dist/node/index.mjs `createUndiciNoTimeoutDispatcher`
 */
const noTimeoutDispatcher: Dispatcher = {
  dispatch(options, handler) {
    const global = (globalThis as { [GLOBAL_DISPATCHER]?: Dispatcher })[GLOBAL_DISPATCHER];
    if (typeof global?.dispatch !== 'function')
      throw new Error('undici’s global dispatcher is not available.');
    return global.dispatch({ ...options, headersTimeout: 0, bodyTimeout: 0 }, handler);
  },
};

/** The credential headers of a request, registered as secrets (Vertex's OAuth token included). */
function registerRequestCredentials(headers: HeadersInit | undefined): void {
  if (headers !== undefined) registerSecretHeaders(new Headers(headers));
}

/** `POST http://host/path`, without the query and without credentials, for messages. */
function describeRequest(input: RequestInfo | URL, init: RequestInit | undefined): string {
  const href = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
  try {
    const url = new URL(href);
    return `${init?.method ?? 'POST'} ${url.origin}${url.pathname}`;
  } catch {
    return 'the request';
  }
}

/**
 * The `fetch` the adapter gives `@google/genai` per call (`config.httpOptions.fetch`, which the
 * SDK honours per request). It registers the request's credential headers as secrets (whatever
 * the client sends: its key, headers of a client passed in, Vertex's OAuth token), calls the
 * client's own `fetch` (or Node's, without undici's timeouts, as the SDK would), and hands the
 * body of a 200 to `onBody`, giving the SDK what that returns.
 */
export function createGenAIFetch(options: GenAIFetchOptions): Fetch {
  return async (input, init) => {
    registerRequestCredentials(init?.headers);
    const response =
      options.fetch === undefined
        ? await fetch(input, { ...init, dispatcher: noTimeoutDispatcher } as RequestInit)
        : await options.fetch(input, init);
    if (!response.ok || response.body === null) return response;
    const body = options.onBody(response.body, response.headers, describeRequest(input, init));
    return new Response(body, {
      status: response.status,
      statusText: response.statusText,
      headers: response.headers,
    });
  };
}
