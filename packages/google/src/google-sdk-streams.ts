import type { ChatRequest } from '@tokenwire/core';
import type { GenAIClientLike, GenerativeAIClientLike, GoogleClient, GoogleSdk } from './google-clients.js';
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
): Promise<AsyncIterable<GoogleChunk>> {
  const { contents, generationConfig, ...fields } = options.body;
  const config: Record<string, unknown> = {
    ...fields,
    ...generationConfig,
    abortSignal: options.signal,
    // With continuation on, genai silently re-requests mid-stream when a chunk carried a
    // continuationToken and the connection dropped: the runtime must see that failure instead.
    automaticContinuation: false,
    // Plain function declarations never trigger genai's automatic function calling; say so anyway.
    automaticFunctionCalling: { disable: true },
  };
  const headers = mergedHeaders(options);
  if (headers !== undefined) config.httpOptions = { headers };
  return client.models.generateContentStream({ model: options.request.model, contents, config } as never);
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
  return result.stream;
}

/** The adapter's headers with the request's on top; per request, so they also reach a client passed in. */
function mergedHeaders(options: OpenStreamOptions): Record<string, string> | undefined {
  if (options.headers === undefined) return options.request.headers;
  return options.request.headers === undefined
    ? options.headers
    : { ...options.headers, ...options.request.headers };
}
