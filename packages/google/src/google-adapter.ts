import type { ChatRequest } from '@tokenwire/core';
import {
  type AdapterContext,
  type ChunkStream,
  defineAdapter,
  type ProviderSettings,
  type SettingKind,
  type VendorAdapter,
} from '@tokenwire/core/adapter';
import { EMPTY_CHUNK_STREAM } from '@tokenwire/core/internal';
import { createGoogleClientLoader } from './google-client-loader.js';
import type { GenAIClientLike, GenerativeAIClientLike, GoogleClient, GoogleSdk } from './google-clients.js';
import { type ApiErrorClass, openGoogleDirectStream } from './google-direct.js';
import { normalizeGoogleError } from './google-errors.js';
import { type LegacyErrorClasses, openGenerativeAIResponse } from './google-legacy-direct.js';
import { toGoogleRequest } from './google-messages.js';
import { checkGoogleRequest } from './google-request-check.js';
import {
  mergedHeaders,
  openGenAIResponse,
  openGoogleStream,
  type RawGoogleResponse,
} from './google-sdk-streams.js';
import { createGoogleStreamState, finishGoogleStream, translateGoogleChunk } from './google-stream.js';
import type { GoogleChunk } from './google-types.js';

/** Settings of the Google adapter; every field is optional. */
export interface GoogleAdapterSettings<Client extends GoogleClient = GoogleClient> {
  /**
   * A client you built: a `GoogleGenAI` (`@google/genai`) or a `GoogleGenerativeAI`
   * (`@google/generative-ai`). Used as is; `apiKey`, `baseURL`, `apiVersion` (for genai) and the
   * Vertex settings are then not needed. A client of neither SDK, or of another SDK than `sdk`,
   * is a `configuration` error on the first request.
   */
  client?: Client;
  /**
   * Gemini API key. Default: the `GEMINI_API_KEY`, then the `GOOGLE_API_KEY` environment variable;
   * without one (and without `client` or Vertex) the first request ends with a `configuration`
   * error naming both. Not needed on Vertex with Application Default Credentials.
   */
  apiKey?: string;
  /** Base URL of the API, without the version (default: the SDK's, `https://generativelanguage.googleapis.com`). */
  baseURL?: string;
  /** API version path segment. Default: the SDK's (`v1` for @google/genai 3, `v1beta` for the legacy SDK). */
  apiVersion?: string;
  /**
   * `'genai'` for `@google/genai`, `'generative-ai'` for the deprecated `@google/generative-ai`.
   * Default: the SDK of `client`; else `@google/genai` when installed, else the legacy SDK.
   */
  sdk?: GoogleSdk;
  /** Headers sent with every request; `ChatRequest.headers` are added on top. Default: none. */
  headers?: Record<string, string>;
  /**
   * Call Vertex AI (`@google/genai` only). Default: true for provider `vertex`. Project and location
   * default to `GOOGLE_CLOUD_PROJECT` / `GOOGLE_CLOUD_LOCATION` (read by the SDK); no API key is
   * needed with Application Default Credentials.
   */
  vertexai?: boolean;
  /** Vertex AI project. Default: the SDK's, `GOOGLE_CLOUD_PROJECT`. */
  project?: string;
  /** Vertex AI location. Default: the SDK's, `GOOGLE_CLOUD_LOCATION`. */
  location?: string;
  /** The provider served, named in errors. Default `'google'` (`createTokenwire` passes `gemini` or `vertex`). */
  provider?: string;
  /** How the SDK package is imported. Default: dynamic `import()`. For bundlers and tests. */
  importModule?: (specifier: string) => Promise<unknown>;
  /**
   * Who reads the 200 response body. `'direct'` (default): the request goes through the SDK
   * (auth, base URL, headers, Vertex, its errors for non-2xx answers) but the adapter reads the
   * body itself, one async step per network read. The legacy SDK takes no `fetch`: with
   * `sdk: 'generative-ai'` the adapter sends the SDK's request to the documented REST endpoint
   * itself. `'sdk'`: the SDK parses the body and the adapter translates its chunks (the escape hatch).
   */
  transport?: 'direct' | 'sdk';
}

/** What `open()` streams: the SDK's chunks (`transport: 'sdk'`) or the body's network reads (`'direct'`). */
export type GoogleStreamChunk = GoogleChunk | Uint8Array;

/**
 * The Google adapter. `client` is the client passed in, or the one built on the first request
 * (undefined before it: the SDK is imported asynchronously); reading it throws the
 * `configuration` error that keeps a client from being built (no API key, a mismatched client).
 */
export interface GoogleAdapter<Client extends GoogleClient = GoogleClient>
  extends VendorAdapter<Client | undefined, GoogleStreamChunk> {
  /** The client, built (and its SDK imported) now if needed; rejects with a `configuration` error. */
  getClient(): Promise<Client>;
}

// Every setting, with its kind: defineAdapter refuses unknown keys ("did you mean baseURL?") and
// values of the wrong kind before anything is sent.
const SETTING_KINDS = {
  client: 'object',
  apiKey: 'string',
  baseURL: 'url',
  apiVersion: 'string',
  sdk: ['genai', 'generative-ai'],
  headers: 'headers',
  vertexai: 'boolean',
  project: 'string',
  location: 'string',
  provider: 'string',
  importModule: 'function',
  transport: ['direct', 'sdk'],
} as const satisfies Record<keyof GoogleAdapterSettings, SettingKind>;

