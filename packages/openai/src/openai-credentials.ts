import { registerSecretFields } from '@tokenwire/core/internal';
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
