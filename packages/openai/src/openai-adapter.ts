import type { TokenwireError } from '@tokenwire/core';
import { defineAdapter, type ProviderSettings, type VendorAdapter } from '@tokenwire/core/adapter';
import { credentialedUrlProblem, hasUrlCredentials, isPlainObject } from '@tokenwire/core/internal';
import type OpenAI from 'openai';
import { createOpenAIClient, resolveOpenAIService } from './openai-client.js';
import { registerOpenAIClientSecrets } from './openai-credentials.js';
import { normalizeOpenAIError } from './openai-errors.js';
import {
  type OpenAIStreamChunk,
  type OpenAIStreamTarget,
  openOpenAIChatStream,
  openOpenAIResponsesStream,
} from './openai-open.js';
import { checkOpenAIRequest } from './openai-request-checks.js';
import { LocalShellItemIds } from './openai-responses-tools.js';
import { findQuirksProblem, OPENAI_SETTING_KINDS, type OpenAIAdapterSettings } from './openai-settings.js';

/** The adapter `createOpenAIAdapter` returns: `name` is `'openai'`, `provider` the service it serves. */
export interface OpenAIAdapter extends VendorAdapter<OpenAI, OpenAIStreamChunk> {
  /** The API it streams from: `settings.api`, default `'chat'`. */
  readonly api: 'chat' | 'responses';
  /** Who reads the response body: `settings.transport`, default `'direct'`. */
  readonly transport: 'direct' | 'sdk';
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
  // A value that is not an object is defineAdapter's to report; read nothing from it.
  const values: OpenAIAdapterSettings = isPlainObject(settings) ? settings : {};
  const service = resolveOpenAIService(values);
  const { provider } = service;
  const api = values.api === 'responses' ? 'responses' : 'chat';
  const transport = values.transport === 'sdk' ? 'sdk' : 'direct';
  const quirksProblem = findQuirksProblem(values.quirks, provider);
  let client: OpenAI | undefined = values.client;
  const clientProblem = client === undefined ? undefined : checkPassedClient(client, provider);
  const target: OpenAIStreamTarget = {
    client: () => {
      if (quirksProblem !== undefined) throw quirksProblem;
      if (clientProblem !== undefined) throw clientProblem;
      client ??= createOpenAIClient(values);
      return client;
    },
    service,
    sendStreamOptions: service.quirks.streamOptions !== false,
    localShellItemIds: new LocalShellItemIds(),
    transport,
  };
  return defineAdapter(
    {
      name: 'openai',
      provider,
      settings,
      settingKinds: OPENAI_SETTING_KINDS,
      client: target.client,
      checkRequest: (request) => checkOpenAIRequest(request, { provider, api }),
      open: (request, context) =>
        api === 'responses'
          ? openOpenAIResponsesStream(target, request, context)
          : openOpenAIChatStream(target, request, context),
      normalizeError: (error) => normalizeOpenAIError(error, { provider, apiKeyEnv: service.apiKeyEnv }),
    },
    { api, transport },
  );
}

/**
 * Registers the credentials of a client the user passed in (core registers only settings) and
 * returns the `configuration` problem of a base URL with `user:password@`, which fetch refuses.
 */
function checkPassedClient(client: OpenAI, provider: string): TokenwireError | undefined {
  if (typeof client !== 'object' || client === null) return undefined; // defineAdapter reports the kind
  registerOpenAIClientSecrets(client);
  const { baseURL } = client as { baseURL?: unknown };
  return typeof baseURL === 'string' && hasUrlCredentials(baseURL)
    ? credentialedUrlProblem("the baseURL of the client passed in 'client'", provider)
    : undefined;
}

/**
 * The entry point `createTokenwire` calls with a provider's configuration
 * (`{ provider, apiKey?, apiKeyEnv?, baseURL?, api?, quirks?, … }`): the same factory, with the
 * same checks, as `createOpenAIAdapter`.
 */
export function createAdapter(settings: ProviderSettings & { provider: string }): OpenAIAdapter {
  return createOpenAIAdapter(settings as OpenAIAdapterSettings);
}
