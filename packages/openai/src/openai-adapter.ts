import type { ProviderSettings, VendorAdapter } from '@tokenwire/core/adapter';
import { defineAdapter, environmentOf } from '@tokenwire/core/adapter';
import { isPlainObject } from '@tokenwire/core/internal';
import type OpenAI from 'openai';
import { createOpenAIClient, resolveOpenAIService } from './openai-client.js';
import { checkPassedClient } from './openai-credentials.js';
import { normalizeOpenAIError } from './openai-errors.js';
import { openAIRecord } from './openai-records.js';
import { checkOpenAIRequest } from './openai-request-checks.js';
import { LocalShellItemIds } from './openai-responses-tools.js';
import {
  type OpenAIChunk,
  type OpenAISendTarget,
  sendOpenAIChat,
  sendOpenAIResponses,
} from './openai-send.js';
import { findQuirksProblem, OPENAI_SETTING_KINDS, type OpenAIAdapterSettings } from './openai-settings.js';
import { openAIChatTranslator, openAIResponsesTranslator } from './openai-translators.js';

/** The adapter `createOpenAIAdapter` returns: `name` is `'openai'`, `provider` the service it serves. */
export interface OpenAIAdapter extends VendorAdapter<OpenAI, OpenAIChunk> {
  /** The API it streams from: `settings.api`, default `'chat'`. */
  readonly api: 'chat' | 'responses';
}

/**
 * Creates the tokenwire adapter over the official `openai` SDK, for OpenAI (Chat Completions, or
 * the Responses API with `api: 'responses'`), Azure and every OpenAI-compatible service (chosen by
 * `provider`, default `'openai'`). Without a `client`, one is built on first use with
 * `maxRetries: 0`; the key defaults to the service's environment variable (OPENAI_API_KEY for
 * OpenAI, DEEPSEEK_API_KEY for DeepSeek, AZURE_OPENAI_API_KEY for Azure, …). Never throws: a
 * setting that is unknown or of the wrong kind, a missing key or an unknown provider without
 * `baseURL` is the `configuration` error event of the first request, and nothing is sent. Every
 * request carries the runtime's abort signal, so cancelling closes the connection.
 *
 * @example
 * const tokenwire = createTokenwire({ providers: { openai: createOpenAIAdapter({ api: 'responses' }) } });
 */
export function createOpenAIAdapter(settings: OpenAIAdapterSettings = {}): OpenAIAdapter {
  // A value that is not an object is core's to report; read nothing from it.
  const values: OpenAIAdapterSettings = isPlainObject(settings) ? settings : {};
  const service = resolveOpenAIService(values);
  const { provider, apiKeyEnv } = service;
  const api = values.api === 'responses' ? 'responses' : 'chat';
  const problem = findQuirksProblem(values.quirks, provider) ?? checkPassedClient(values.client, provider);
  const target: OpenAISendTarget = {
    service,
    sendStreamOptions: service.quirks.streamOptions !== false,
    localShellItemIds: new LocalShellItemIds(),
  };
  let client: OpenAI | undefined = values.client;
  const clientOf = () => (client ??= createOpenAIClient(values, environmentOf(values.env)));
  const parts = {
    ...{ name: 'openai', provider, settings, settingKinds: OPENAI_SETTING_KINDS, wire: 'sse' as const },
    checkSettings: () => problem,
    client: clientOf,
    checkRequest: (request: Parameters<typeof checkOpenAIRequest>[0]) =>
      checkOpenAIRequest(request, { provider, api }),
    record: openAIRecord,
    normalizeError: (error: unknown) => normalizeOpenAIError(error, { provider, apiKeyEnv }),
    endpoint: () => endpointOf(clientOf),
  };
  if (api === 'chat') {
    const send = sendOpenAIChat.bind(undefined, target);
    return defineAdapter({ ...parts, send, translator: openAIChatTranslator }, { api });
  }
  const translator = openAIResponsesTranslator(provider, target.localShellItemIds);
  return defineAdapter({ ...parts, send: sendOpenAIResponses.bind(undefined, target), translator }, { api });
}

/**
 * The entry point `createTokenwire` calls with a provider's configuration
 * (`{ provider, apiKey?, apiKeyEnv?, baseURL?, api?, quirks?, … }`): the same factory, with the
 * same checks, as `createOpenAIAdapter`.
 */
export function createAdapter(settings: ProviderSettings & { provider: string }): OpenAIAdapter {
  return createOpenAIAdapter(settings as OpenAIAdapterSettings);
}

/** The client's base URL, made on the first call; undefined while it cannot be made (its error comes with the request). */
function endpointOf(clientOf: () => OpenAI): string | undefined {
  try {
    return clientOf().baseURL;
  } catch {
    return undefined;
  }
}
