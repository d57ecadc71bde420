import type { ChatRequest } from '@tokenwire/core';
import type { GenAIClientLike, GenerativeAIClientLike, GoogleClient, GoogleSdk } from './google-clients.js';
import { createGenAIFetch, type Fetch } from './google-genai-fetch.js';
import type { GoogleChunk, GoogleRequest } from './google-types.js';

/** What opening a stream needs besides the client. */
export interface OpenStreamOptions {
  body: GoogleRequest;
  request: ChatRequest;
  signal: AbortSignal;
  /** Legacy SDK only: where to send (a genai client holds them). */
  baseURL: string | undefined;
  apiVersion: string | undefined;
  /** The adapter's headers; the request's own headers are added to them. */
  headers: Record<string, string> | undefined;
  /** The provider, named in errors. */
  provider: string;
  /** `maxBytes.record`, from the runtime. */
  maxRecordBytes: number | undefined;
}

/** What `transport: 'direct'` gets from the SDK: the 200 response, unread, and the request's name. */
export interface RawGoogleResponse {
  response: Response;
  request: string;
}

/**
 * Sends the request with the given SDK and returns its chunk iterable. Both SDKs yield the same
 * `GenerateContentResponse` shape, so one translator reads either.
 */
export function openGoogleStream(
  sdk: GoogleSdk,
  client: GoogleClient,
  options: OpenStreamOptions,
): Promise<AsyncIterable<GoogleChunk>> {
  return sdk === 'genai'
    ? openGenAIStream(client as GenAIClientLike, options)
    : openGenerativeAIStream(client as GenerativeAIClientLike, options);
}

function openGenAIStream(
  client: GenAIClientLike,
  options: OpenStreamOptions,
  capture?: (response: Response, request: string) => void,
): Promise<AsyncIterable<GoogleChunk>> {
  const { contents, generationConfig, ...fields } = options.body;
  const headers = mergedHeaders(options);
  // A per-call `fetch` (honoured by genai's `patchHttpOptions`) lets the adapter see the body
  // before the SDK parses it: records over maxBytes.record are cut there, a body that is not an
  // event stream is named. It replaces the client's own `fetch`, which it therefore calls.
  const fetch = createGenAIFetch({
    provider: options.provider,
    maxRecordBytes: options.maxRecordBytes,
    fetch: (client as { httpOptions?: { fetch?: Fetch } }).httpOptions?.fetch,
    capture,
  });
  const config: Record<string, unknown> = {
    ...fields,
    ...generationConfig,
    abortSignal: options.signal,
    // With continuation on, genai silently re-requests mid-stream when a chunk carried a
    // continuationToken and the connection dropped: the runtime must see that failure instead.
    automaticContinuation: false,
    // Plain function declarations never trigger genai's automatic function calling; say so anyway.
    automaticFunctionCalling: { disable: true },
    httpOptions: headers === undefined ? { fetch } : { headers, fetch },
  };
  return client.models.generateContentStream({ model: options.request.model, contents, config } as never);
}

/**
 * `transport: 'direct'` over `@google/genai`: the request goes through the SDK (its request
 * building, auth, base URL, Vertex, its `ApiError` for a non-2xx answer), and the adapter's
 * per-call `fetch` takes the 200 response before the SDK reads it. The SDK's chunk generator is
 * never iterated, so it never touches the body.
 */
export async function openGenAIResponse(
  client: GenAIClientLike,
  options: OpenStreamOptions,
): Promise<RawGoogleResponse | AsyncIterable<GoogleChunk>> {
  let raw: RawGoogleResponse | undefined;
  const chunks = await openGenAIStream(client, options, (response, request) => {
    raw = { response, request };
  });
  // A genai without per-call `httpOptions.fetch` (2.0) read the response itself: its chunks are
  // then the sdk transport's.
  if (raw === undefined) return chunks;
  return raw;
}

async function openGenerativeAIStream(
  client: GenerativeAIClientLike,
  options: OpenStreamOptions,
): Promise<AsyncIterable<GoogleChunk>> {
  const requestOptions: Record<string, unknown> = {};
  if (options.baseURL !== undefined) requestOptions.baseUrl = options.baseURL;
  if (options.apiVersion !== undefined) requestOptions.apiVersion = options.apiVersion;
  const headers = mergedHeaders(options);
  if (headers !== undefined) requestOptions.customHeaders = headers;
  const model = client.getGenerativeModel({ model: options.request.model } as never, requestOptions as never);
  const result = await model.generateContentStream(
    options.body as never,
    { signal: options.signal } as never,
  );
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

/** The adapter's headers with the request's on top; per request, so they also reach a client passed in. */
export function mergedHeaders(options: OpenStreamOptions): Record<string, string> | undefined {
  if (options.headers === undefined) return options.request.headers;
  return options.request.headers === undefined
    ? options.headers
    : { ...options.headers, ...options.request.headers };
}
