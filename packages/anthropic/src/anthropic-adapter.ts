import type { Anthropic } from '@anthropic-ai/sdk';
import type { RawMessageStreamEvent } from '@anthropic-ai/sdk/resources/messages';
import { defineAdapter, type ProviderSettings, type VendorAdapter } from '@tokenwire/core/adapter';
import {
  type AnthropicMessagesClient,
  bedrockStreamException,
  createAnthropicClient,
  registerSettingsCredentials,
} from './anthropic-client.js';
import { normalizeAnthropicError } from './anthropic-errors.js';
import { anthropicRecord } from './anthropic-records.js';
import { apiVersionOf, checkAnthropicRequest } from './anthropic-request-limits.js';
import { type AnthropicSendTarget, sendAnthropic } from './anthropic-send.js';
import {
  ANTHROPIC_SETTING_KINDS,
  type AnthropicAdapterSettings,
  defaultMaxTokensProblem,
} from './anthropic-settings.js';
import { anthropicTranslator } from './anthropic-translator.js';

/** The Anthropic adapter: `name` 'anthropic', the provider it serves, and the SDK client it uses as `client`. */
export type AnthropicAdapter<Client extends AnthropicMessagesClient = Anthropic> = VendorAdapter<
  Client,
  RawMessageStreamEvent
>;

/**
 * Creates the adapter that streams Claude models through the official `@anthropic-ai/sdk`
 * (`messages.create({ stream: true })`, raw events). It never throws: no client is created until
 * the first request, and a missing API key (ANTHROPIC_API_KEY), an unknown setting or a setting of
 * the wrong kind is that request's `configuration` error event. Anthropic's own request limits
 * (see the README) are `invalid_request` errors, and nothing is sent.
 *
 * With an `AnthropicBedrock` or `AnthropicVertex` client the same requests go to Claude on Bedrock
 * or Vertex AI (model ids such as `anthropic.claude-sonnet-4-5-20250929-v1:0` or `claude-sonnet-4-5@20250929`),
 * on either transport; Bedrock's in-band exceptions (`throttlingException`, …) keep their codes.
 *
 * @example
 * const tokenwire = createTokenwire({ providers: { anthropic: createAnthropicAdapter({ apiKey }) } });
 * const onBedrock = createAnthropicAdapter({ client: new AnthropicBedrock({ awsRegion: 'us-east-1' }), provider: 'claude-bedrock' });
 */
export function createAnthropicAdapter<Client extends AnthropicMessagesClient>(
  settings: AnthropicAdapterSettings<Client> & { client: Client },
): AnthropicAdapter<Client>;
/** Creates the adapter over an `Anthropic` client: the one passed in, or one created from the settings on first use. */
export function createAnthropicAdapter(settings?: AnthropicAdapterSettings): AnthropicAdapter;
export function createAnthropicAdapter<Client extends AnthropicMessagesClient = Anthropic>(
  settings: AnthropicAdapterSettings<Client> = {},
): AnthropicAdapter<Client> {
  const provider = typeof settings.provider === 'string' ? settings.provider : 'anthropic';
  const structuredOutput = settings.structuredOutput ?? 'native';
  const { defaultMaxTokens, headers, clientOptions } = settings;
  const target: AnthropicSendTarget = {
    provider,
    paramsOptions:
      defaultMaxTokens === undefined ? { structuredOutput } : { defaultMaxTokens, structuredOutput },
  };
  registerSettingsCredentials(settings);
  // Without a client the adapter creates an `Anthropic`, which is then its `Client`.
  let client: AnthropicMessagesClient | undefined = settings.client;
  return defineAdapter({
    ...{ name: 'anthropic', provider, settings, settingKinds: ANTHROPIC_SETTING_KINDS, wire: 'sse' as const },
    checkSettings: () => defaultMaxTokensProblem(defaultMaxTokens, provider),
    client: () => {
      client ??= createAnthropicClient(settings, provider);
      return client as Client;
    },
    checkRequest: (request) => {
      const defaults = clientOptions?.defaultHeaders as Record<string, string> | undefined;
      const version = apiVersionOf(request.headers, headers, defaults);
      return checkAnthropicRequest(request, provider, version, structuredOutput);
    },
    send: (sdkClient, request, context) => sendAnthropic(target, sdkClient, request, context),
    record: anthropicRecord,
    translator: anthropicTranslator(provider, structuredOutput),
    normalizeError: (error, context) =>
      bedrockStreamException(error, provider, context.beforeOutput) ??
      normalizeAnthropicError(error, provider),
    // Only once the first send found it free of credentials.
    endpoint: () => (target.baseURLChecked === true ? client?.baseURL : undefined),
  });
}

/**
 * The uniform factory core calls for configuration-driven loading (`providers: { claude: { adapter:
 * 'anthropic', … } }`, or none): the same as `createAnthropicAdapter`, with the settings checked the
 * same way. The key defaults to ANTHROPIC_API_KEY.
 */
export function createAdapter(settings: ProviderSettings & { provider: string }): AnthropicAdapter {
  return createAnthropicAdapter(settings as AnthropicAdapterSettings);
}