/**
 * Creates the Gemini adapter over `@google/genai` or the deprecated `@google/generative-ai`
 * (both optional peers, imported on the first request). The key defaults to `GEMINI_API_KEY`,
 * then `GOOGLE_API_KEY`. Never throws: a missing key, an unknown or mistyped setting, a missing
 * SDK or a mismatched client is the `configuration` error event of the first request. The SDK's
 * own retries stay off and genai's automatic continuation is disabled: tokenwire's runtime
 * retries. Cancelling aborts the request, which closes the connection (neither SDK does when
 * iteration stops).
 *
 * @example
 * const tokenwire = createTokenwire({ providers: { google: createGoogleAdapter({ apiKey }) } });
 */
export function createGoogleAdapter<Client extends GoogleClient = GoogleClient>(
  settings: GoogleAdapterSettings<Client> = {},
): GoogleAdapter<Client> {
  const provider = settings.provider ?? 'google';
  const loader = createGoogleClientLoader(settings, provider);
  const modules = new Map<string, Promise<Record<string, unknown> | undefined>>();
  /** An SDK module, for the error classes the direct transport throws as the SDK would. */
  const loadModule = (specifier: string) => {
    let module = modules.get(specifier);
    if (module === undefined) {
      module = (settings.importModule ?? ((name: string) => import(name)))(specifier).then(
        (loaded) => loaded as Record<string, unknown>,
        () => undefined,
      );
      modules.set(specifier, module);
    }
    return module;
  };

  async function open(
    request: ChatRequest,
    context: AdapterContext,
  ): Promise<ChunkStream<GoogleStreamChunk>> {
    const body = toGoogleRequest(request, provider);
    const { sdk, client } = await loader.load();
    // Our own controller, linked to the runtime's signal: neither Google SDK closes the connection
    // when iteration stops early, so `release()` aborts the request.
    const controller = new AbortController();
    const release = () => {
      context.signal.removeEventListener('abort', release);
      controller.abort();
    };
    context.signal.addEventListener('abort', release, { once: true });
    if (context.signal.aborted) release();
    const state = createGoogleStreamState(provider);
    const options = {
      body,
      request,
      signal: controller.signal,
      baseURL: settings.baseURL,
      apiVersion: settings.apiVersion,
      headers: settings.headers,
      provider,
      maxRecordBytes: context.maxRecordBytes,
    };
    let chunks: AsyncIterable<GoogleChunk> | undefined;
    try {
      if (settings.transport !== 'sdk') {
        let raw: RawGoogleResponse | AsyncIterable<GoogleChunk>;
        let ApiError: ApiErrorClass | undefined | null = null;
        if (sdk === 'genai') {
          const [opened, module] = await Promise.all([
            openGenAIResponse(client as GenAIClientLike, options),
            loadModule('@google/genai'),
          ]);
          raw = opened;
          ApiError = module?.ApiError as ApiErrorClass | undefined;
        } else {
          const errors = (await loadModule('@google/generative-ai')) as unknown as
            | LegacyErrorClasses
            | undefined;
          raw = await openGenerativeAIResponse(
            client as GenerativeAIClientLike,
            options,
            errors,
            mergedHeaders(options),
          );
        }
        if ('response' in raw) return directStream(raw, ApiError);
        chunks = raw; // a genai that reads the response itself (2.0): its chunks, as with 'sdk'
      }
      chunks ??= await openGoogleStream(sdk, client, options);
    } catch (error) {
      release();
      // Cancelled while the request was being sent: nothing to read, nothing to report.
      if (context.signal.aborted) return EMPTY_CHUNK_STREAM;
      throw error;
    }
    return sdkStream(chunks);

    function directStream(
      raw: RawGoogleResponse,
      ApiError: ApiErrorClass | undefined | null,
    ): ChunkStream<GoogleStreamChunk> {
      const stream = openGoogleDirectStream(raw.response, {
        provider,
        maxRecordBytes: context.maxRecordBytes,
        request: raw.request,
        ApiError,
        translateChunk: (chunk, out) => {
          translateGoogleChunk(chunk, state, out);
          return state.finished;
        },
      });
      return {
        chunks: stream.chunks,
        translate: stream.translate,
        end: (out) => {
          try {
            if (!controller.signal.aborted) {
              stream.end?.(out);
              finishGoogleStream(state, out);
            }
          } finally {
            release();
          }
        },
        close: () => {
          stream.close?.();
          release();
        },
      };
    }

    function sdkStream(chunks: AsyncIterable<GoogleChunk>): ChunkStream<GoogleStreamChunk> {
      return {
        chunks,
        // True at the terminal record (a finishReason): the runtime finishes and closes the
        // connection then, even when the server holds it open (both SDKs would wait for its end).
        translate: (chunk, out) => {
          translateGoogleChunk(chunk as GoogleChunk, state, out);
          return state.finished;
        },
        end: (out) => {
          if (!controller.signal.aborted) finishGoogleStream(state, out);
          release();
        },
        close: release,
      };
    }
  }

  return defineAdapter(
    {
      name: 'google',
      provider,
      settings,
      settingKinds: SETTING_KINDS,
      client: () => loader.current(),
      checkRequest: (request) => checkGoogleRequest(request, provider),
      open,
      normalizeError: (error, context) => normalizeGoogleError(error, provider, context?.beforeOutput),
    },
    { getClient: async () => (await loader.load()).client as Client },
  );
}

/**
 * The uniform entry point `createTokenwire` calls for the providers `google`, `gemini` and
 * `vertex` (and any provider configured with `adapter: 'google'`): the same factory, with the
 * configured settings and the provider name; the settings are checked the same way.
 */
export function createAdapter(settings: ProviderSettings & { provider: string }): GoogleAdapter {
  return createGoogleAdapter(settings as GoogleAdapterSettings);
}
