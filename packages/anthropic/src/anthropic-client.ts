import { Anthropic, type ClientOptions } from '@anthropic-ai/sdk';
import { loadApiKey, type TokenwireError } from '@tokenwire/core';
import { credentialedUrlProblem, hasUrlCredentials, registerSecretFields } from '@tokenwire/core/internal';
import type { AnthropicAdapterSettings } from './anthropic-adapter.js';

/**
 * The client the adapter creates when none is passed: the key from the settings or
 * ANTHROPIC_API_KEY (registered as a secret by `loadApiKey`), the SDK's retries off, and
 * `headers` as its default headers.
 */
export function createAnthropicClient(settings: AnthropicAdapterSettings, provider: string): Anthropic {
  const apiKey = loadApiKey({
    apiKey: settings.apiKey,
    environmentVariables: ['ANTHROPIC_API_KEY'],
    provider,
  });
  const options: ClientOptions = { ...settings.clientOptions, apiKey, maxRetries: 0 };
  if (settings.baseURL !== undefined) options.baseURL = settings.baseURL;
  if (settings.headers !== undefined) options.defaultHeaders = settings.headers;
  if (settings.timeout !== undefined) options.timeout = settings.timeout;
  const client = new Anthropic(options);
  // Also what the SDK added itself: ANTHROPIC_CUSTOM_HEADERS may carry a gateway token.
  registerClientSecrets(client);
  return client;
}

/**
 * Registers the credentials a client holds as secrets, so a user who brings a client gets the
 * same redaction as one who passes `apiKey`: its `apiKey` and `authToken` (from options or
 * ANTHROPIC_AUTH_TOKEN) and the credential-bearing default headers (`x-api-key`, `Authorization`,
 * a gateway token, …), which the SDK keeps in its protected `_options`. A key the SDK resolves
 * later (an `apiKey` function, a credential chain) is not visible here: such keys are still masked
 * by their format (`sk-ant-…`, `Bearer …`).
 */
export function registerClientSecrets(client: Anthropic): void {
  registerSecretFields(client, ['apiKey', 'authToken']);
  registerSecretFields((client as unknown as { _options?: unknown })._options, ['defaultHeaders']);
}

/**
 * The `configuration` error of a client whose base URL carries credentials (`user:password@`),
 * from a passed client or ANTHROPIC_BASE_URL; undefined when it has none. The `baseURL` setting is
 * checked by core; this covers the URLs core never sees. The URL is not quoted.
 */
export function clientBaseURLProblem(client: Anthropic, provider: string): TokenwireError | undefined {
  const { baseURL } = client as unknown as { baseURL?: unknown };
  if (typeof baseURL !== 'string' || !hasUrlCredentials(baseURL)) return undefined;
  return credentialedUrlProblem(
    "the base URL of the Anthropic client (the client's baseURL or ANTHROPIC_BASE_URL)",
    provider,
  );
}
