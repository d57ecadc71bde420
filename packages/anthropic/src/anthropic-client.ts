import { Anthropic, type BaseAnthropic, type ClientOptions } from '@anthropic-ai/sdk';
import { registerSecret, TokenwireError, type TokenwireErrorCode } from '@tokenwire/core';
import { loadApiKey } from '@tokenwire/core/adapter';
import {
  bodyExcerpt,
  credentialedUrlProblem,
  hasUrlCredentials,
  processEnvironment,
  registerSecretFields,
  registerSecretHeaders,
  sdkLogger,
} from '@tokenwire/core/internal';
import type { AnthropicAdapterSettings } from './anthropic-settings.js';

/**
 * A client of the Messages API the adapter can stream with: `Anthropic`, or a cloud client built on
 * the same `@anthropic-ai/sdk` — `AnthropicBedrock` (`@anthropic-ai/bedrock-sdk`, Claude on AWS
 * Bedrock) or `AnthropicVertex` (`@anthropic-ai/vertex-sdk`, Claude on Google Vertex AI). They take
 * the same request body and answer with the same events (the Bedrock client transcodes AWS's
 * event-stream framing to SSE), so thinking signatures, cache control and compaction work the same.
 */
export type AnthropicMessagesClient = BaseAnthropic & { messages: Pick<Anthropic['messages'], 'create'> };

/**
 * The client the adapter creates when none is passed: the key from the settings or
 * ANTHROPIC_API_KEY (registered as a secret by `loadApiKey`), the SDK's retries off, `headers` as
 * its default headers, and core's `sdkLogger` unless `clientOptions.logger` is given: the SDK logs
 * a record it cannot parse just before throwing the error the stream's `error` event carries.
 */
export function createAnthropicClient(
  settings: AnthropicAdapterSettings<AnthropicMessagesClient>,
  provider: string,
): Anthropic {
  const apiKey = loadApiKey({
    apiKey: settings.apiKey,
    environmentVariables: ['ANTHROPIC_API_KEY'],
    provider,
    environment: settings.env,
  });
  const options: ClientOptions = { logger: sdkLogger, ...settings.clientOptions, apiKey, maxRetries: 0 };
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
 * by their format (`sk-ant-…`, `Bearer …`). An `AnthropicBedrock` client's static AWS keys
 * (`awsAccessKey`, `awsSecretKey`, `awsSessionToken`) and the default chain's environment variables
 * it reads, and an `AnthropicVertex` client's `accessToken`, are registered too; core masks AWS access
 * key ids and SigV4 signatures by their format.
 */
export function registerClientSecrets(client: AnthropicMessagesClient): void {
  registerSecretFields(client, [
    'apiKey',
    'authToken',
    'awsAccessKey',
    'awsSecretKey',
    'awsSessionToken',
    'accessToken',
  ]);
  registerSecretFields((client as unknown as { _options?: unknown })._options, ['defaultHeaders']);
  if ('awsRegion' in client) {
    const environment = processEnvironment();
    for (const name of AWS_CREDENTIAL_VARIABLES) registerSecret(environment[name]);
  }
}

/**
 * Registers the credentials of the settings core does not know about (it registers `apiKey` and
 * `headers`): a passed client's, and the created client's `clientOptions.defaultHeaders`.
 */
export function registerSettingsCredentials(
  settings: AnthropicAdapterSettings<AnthropicMessagesClient>,
): void {
  if (typeof settings.client === 'object' && settings.client !== null) registerClientSecrets(settings.client);
  const options = settings.clientOptions;
  if (typeof options === 'object' && options !== null) registerSecretHeaders(options.defaultHeaders);
}

/** The AWS default chain's credential variables, which `AnthropicBedrock` reads when given no keys. */
const AWS_CREDENTIAL_VARIABLES = [
  'AWS_ACCESS_KEY_ID',
  'AWS_SECRET_ACCESS_KEY',
  'AWS_SESSION_TOKEN',
  'AWS_BEARER_TOKEN_BEDROCK',
];

/**
 * Bedrock's in-band exceptions, which `AnthropicBedrock` turns into SSE `error` events typed by the
 * exception (`throttlingException`, …) and the SDK throws as a status-less `APIError` of that type.
 * @see https://docs.aws.amazon.com/bedrock/latest/APIReference/API_runtime_InvokeModelWithResponseStream.html
 */
const CODE_OF_BEDROCK_EXCEPTION: Readonly<Record<string, TokenwireErrorCode>> = {
  throttlingException: 'rate_limit',
  serviceUnavailableException: 'overloaded',
  modelNotReadyException: 'overloaded',
  internalServerException: 'server',
  modelStreamErrorException: 'server',
  modelTimeoutException: 'timeout',
  validationException: 'invalid_request',
};

/**
 * The error of a Bedrock exception that arrived inside the stream, or of a Bedrock `chunk` that is
 * not JSON (`invalid_response`, retryable only before any output, like core's for a malformed
 * record); undefined for any other error.
 */
export function bedrockStreamException(
  error: unknown,
  provider: string,
  beforeOutput = false,
): TokenwireError | undefined {
  if (!(error instanceof Error)) return undefined;
  if (error.name === 'AnthropicError' && error.message.startsWith('Could not parse a Bedrock chunk')) {
    return new TokenwireError({
      code: 'invalid_response',
      provider,
      retryable: beforeOutput,
      message: `The Bedrock stream carried a chunk that is not valid JSON: ${bodyExcerpt(error.message)}`,
      cause: error,
    });
  }
  const { status, type } = error as { status?: unknown; type?: unknown };
  const code = status === undefined && typeof type === 'string' ? CODE_OF_BEDROCK_EXCEPTION[type] : undefined;
  if (code === undefined) return undefined;
  const detail = (error as { apiMessage?: unknown }).apiMessage;
  return new TokenwireError({
    code,
    provider,
    message: `The Bedrock stream reported ${type}: ${bodyExcerpt(typeof detail === 'string' ? detail : error.message)}`,
    cause: error,
  });
}

/**
 * The `configuration` error of a client whose base URL carries credentials (`user:password@`),
 * from a passed client or ANTHROPIC_BASE_URL; undefined when it has none. The `baseURL` setting is
 * checked by core; this covers the URLs core never sees. The URL is not quoted.
 */
export function clientBaseURLProblem(
  client: AnthropicMessagesClient,
  provider: string,
): TokenwireError | undefined {
  const { baseURL } = client as unknown as { baseURL?: unknown };
  if (typeof baseURL !== 'string' || !hasUrlCredentials(baseURL)) return undefined;
  return credentialedUrlProblem(
    "the base URL of the Anthropic client (the client's baseURL or ANTHROPIC_BASE_URL)",
    provider,
  );
}
