import type { GenerativeAIClientLike } from './google-clients.js';
import { registerRequestCredentials } from './google-genai-fetch.js';
import type { OpenStreamOptions, RawGoogleResponse } from './google-sdk-streams.js';

/** The legacy SDK's defaults and client header (`@google/generative-ai` 0.24.1, `RequestUrl`, `getClientHeaders`). */
const DEFAULT_BASE_URL = 'https://generativelanguage.googleapis.com';
const DEFAULT_API_VERSION = 'v1beta';
const CLIENT_HEADER = 'genai-js/0.24.1';

/** The error classes `@google/generative-ai` throws, taken from the module so that `normalizeGoogleError` sees its own. */
export interface LegacyErrorClasses {
  GoogleGenerativeAIError: new (message: string) => Error;
  GoogleGenerativeAIAbortError: new (message: string) => Error;
  GoogleGenerativeAIRequestInputError: new (message: string) => Error;
  GoogleGenerativeAIFetchError: new (
    message: string,
    status?: number,
    statusText?: string,
    errorDetails?: unknown[],
  ) => Error;
}

/** Stand-ins of the SDK's classes when its module cannot be imported again (a client passed in): same names and fields. */
function named(name: string) {
  return class extends Error {
    constructor(
      message: string,
      readonly status?: number,
      readonly statusText?: string,
      readonly errorDetails?: unknown[],
    ) {
      super(`[GoogleGenerativeAI Error]: ${message}`);
      Object.defineProperty(this.constructor, 'name', { value: name });
    }
  };
}
const STAND_INS: LegacyErrorClasses = {
  GoogleGenerativeAIError: named('GoogleGenerativeAIError'),
  GoogleGenerativeAIAbortError: named('GoogleGenerativeAIAbortError'),
  GoogleGenerativeAIRequestInputError: named('GoogleGenerativeAIRequestInputError'),
  GoogleGenerativeAIFetchError: named('GoogleGenerativeAIFetchError'),
};

/** The part of a legacy `GenerativeModel` this reads: the key and the normalized model path. */
interface ModelHandle {
  apiKey?: unknown;
  model?: unknown;
  generationConfig?: unknown;
  safetySettings?: unknown;
  tools?: unknown;
  toolConfig?: unknown;
  systemInstruction?: unknown;
  cachedContent?: { name?: unknown };
}

/**
 * `transport: 'direct'` over the legacy `@google/generative-ai`, which takes no `fetch` and hides
 * its response: the documented REST endpoint, sent as the SDK sends it (`makeModelRequest`). The
 * SDK's own `GenerativeModel` gives the key and the model path (`models/…`); the URL, headers
 * (`x-goog-api-key`, `x-goog-api-client`, the reserved-header check) and the body
 * (`JSON.stringify` of the request, which the adapter builds in the SDK's shape) are the SDK's,
 * and so are its errors: `GoogleGenerativeAIFetchError` with status, status text and details for
 * a non-2xx answer, `GoogleGenerativeAIError` / `GoogleGenerativeAIAbortError` for a failed fetch.
 */
export async function openGenerativeAIResponse(
  client: GenerativeAIClientLike,
  options: OpenStreamOptions,
  sdkErrors: LegacyErrorClasses | undefined,
  headers: Record<string, string> | undefined,
): Promise<RawGoogleResponse> {
  const errors = sdkErrors?.GoogleGenerativeAIFetchError === undefined ? STAND_INS : sdkErrors;
  const handle = client.getGenerativeModel({ model: options.request.model } as never) as ModelHandle;
  const model = typeof handle.model === 'string' ? handle.model : `models/${options.request.model}`;
  const baseURL = options.baseURL || DEFAULT_BASE_URL;
  const url = `${baseURL}/${options.apiVersion || DEFAULT_API_VERSION}/${model}:streamGenerateContent?alt=sse`;
  const sent = new Headers();
  sent.append('Content-Type', 'application/json');
  sent.append('x-goog-api-client', CLIENT_HEADER);
  sent.append('x-goog-api-key', typeof handle.apiKey === 'string' ? handle.apiKey : '');
  for (const [name, value] of new Headers(headers ?? {}).entries()) {
    if (name === 'x-goog-api-key') {
      throw new errors.GoogleGenerativeAIRequestInputError(`Cannot set reserved header name ${name}`);
    }
    if (name === 'x-goog-api-client') {
      throw new errors.GoogleGenerativeAIRequestInputError(
        `Header name ${name} can only be set using the apiClient field`,
      );
    }
    sent.append(name, value);
  }
  registerRequestCredentials(sent);
  let response: Response;
  try {
    response = await fetch(url, {
      method: 'POST',
      headers: sent,
      body: JSON.stringify(sdkBody(handle, options.body)),
      signal: options.signal,
    });
  } catch (error) {
    const { name, message, stack } = error as Error;
    const wrapped =
      name === 'AbortError'
        ? new errors.GoogleGenerativeAIAbortError(`Request aborted when fetching ${url}: ${message}`)
        : new errors.GoogleGenerativeAIError(`Error fetching from ${url}: ${message}`);
    wrapped.stack = stack;
    throw wrapped;
  }
  if (!response.ok) throw await fetchError(response, url, errors);
  const { origin, pathname } = new URL(url);
  return { response, request: `POST ${origin}${pathname}` };
}

/**
 * The body as `GenerativeModel.generateContentStream` sends it: the model handle's settings (its
 * defaults `generationConfig: {}`, `safetySettings: []`) under the request, whose
 * `systemInstruction` without a role gets `system` (`formatGenerateContentInput`).
 */
function sdkBody(handle: ModelHandle, body: OpenStreamOptions['body']): unknown {
  const sent: Record<string, unknown> = {
    generationConfig: handle.generationConfig,
    safetySettings: handle.safetySettings,
    tools: handle.tools,
    toolConfig: handle.toolConfig,
    systemInstruction: handle.systemInstruction,
    cachedContent: handle.cachedContent?.name,
  };
  Object.assign(sent, body);
  const instruction = body.systemInstruction as { role?: string; parts?: unknown } | undefined;
  if (instruction?.parts !== undefined && !instruction.role) {
    sent.systemInstruction = { role: 'system', parts: instruction.parts };
  }
  return sent;
}

/** The SDK's `handleResponseNotOk`: the error body's message and details, with status and status text. */
async function fetchError(response: Response, url: string, errors: LegacyErrorClasses): Promise<Error> {
  let message = '';
  let details: unknown[] | undefined;
  try {
    const json = (await response.json()) as { error: { message: string; details?: unknown[] } };
    message = json.error.message;
    if (json.error.details) {
      message += ` ${JSON.stringify(json.error.details)}`;
      details = json.error.details;
    }
  } catch {
    // the SDK ignores a body that is not a JSON error
  }
  return new errors.GoogleGenerativeAIFetchError(
    `Error fetching from ${url}: [${response.status} ${response.statusText}] ${message}`,
    response.status,
    response.statusText,
    details,
  );
}
