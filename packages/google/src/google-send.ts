import type { ChatRequest, SendContext, Sent } from '@tokenwire/core/adapter';
import type { GoogleClientLoader } from './google-client-loader.js';
import type {
  GenAIClientLike,
  GenerativeAIClientLike,
  GoogleClient,
  ModuleImporter,
} from './google-clients.js';
import { createGenAIFetch, type Fetch } from './google-genai-fetch.js';
import { toGoogleRequest } from './google-messages.js';
import type { ApiErrorClass } from './google-records.js';
import type { GoogleStreamState } from './google-stream.js';
import type { GoogleChunk, GoogleRequest } from './google-types.js';

/** What one adapter sends through. */
export interface GoogleSendTarget {
  /** Named in errors. */
  provider: string;
  /** The client passed in, or the one built on the first request, with its SDK. */
  loader: GoogleClientLoader<GoogleClient>;
  /** Legacy SDK only: where to send (a genai client holds them). */
  baseURL: string | undefined;
  apiVersion: string | undefined;
  /** The adapter's headers; each request's own are added on top (so they reach a client passed in too). */
  headers: Record<string, string> | undefined;
  /** How `@google/genai` is imported, for its `ApiError` (`googleRecord` throws it for an in-band error). */
  importModule: ModuleImporter;
  /** genai's `ApiError`, once imported (undefined before, or when it cannot be). */
  ApiError: ApiErrorClass | undefined;
  /** The import of genai's `ApiError`, tried once. */
  apiErrorImport?: Promise<void>;
}

/**
 * Sends one streamed generation through the request's SDK and hands over what it answered.
 * `@google/genai`: the request is the SDK's (its request building, key or Vertex credentials, base
 * URL, API version, headers, its `ApiError` for a non-2xx answer) and the adapter's per-call
 * `fetch` (`config.httpOptions.fetch`, which genai honours per call) takes the 200 before the SDK
 * reads it: with the direct transport the raw SSE body of `streamGenerateContent?alt=sse` is
 * handed to core (the SDK's lazy chunk generator is never iterated); with `'sdk'` the SDK reads
 * core's guarded body and its chunks are handed over. A genai without per-call `fetch` (2.0)
 * reads the body itself: its chunks, on either transport. The deprecated `@google/generative-ai`
 * takes no `fetch` and never exposes its response, so it always hands over its own chunks.
 */
export async function sendGoogle(
  target: GoogleSendTarget,
  _client: unknown,
  request: ChatRequest,
  context: SendContext<GoogleStreamState>,
): Promise<Sent<GoogleChunk>> {
  const body = toGoogleRequest(request, target.provider);
  const { sdk, client } = await target.loader.load();
  const headers = mergedHeaders(target.headers, request.headers);
  // Our own controller, linked to the runtime's signal: neither Google SDK closes the connection
  // when iteration stops early, so `release` aborts the request.
  const controller = new AbortController();
  const release = () => {
    context.signal.removeEventListener('abort', release);
    controller.abort();
  };
  context.signal.addEventListener('abort', release, { once: true });
  if (context.signal.aborted) release();
  const sending = { ...context, signal: controller.signal };
  try {
    if (sdk === 'generative-ai') {
      const legacy = client as GenerativeAIClientLike;
      return { chunks: await sendGenerativeAI(legacy, target, body, request, headers, sending), release };
    }
    const [sent] = await Promise.all([
      sendGenAI(client as GenAIClientLike, body, request, headers, sending),
      loadApiError(target),
    ]);
    return { ...sent, release };
  } catch (error) {
    release();
    throw error;
  }
}

