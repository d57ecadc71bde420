import {
  type Adapter,
  type AdapterContext,
  type AdapterDelta,
  type ChatRequest,
  type ChunkStream,
  type ProviderSettings,
  registerSecret,
  TokenwireError,
} from '@tokenwire/core';
import {
  buildGoogleClient,
  type GoogleClient,
  type GoogleSdk,
  type ModuleImporter,
  sdkOfClient,
} from './google-clients.js';
import { normalizeGoogleError } from './google-errors.js';
import { toGoogleRequest } from './google-messages.js';
import { openGoogleStream } from './google-sdk-streams.js';
import { createGoogleStreamState, finishGoogleStream, translateGoogleChunk } from './google-stream.js';
import type { GoogleChunk } from './google-types.js';

/** Settings of the Google adapter; every field is optional. */
export interface GoogleAdapterSettings<Client extends GoogleClient = GoogleClient> {
  /**
   * A client you built: a `GoogleGenAI` (`@google/genai`) or a `GoogleGenerativeAI`
   * (`@google/generative-ai`). Used as is; `apiKey`, `baseURL` and `sdk` are then not needed.
   */
  client?: Client;
  /** Gemini API key. Default: the `GEMINI_API_KEY`, then the `GOOGLE_API_KEY` environment variable. */
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
  /** Headers sent with every request. */
  headers?: Record<string, string>;
  /**
   * Call Vertex AI (`@google/genai` only). Default: true for provider `vertex`. Project and location
   * default to `GOOGLE_CLOUD_PROJECT` / `GOOGLE_CLOUD_LOCATION`; no API key is needed with
   * Application Default Credentials.
   */
  vertexai?: boolean;
  project?: string;
  location?: string;
  /** The provider name used in errors. Default `'google'`. */
  provider?: string;
  /** How the SDK package is imported. Default: dynamic `import()`. For bundlers and tests. */
  importModule?: (specifier: string) => Promise<unknown>;
}

/** The Google adapter: an `Adapter` plus the SDK client it streams with. */
export interface GoogleAdapter<Client extends GoogleClient = GoogleClient> extends Adapter {
  readonly name: 'google';
  /** The client passed in, or the one built on the first request (undefined before it). */
  readonly client: Client | undefined;
  /** The client, built (and its SDK imported) now if needed. */
  getClient(): Promise<Client>;
}

const defaultImport: ModuleImporter = (specifier) => import(specifier);

type LoadedClient = { sdk: GoogleSdk; client: GoogleClient };
type OpenedRequest = { chunks: AsyncIterable<GoogleChunk>; signal: AbortSignal; release(): void };

/**
 * Creates the Gemini adapter over `@google/genai` or the deprecated `@google/generative-ai`
 * (both optional peers, imported on the first request). The key defaults to `GEMINI_API_KEY`,
 * then `GOOGLE_API_KEY`; without one (and without `client` or Vertex) it throws a
 * `configuration` TokenwireError. The SDK's own retries stay off and genai's automatic
 * continuation is disabled: tokenwire's runtime retries. Cancelling aborts the request, which
 * closes the connection (neither SDK does when iteration stops).
 *
 * @example
 * const tokenwire = createTokenwire({ providers: { google: createGoogleAdapter({ apiKey }) } });
 */
