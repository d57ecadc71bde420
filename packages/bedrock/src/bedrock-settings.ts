import type { BedrockRuntimeClient, BedrockRuntimeClientConfig } from '@aws-sdk/client-bedrock-runtime';
import type { TokenwireError } from '@tokenwire/core';
import type { Environment, SettingKind } from '@tokenwire/core/adapter';
import { settingProblem } from '@tokenwire/core/internal';
import type { BedrockStructuredOutput } from './bedrock-json-answer.js';

/** Settings of `createBedrockAdapter` (and of `providers.bedrock` in `createTokenwire`). All optional. */
export interface BedrockAdapterSettings {
  /**
   * A configured `BedrockRuntimeClient`, used as is and exposed as `adapter.client`. Its own
   * retries are turned off per request (tokenwire retries); the client itself is not changed. When
   * omitted, a client is created on first use from `region`, `credentials`, `endpoint` and
   * `clientOptions`.
   */
  client?: BedrockRuntimeClient;
  /** AWS region, e.g. `'us-east-1'`. Default: the AWS default chain (AWS_REGION, then the profile's region). */
  region?: string;
  /**
   * AWS credentials: `{ accessKeyId, secretAccessKey, sessionToken? }` or a credential provider
   * function (`fromIni()`, `fromNodeProviderChain()`, …). Default: the AWS default chain
   * (AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY / AWS_SESSION_TOKEN, AWS_PROFILE, SSO, instance
   * roles, …). Every credential the adapter sends is registered as a secret.
   */
  credentials?: BedrockRuntimeClientConfig['credentials'];
  /**
   * Where AWS_REGION, AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and AWS_SESSION_TOKEN are read for
   * `region` and `credentials` when they are not set: a Worker's `env` bindings, which the AWS
   * default chain cannot see. Default: none (the default chain reads the process's environment).
   */
  env?: Environment;
  /** The Bedrock Runtime endpoint, for a VPC endpoint, a gateway or a test server. Default: the region's. */
  endpoint?: string;
  /** The same as `endpoint`, under the name the other adapters use. Give one of the two. */
  baseURL?: string;
  /** Headers sent with every request (after signing is computed, so they are signed too). */
  headers?: Record<string, string>;
  /** Provider name reported in events and errors. Default 'bedrock'. */
  provider?: string;
  /**
   * How a `json_schema` response format is sent. Default `'native'`: as `outputConfig.textFormat`,
   * Converse's structured outputs, for the models that have them. `'tool'`: as the input schema of
   * a forced tool named `json`, which every model with tool use takes (the schema must then be an
   * object schema). `{ type: 'json' }` always goes through that tool; with Claude's extended
   * thinking on, which refuses forced tool use, the tool gives way to a JSON instruction after the
   * system prompt. Either way the answer arrives as text: the same `token`, `partial_object` and
   * `finish.object`.
   * @see https://docs.aws.amazon.com/bedrock/latest/userguide/structured-output.html
   */
  structuredOutput?: BedrockStructuredOutput;
  /**
   * Who reads the response body. Both send the request through the SDK (signing, endpoint, its
   * exception classes for non-2xx answers). `'direct'` (default) takes the raw 200 body from a
   * command middleware and core reads it, one async step per network read, its AWS event-stream
   * frames decoded by the SDK's own `EventStreamCodec` into the same events for the same
   * translator (in-band exceptions keep their codes); `'sdk'` iterates the SDK's event stream (the
   * escape hatch).
   */
  transport?: 'direct' | 'sdk';
  /** Further options for the created client (`requestHandler`, `logger`, `profile`, …). `maxAttempts` is always 1. */
  clientOptions?: Omit<BedrockRuntimeClientConfig, 'region' | 'credentials' | 'endpoint' | 'maxAttempts'>;
}

/** Every setting the adapter knows, with its kind; core refuses unknown keys by name. */
export const BEDROCK_SETTING_KINDS: Readonly<Record<keyof BedrockAdapterSettings, SettingKind>> = {
  client: 'object',
  region: 'string',
  credentials: 'any',
  env: 'object',
  endpoint: 'url',
  baseURL: 'url',
  headers: 'headers',
  provider: 'string',
  structuredOutput: ['native', 'tool'],
  transport: ['direct', 'sdk'],
  clientOptions: 'object',
};

/** The `configuration` problem of settings that conflict (both `endpoint` and `baseURL`), or undefined. */
export function bedrockSettingsConflict(
  settings: BedrockAdapterSettings,
  provider: string,
): TokenwireError | undefined {
  if (settings.endpoint === undefined || settings.baseURL === undefined) return undefined;
  return settingProblem(
    `endpoint and baseURL (provider '${provider}')`,
    'are the same setting: give one of them',
    settings.baseURL,
    provider,
  );
}

/**
 * The endpoint the settings name, else the region's (`https://bedrock-runtime.<region>.amazonaws.com`),
 * else undefined (a region the default chain resolves is known once a request was signed).
 */
export function configuredEndpointOf(settings: BedrockAdapterSettings): string | undefined {
  const named = settings.endpoint ?? settings.baseURL;
  if (named !== undefined) return named;
  return typeof settings.region === 'string'
    ? `https://bedrock-runtime.${settings.region}.amazonaws.com`
    : undefined;
}