async function sendGenAI(
  client: GenAIClientLike,
  body: GoogleRequest,
  request: ChatRequest,
  headers: Record<string, string> | undefined,
  context: SendContext<GoogleStreamState>,
): Promise<Sent<GoogleChunk>> {
  let taken: { body: ReadableStream<Uint8Array>; headers: Headers; request: string } | undefined;
  // It replaces the client's own `httpOptions.fetch`, which it therefore calls.
  const fetch = createGenAIFetch({
    fetch: (client as { httpOptions?: { fetch?: Fetch } }).httpOptions?.fetch,
    onBody: (body, headers, named) => {
      if (context.transport === 'sdk') return context.guard(body, headers, named);
      taken = { body, headers, request: named };
      return '';
    },
  });
  const { contents, generationConfig, ...fields } = body;
  const config: Record<string, unknown> = {
    ...fields,
    ...generationConfig,
    abortSignal: context.signal,
    // With continuation on, genai silently re-requests mid-stream when a chunk carried a
    // continuationToken and the connection dropped: the runtime must see that failure instead.
    automaticContinuation: false,
    // Plain function declarations never trigger genai's automatic function calling; say so anyway.
    automaticFunctionCalling: { disable: true },
    httpOptions: headers === undefined ? { fetch } : { headers, fetch },
  };
  const params = { model: request.model, contents, config };
  const chunks = await client.models.generateContentStream(params as never);
  return taken ?? { chunks };
}

async function sendGenerativeAI(
  client: GenerativeAIClientLike,
  target: GoogleSendTarget,
  body: GoogleRequest,
  request: ChatRequest,
  headers: Record<string, string> | undefined,
  context: SendContext<GoogleStreamState>,
): Promise<AsyncIterable<GoogleChunk>> {
  const requestOptions: Record<string, unknown> = {};
  if (target.baseURL !== undefined) requestOptions.baseUrl = target.baseURL;
  if (target.apiVersion !== undefined) requestOptions.apiVersion = target.apiVersion;
  if (headers !== undefined) requestOptions.customHeaders = headers;
  const model = client.getGenerativeModel({ model: request.model } as never, requestOptions as never);
  const result = await model.generateContentStream(body as never, { signal: context.signal } as never);
  // The legacy SDK tees the body into `stream` and `response`; when the stream fails or is
  // aborted, `response` rejects too, and unhandled that crashes Node (--unhandled-rejections=throw).
  result.response.catch(() => {});
  return askingForTheFirstChunk(result.stream);
}

/**
 * The legacy SDK's chunks, with the first one asked for at once. The SDK parses the body in the
 * background and errors its stream at a malformed record, dropping the records of that read that
 * nobody was waiting for; a read already waiting gets the first of them, so output that came with
 * the malformed record still counts as output (and is not retried as if nothing had arrived). The
 * runtime tells `normalizeGoogleError` whether output had arrived, so the SDK's wrapped
 * `SyntaxError` is retryable only before it.
 */
function askingForTheFirstChunk(stream: AsyncIterable<GoogleChunk>): AsyncIterable<GoogleChunk> {
  const chunks = stream[Symbol.asyncIterator]();
  let first: Promise<IteratorResult<GoogleChunk>> | undefined = chunks.next();
  first.catch(() => {}); // read by the runtime, or given up when the stream is closed unread
  const iterator: AsyncIterator<GoogleChunk> = {
    next() {
      const pending = first;
      first = undefined;
      return pending ?? chunks.next();
    },
    return: (value?: unknown) =>
      chunks.return?.(value) ?? Promise.resolve({ done: true as const, value: undefined }),
  };
  return { [Symbol.asyncIterator]: () => iterator };
}

/** genai's `ApiError`, imported once per adapter; a module that cannot be imported leaves it unset. */
function loadApiError(target: GoogleSendTarget): Promise<void> {
  target.apiErrorImport ??= target.importModule('@google/genai').then(
    (module) => {
      target.ApiError = (module as { ApiError?: ApiErrorClass }).ApiError;
    },
    () => {}, // googleRecord throws an Error of the same name and status instead
  );
  return target.apiErrorImport;
}

/** The adapter's headers with the request's on top; per request, so they also reach a client passed in. */
function mergedHeaders(
  adapter: Record<string, string> | undefined,
  request: Record<string, string> | undefined,
): Record<string, string> | undefined {
  if (adapter === undefined) return request;
  return request === undefined ? adapter : { ...adapter, ...request };
}