export function createGoogleAdapter<Client extends GoogleClient = GoogleClient>(
  settings: GoogleAdapterSettings<Client> = {},
): GoogleAdapter<Client> {
  const provider = settings.provider ?? 'google';
  const vertexai = settings.vertexai ?? provider === 'vertex';
  const environment = globalThis.process?.env ?? {};
  // On Vertex, genai picks its own credentials (ADC, or an express-mode key) unless a key is given.
  const apiKey = vertexai
    ? settings.apiKey || undefined
    : settings.apiKey || environment.GEMINI_API_KEY || environment.GOOGLE_API_KEY || undefined;
  registerSecret(apiKey);
  if (settings.sdk !== undefined && settings.sdk !== 'genai' && settings.sdk !== 'generative-ai') {
    throw configurationError(`Unknown sdk '${String(settings.sdk)}': use 'genai' or 'generative-ai'.`);
  }
  let built: Client | undefined = settings.client;
  let pending: Promise<LoadedClient> | undefined;
  if (settings.client !== undefined) {
    const sdk = sdkOfClient(settings.client);
    if (sdk === undefined || (settings.sdk !== undefined && settings.sdk !== sdk)) {
      throw configurationError(
        sdk === undefined
          ? 'The client is neither a GoogleGenAI (@google/genai) nor a GoogleGenerativeAI (@google/generative-ai).'
          : `The client is a ${sdk === 'genai' ? 'GoogleGenAI' : 'GoogleGenerativeAI'}, but sdk is '${settings.sdk}'.`,
      );
    }
    pending = Promise.resolve({ sdk, client: settings.client });
  } else if (apiKey === undefined && !vertexai) {
    throw configurationError(
      'No Gemini API key: pass apiKey to the google provider, or set the GEMINI_API_KEY (or GOOGLE_API_KEY) environment variable.',
    );
  }
  // The SDK is imported and the client built on first use. A failed import is not cached, so
  // installing the SDK fixes a long-lived process.
  const load = (): Promise<LoadedClient> => {
    pending ??= buildGoogleClient({
      sdk: settings.sdk,
      apiKey,
      baseURL: settings.baseURL,
      apiVersion: settings.apiVersion,
      headers: settings.headers,
      vertexai,
      project: settings.project,
      location: settings.location,
      importModule: settings.importModule ?? defaultImport,
    }).then(
      (result) => {
        built = result.client as Client;
        return result;
      },
      (error: unknown) => {
        pending = undefined;
        throw error;
      },
    );
    return pending;
  };

  /**
   * Sends the request with our own AbortController, linked to the runtime's signal: neither
   * Google SDK closes the connection when iteration stops early, so `release()` aborts it.
   */
  async function openRequest(request: ChatRequest, context: AdapterContext): Promise<OpenedRequest> {
    const body = toGoogleRequest(request);
    if (body.contents.length === 0) {
      throw new TokenwireError({
        code: 'invalid_request',
        provider,
        message: 'Gemini needs at least one user, assistant or tool message besides the system messages.',
      });
    }
    const { sdk, client } = await load();
    const controller = new AbortController();
    const abort = () => controller.abort();
    context.signal.addEventListener('abort', abort, { once: true });
    if (context.signal.aborted) controller.abort();
    const release = () => {
      context.signal.removeEventListener('abort', abort);
      controller.abort();
    };
    try {
      const chunks = await openGoogleStream(sdk, client, {
        body,
        request,
        signal: controller.signal,
        baseURL: settings.baseURL,
        apiVersion: settings.apiVersion,
        headers: settings.headers,
      });
      return { chunks, signal: controller.signal, release };
    } catch (error) {
      release();
      throw error;
    }
  }

  // The runtime's fast path: it runs the one loop over the SDK's chunks and calls the translator.
  async function open(request: ChatRequest, context: AdapterContext): Promise<ChunkStream<GoogleChunk>> {
    const { chunks, release } = await openRequest(request, context);
    const state = createGoogleStreamState(provider);
    return {
      chunks,
      translate: (chunk, out) => {
        translateGoogleChunk(chunk, state, out);
      },
      end: (out) => {
        finishGoogleStream(state, out);
        release();
      },
      close: release,
    };
  }

  // For callers without the runtime: the same deltas as an async iterable.
  async function* stream(
    request: ChatRequest,
    context: AdapterContext,
  ): AsyncGenerator<AdapterDelta, void, undefined> {
    let opened: OpenedRequest;
    try {
      opened = await openRequest(request, context);
    } catch (error) {
      if (context.signal.aborted) return;
      throw error;
    }
    const state = createGoogleStreamState(provider);
    const out: AdapterDelta[] = [];
    try {
      for await (const chunk of opened.chunks) {
        out.length = 0;
        translateGoogleChunk(chunk, state, out);
        for (let index = 0; index < out.length; index++) yield out[index] as AdapterDelta;
      }
      out.length = 0;
      finishGoogleStream(state, out);
      for (let index = 0; index < out.length; index++) yield out[index] as AdapterDelta;
    } catch (error) {
      // After an abort (cancel, timeout) the SDKs throw abort or "Error reading" errors: just end.
      if (opened.signal.aborted) return;
      throw error;
    } finally {
      opened.release();
    }
  }

  return {
    name: 'google',
    get client() {
      return built;
    },
    getClient: async () => (await load()).client as Client,
    open,
    stream,
    normalizeError: (error) => normalizeGoogleError(error, provider),
  };
}

/**
 * The uniform entry point `createTokenwire` calls for the providers `google`, `gemini` and
 * `vertex` (and any provider configured with `adapter: 'google'`): settings as in
 * `createGoogleAdapter`, plus the provider name.
 */
export function createAdapter(settings: ProviderSettings & { provider: string }): GoogleAdapter {
  return createGoogleAdapter(settings as GoogleAdapterSettings);
}

function configurationError(message: string): TokenwireError {
  return new TokenwireError({ code: 'configuration', provider: 'google', message });
}
