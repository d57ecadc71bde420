import type { Environment, SettingKind } from '@tokenwire/core/adapter';
import type { GoogleClient, GoogleSdk } from './google-clients.js';

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
  /**
   * Where GEMINI_API_KEY and GOOGLE_API_KEY are read instead of `process.env`: a Worker's
   * `env` bindings. Default: `process.env` where it exists; `createTokenwire({ env })` passes its own.
   */
  env?: Environment;
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
   * (auth, base URL, headers, Vertex, its errors for non-2xx answers) and core reads the raw body
   * itself, one async step per network read. `'sdk'`: the SDK parses the body and the adapter
   * translates its chunks (the escape hatch). The deprecated `@google/generative-ai` takes no
   * `fetch` and never hands its body over, so it is `'sdk'` only: with that SDK, `'direct'` (and
   * the default) falls back to `'sdk'`.
   */
  transport?: 'direct' | 'sdk';
}

/**
 * Every setting, with its kind: defineAdapter refuses unknown keys ("did you mean baseURL?") and
 * values of the wrong kind before anything is sent.
 */
export const GOOGLE_SETTING_KINDS = {
  client: 'object',
  apiKey: 'string',
  env: 'object',
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
