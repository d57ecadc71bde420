import type { TokenwireError } from '@tokenwire/core';
import { credentialedUrlProblem, hasUrlCredentials, registerSecretFields } from '@tokenwire/core/internal';
import type OpenAI from 'openai';

/**
 * Registers the credentials of an `openai` client a user passed in as secrets, as core does for
 * the `apiKey` and `headers` settings: its `apiKey` (and `adminAPIKey`), and the credential-bearing
 * headers among its `defaultHeaders` (Authorization, api-key, x-api-key, a gateway token, …),
 * which the SDK keeps in its protected `_options`. A key the client resolves per request (an
 * `apiKey` function, Azure's token provider) is registered after each request by the adapter.
 */
export function registerOpenAIClientSecrets(client: OpenAI): void {
  registerSecretFields(client, ['apiKey', 'adminAPIKey']);
  registerSecretFields((client as unknown as { _options?: unknown })._options, ['defaultHeaders']);
}

/**
 * Registers the credentials of a client the user passed in (core registers only settings) and
 * returns the `configuration` problem of a base URL with `user:password@`, which fetch refuses.
 */
export function checkPassedClient(client: OpenAI | undefined, provider: string): TokenwireError | undefined {
  if (typeof client !== 'object' || client === null) return undefined; // core reports the kind
  registerOpenAIClientSecrets(client);
  const { baseURL } = client as { baseURL?: unknown };
  return typeof baseURL === 'string' && hasUrlCredentials(baseURL)
    ? credentialedUrlProblem("the baseURL of the client passed in 'client'", provider)
    : undefined;
}
