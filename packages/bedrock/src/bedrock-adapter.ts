import type { BedrockRuntimeClient, ConverseStreamOutput } from '@aws-sdk/client-bedrock-runtime';
import { defineAdapter, type ProviderSettings, type VendorAdapter } from '@tokenwire/core/adapter';
import { isPlainObject } from '@tokenwire/core/internal';
import { createBedrockClient, registerSettingsSecrets } from './bedrock-client.js';
import { normalizeBedrockError } from './bedrock-errors.js';
import { bedrockRecord } from './bedrock-records.js';
import { checkBedrockRequest } from './bedrock-request-checks.js';
import { type BedrockSendTarget, sendBedrock } from './bedrock-send.js';
import {
  BEDROCK_SETTING_KINDS,
  type BedrockAdapterSettings,
  bedrockSettingsConflict,
  configuredEndpointOf,
} from './bedrock-settings.js';
import { bedrockTranslator } from './bedrock-stream.js';
import { BEDROCK_EVENT_STREAM } from './bedrock-wire.js';

export type { BedrockStructuredOutput } from './bedrock-json-answer.js';
export type { BedrockAdapterSettings } from './bedrock-settings.js';

/** The Bedrock adapter: `name` 'bedrock', the provider it serves, and the SDK client it uses as `client`. */
export type BedrockAdapter = VendorAdapter<BedrockRuntimeClient, ConverseStreamOutput>;

/**
 * Creates the adapter that streams every Bedrock model through `@aws-sdk/client-bedrock-runtime`'s
 * `ConverseStream` (`bedrock/<model id>`: a model id, an inference profile id or ARN, a provisioned
 * model ARN). It never throws: no client is created until the first request, and an unknown setting
 * or one of the wrong kind is that request's `configuration` error event. Bedrock's own request
 * limits (see `checkBedrockRequest`) are `invalid_request` errors, and nothing is sent. Cancelling
 * aborts the SDK request (`abortSignal`) and closes the response body, which closes its connection.
 *
 * @example
 * const tokenwire = createTokenwire({ providers: { bedrock: createBedrockAdapter({ region: 'us-east-1' }) } });
 * tokenwire.stream({ model: 'bedrock/us.anthropic.claude-sonnet-4-5-20250929-v1:0', messages });
 */
export function createBedrockAdapter(settings: BedrockAdapterSettings = {}): BedrockAdapter {
  // A value that is not an object is core's to report; read nothing from it.
  const values: BedrockAdapterSettings = isPlainObject(settings) ? settings : {};
  const provider = typeof values.provider === 'string' ? values.provider : 'bedrock';
  const structuredOutput = values.structuredOutput ?? 'native';
  const target: BedrockSendTarget = { structuredOutput, headers: values.headers };
  registerSettingsSecrets(values);
  let client = values.client;
  return defineAdapter({
    name: 'bedrock',
    provider,
    settings,
    settingKinds: BEDROCK_SETTING_KINDS,
    checkSettings: () => bedrockSettingsConflict(values, provider),
    client: () => (client ??= createBedrockClient(values)),
    checkRequest: (request) => checkBedrockRequest(request, provider, structuredOutput),
    send: (sdkClient, request, context) => sendBedrock(target, sdkClient, request, context),
    wire: BEDROCK_EVENT_STREAM,
    record: (message) => bedrockRecord(message, provider),
    translator: bedrockTranslator(provider, structuredOutput),
    normalizeError: (error) => normalizeBedrockError(error, provider),
    endpoint: () => target.sentTo ?? configuredEndpointOf(values),
  });
}

/**
 * The uniform factory core calls for configuration-driven loading (`providers: { bedrock: { region } }`,
 * or none): the same as `createBedrockAdapter`, with the settings checked the same way. Region and
 * credentials default to the AWS default chain.
 */
export function createAdapter(settings: ProviderSettings & { provider: string }): BedrockAdapter {
  return createBedrockAdapter(settings as BedrockAdapterSettings);
}
