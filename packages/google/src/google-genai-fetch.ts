import { registerSecretHeaders } from '@tokenwire/core/internal';
import { guardEventStream } from './google-event-stream-guard.js';

/** The `fetch` signature `@google/genai` takes in `HttpOptions.fetch`. */
export type Fetch = (input: RequestInfo | URL, init?: RequestInit) => Promise<Response>;

/** What the `fetch` given to `@google/genai` for one request needs. */
export interface GenAIFetchOptions {
  /** Named in errors. */
  provider: string;
  /** `maxBytes.record`, from the runtime; unset: records are not measured. */
  maxRecordBytes: number | undefined;
  /** The client's own `httpOptions.fetch`, which a per-call `fetch` would otherwise replace. */
  fetch: Fetch | undefined;
  /**
   * `transport: 'direct'`: a 200 with a body is handed here unread (the adapter reads it, see
   * google-direct.ts) and the SDK gets an empty body of the same status and headers, which it
   * never reads (its lazy generator is not iterated). Non-2xx answers still go to the SDK, which
   * throws its own `ApiError`.
   */
  capture?: ((response: Response, request: string) => void) | undefined;
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
export const noTimeoutDispatcher: Dispatcher = {
  dispatch(options, handler) {
    const global = (globalThis as { [GLOBAL_DISPATCHER]?: Dispatcher })[GLOBAL_DISPATCHER];
    if (typeof global?.dispatch !== 'function')
      throw new Error('undici’s global dispatcher is not available.');
    return global.dispatch({ ...options, headersTimeout: 0, bodyTimeout: 0 }, handler);
  },
};

/** The credential headers of a request, registered as secrets (Vertex's OAuth token included). */
export function registerRequestCredentials(headers: HeadersInit | undefined): void {
  if (headers !== undefined) registerSecretHeaders(new Headers(headers));
}

/** `POST http://host/path`, without the query and without credentials, for messages. */
export function describeRequest(input: RequestInfo | URL, init: RequestInit | undefined): string {
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
 * client's own `fetch` (or Node's, without undici's timeouts, as the SDK would), and hands the SDK a
 * 200 body behind `guardEventStream`: one wrapper per response and one step per network read.
 */
export function createGenAIFetch(options: GenAIFetchOptions): Fetch {
  return async (input, init) => {
    registerRequestCredentials(init?.headers);
    const response =
      options.fetch === undefined
        ? await fetch(input, { ...init, dispatcher: noTimeoutDispatcher } as RequestInit)
        : await options.fetch(input, init);
    if (!response.ok || response.body === null) return response;
    if (options.capture !== undefined) {
      options.capture(response, describeRequest(input, init));
      return new Response('', {
        status: response.status,
        statusText: response.statusText,
        headers: response.headers,
      });
    }
    const body = guardEventStream(response.body, {
      provider: options.provider,
      maxRecordBytes: options.maxRecordBytes,
      request: describeRequest(input, init),
      contentType: response.headers.get('content-type'),
    });
    return new Response(body, {
      status: response.status,
      statusText: response.statusText,
      headers: response.headers,
    });
  };
}
