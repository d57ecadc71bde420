import { registerSecret } from '@tokenwire/core';
import { loadApiKey } from '@tokenwire/core/adapter';
import { registerSecretHeaders } from '@tokenwire/core/internal';
import {
  buildGoogleClient,
  type GoogleClient,
  type GoogleSdk,
  type ModuleImporter,
  sdkOfPassedClient,
} from './google-clients.js';
import type { GoogleAdapterSettings } from './google-settings.js';

/** Where the Gemini API key is read from when settings have none, in order. */
const API_KEY_VARIABLES = ['GEMINI_API_KEY', 'GOOGLE_API_KEY'] as const;

const defaultImport: ModuleImporter = (specifier) => import(specifier);

/**
 * Registers the credentials a client passed in holds, as far as they can be read: its key (a
 * public field of `GoogleGenerativeAI`, a private one of `GoogleGenAI`) and the credential-bearing
 * `httpOptions.headers` of a `GoogleGenAI`. What genai sends per request (Vertex's OAuth token
 * too) is registered again by the adapter's `fetch`.
 */
function registerClientSecrets(client: GoogleClient): void {
  const { apiKey, httpOptions } = client as { apiKey?: unknown; httpOptions?: { headers?: unknown } };
  if (typeof apiKey === 'string') registerSecret(apiKey);
  registerSecretHeaders(httpOptions?.headers);
}

/** A client with the SDK it belongs to. */
export interface LoadedGoogleClient {
  sdk: GoogleSdk;
  client: GoogleClient;
}

/** Gives the adapter its client: the one passed in, or one built on first use. */
export interface GoogleClientLoader<Client extends GoogleClient> {
  /**
   * The client passed in, or the one built so far (undefined before the first request or
   * `load()`). Throws the `configuration` error that keeps a client from being built: no API key,
   * or a client passed in that does not match `sdk`.
   */
  current(): Client | undefined;
  /** The client and its SDK, imported and built now if needed. A failure is not cached. */
  load(): Promise<LoadedGoogleClient>;
}

/**
 * The client loader of one adapter. Both SDKs are optional peers imported on first use, so a
 * client is built asynchronously, once; a failed build (a missing key or SDK) is tried again on
 * the next request, so setting the variable or installing the SDK fixes a long-lived process.
 */
export function createGoogleClientLoader<Client extends GoogleClient>(
  settings: GoogleAdapterSettings<Client>,
  provider: string,
): GoogleClientLoader<Client> {
  const vertexai = settings.vertexai ?? provider === 'vertex';
  let built: Client | undefined;
  let pending: Promise<LoadedGoogleClient> | undefined;

  async function build(): Promise<LoadedGoogleClient> {
    const prepared = prepareClient(settings, provider, vertexai);
    if ('client' in prepared) return prepared;
    return buildGoogleClient({
      provider,
      sdk: settings.sdk,
      apiKey: prepared.apiKey,
      baseURL: settings.baseURL,
      apiVersion: settings.apiVersion,
      headers: settings.headers,
      vertexai,
      project: settings.project,
      location: settings.location,
      importModule: settings.importModule ?? defaultImport,
    });
  }

  return {
    current() {
      if (built !== undefined) return built;
      const prepared = prepareClient(settings, provider, vertexai);
      return 'client' in prepared ? (prepared.client as Client) : undefined;
    },
    load() {
      pending ??= build().then(
        (loaded) => {
          built = loaded.client as Client;
          return loaded;
        },
        (error: unknown) => {
          pending = undefined;
          throw error;
        },
      );
      return pending;
    },
  };
}

/** The client passed in with its SDK, or else the API key to build one with (checked now). */
function prepareClient<Client extends GoogleClient>(
  settings: GoogleAdapterSettings<Client>,
  provider: string,
  vertexai: boolean,
): LoadedGoogleClient | { apiKey: string | undefined } {
  if (settings.client !== undefined) {
    const sdk = sdkOfPassedClient(settings.client, settings.sdk, provider);
    registerClientSecrets(settings.client);
    return { sdk, client: settings.client };
  }
  if (vertexai) {
    // On Vertex, genai picks its own credentials (Application Default Credentials, or an
    // express-mode key) unless a key is given.
    registerSecret(settings.apiKey);
    return { apiKey: settings.apiKey || undefined };
  }
  return {
    apiKey: loadApiKey({
      apiKey: settings.apiKey,
      environmentVariables: API_KEY_VARIABLES,
      provider,
      environment: settings.env,
    }),
  };
}
