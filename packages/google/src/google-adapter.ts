import { defineAdapter, type ProviderSettings, type VendorAdapter } from '@tokenwire/core/adapter';
import { createGoogleClientLoader } from './google-client-loader.js';
import type { GoogleClient } from './google-clients.js';
import { googleBodyError, normalizeGoogleError } from './google-errors.js';
import { googleRecord } from './google-records.js';
import { checkGoogleRequest } from './google-request-check.js';
import { type GoogleSendTarget, sendGoogle } from './google-send.js';
import { GOOGLE_SETTING_KINDS, type GoogleAdapterSettings } from './google-settings.js';
import { googleTranslator } from './google-stream.js';
import type { GoogleChunk } from './google-types.js';

export type { GoogleAdapterSettings } from './google-settings.js';

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

/**
 * Creates the Gemini adapter over `@google/genai` or the deprecated `@google/generative-ai`
 * (both optional peers, imported on the first request; the legacy SDK is `transport: 'sdk'`
 * only). The key defaults to `GEMINI_API_KEY`, then `GOOGLE_API_KEY`. Never throws: a missing
 * key, an unknown or mistyped setting, a missing SDK or a mismatched client is the
 * `configuration` error event of the first request. The SDK's own retries stay off and genai's
 * automatic continuation is disabled: tokenwire's runtime retries. Cancelling aborts the request,
 * which closes the connection (neither SDK does when iteration stops).
 *
 * @example
 * const tokenwire = createTokenwire({ providers: { google: createGoogleAdapter({ apiKey }) } });
 */
export function createGoogleAdapter<Client extends GoogleClient = GoogleClient>(
  settings: GoogleAdapterSettings<Client> = {},
): GoogleAdapter<Client> {
  const provider = settings.provider ?? 'google';
  const loader = createGoogleClientLoader(settings, provider);
  const { baseURL, apiVersion, headers } = settings;
  const importModule = settings.importModule ?? ((specifier: string) => import(specifier));
  const target: GoogleSendTarget = {
    provider,
    loader,
    baseURL,
    apiVersion,
    headers,
    importModule,
    ApiError: undefined,
  };
  return defineAdapter(
    {
      ...{ name: 'google', provider, settings, settingKinds: GOOGLE_SETTING_KINDS, wire: 'sse' as const },
      client: () => loader.current(),
      checkRequest: (request) => checkGoogleRequest(request, provider),
      send: sendGoogle.bind(undefined, target),
      record: (record) => googleRecord(record, target.ApiError),
      translator: googleTranslator(provider),
      normalizeError: (error, context) => normalizeGoogleError(error, provider, context.beforeOutput),
      bodyError: (text) => googleBodyError(text, provider),
    },
    { getClient: async () => (await loader.load()).client as Client },
  ) as GoogleAdapter<Client>;
}

/**
 * The uniform entry point `createTokenwire` calls for the providers `google`, `gemini` and
 * `vertex` (and any provider configured with `adapter: 'google'`): the same factory, with the
 * configured settings and the provider name; the settings are checked the same way.
 */
export function createAdapter(settings: ProviderSettings & { provider: string }): GoogleAdapter {
  return createGoogleAdapter(settings as GoogleAdapterSettings);
}
