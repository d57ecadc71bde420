import type { Anthropic, ClientOptions } from '@anthropic-ai/sdk';
import type { RawMessageStreamEvent } from '@anthropic-ai/sdk/resources/messages';
import type { TokenwireError } from '@tokenwire/core';
import {
  type ChunkStream,
  defineAdapter,
  type ProviderSettings,
  type SettingKind,
  type VendorAdapter,
} from '@tokenwire/core/adapter';
import { registerSecretHeaders, settingProblem } from '@tokenwire/core/internal';
import {
  type AnthropicMessagesClient,
  bedrockStreamException,
  clientBaseURLProblem,
  createAnthropicClient,
  registerClientSecrets,
} from './anthropic-client.js';
import { openAnthropicDirectStream } from './anthropic-direct.js';
import { normalizeAnthropicError } from './anthropic-errors.js';
import { type AnthropicStructuredOutput, jsonAnswerMethodOf } from './anthropic-json-answer.js';
import { type AnthropicParamsOptions, toAnthropicParams } from './anthropic-messages.js';
import { apiVersionOf, checkAnthropicRequest } from './anthropic-request-limits.js';
import { createAnthropicStreamState, translateAnthropicEventInto } from './anthropic-stream.js';

export type { AnthropicMessagesClient } from './anthropic-client.js';

/** Settings of `createAnthropicAdapter` (and of `providers.anthropic` in `createTokenwire`). All optional. */
export interface AnthropicAdapterSettings<Client extends AnthropicMessagesClient = Anthropic> {
  /**
   * A configured client, used as is and exposed as `adapter.client`: an `Anthropic`, or Claude on
   * a cloud through `AnthropicBedrock` (`@anthropic-ai/bedrock-sdk`) or `AnthropicVertex`
   * (`@anthropic-ai/vertex-sdk`), which authenticate with AWS or Google credentials. Its own
   * retries are turned off per request (tokenwire retries). Its `apiKey`, `authToken`, AWS keys,
   * access token and credential-bearing default headers are registered as secrets. When omitted,
   * an `Anthropic` client is created on first use, and `apiKey`, `baseURL`, `headers`, `timeout`
   * and `clientOptions` configure it.
   */
  client?: Client;
  /** API key. Default: the ANTHROPIC_API_KEY environment variable. Ignored when `client` is given. */
  apiKey?: string;
  /**
   * API base URL without `/v1`. Default: ANTHROPIC_BASE_URL (read by the SDK), else
   * https://api.anthropic.com. A URL with credentials (`user:password@`) is refused, unquoted.
   */
  baseURL?: string;
  /** Headers sent with every request (e.g. `anthropic-beta`, or `x-api-key` for gateways that need it). */
  headers?: Record<string, string>;
  /** Per-request timeout of the SDK in milliseconds. Default: the SDK's (600,000). */
  timeout?: number;
  /** `max_tokens` when a request sets no `maxTokens`: a whole number of at least 1. Default 4096 (plus the thinking budget). */
  defaultMaxTokens?: number;
  /** Provider name reported in events and errors. Default 'anthropic'. */
  provider?: string;
  /**
   * How a `json_schema` response format is sent. Default `'native'`: as `output_config.format`,
   * for the Claude models with structured outputs. `'tool'`: as the input schema of a forced tool
   * named `json`, for models without structured outputs (Claude 3.x, Haiku 3.5) and gateways that
   * strip `output_config`; the schema must then be an object schema. `{ type: 'json' }` always goes
   * through that tool. With extended thinking on, which refuses forced tool use, the tool gives way
   * to a JSON instruction after the system prompt. Either way the answer arrives as text: the same
   * `token`, `partial_object` and `finish.object`.
   * @see https://platform.claude.com/docs/en/build-with-claude/structured-outputs
   */
  structuredOutput?: AnthropicStructuredOutput;
  /**
   * Further options for the created client (`fetch`, `logLevel`, …). `maxRetries` is always 0.
   * Credential-bearing `defaultHeaders` are registered as secrets.
   */
  clientOptions?: Omit<ClientOptions, 'apiKey' | 'baseURL' | 'maxRetries'>;
  /**
   * Who reads the response body. Both send the request through the SDK (auth, base URL, headers,
   * its `APIError`s for non-2xx answers). `'direct'` (default) takes the raw 200 response
   * (`.asResponse()`) and frames its SSE body synchronously, one async step per network read,
   * yielding the same events to the same translator: in-band `event: error` records become the
   * SDK's own status-less `APIError`, as with `'sdk'`. `'sdk'` iterates the SDK's `Stream` (the
   * escape hatch, should a proxy or an SDK change need it).
   */
  transport?: 'direct' | 'sdk';
}

/** The Anthropic adapter: `name` 'anthropic', the provider it serves, and the SDK client it uses as `client`. */
export type AnthropicAdapter<Client extends AnthropicMessagesClient = Anthropic> = VendorAdapter<
  Client,
  RawMessageStreamEvent
>;

// Every setting the adapter knows, with its kind; core refuses unknown keys by name.
const SETTING_KINDS: Readonly<Record<keyof AnthropicAdapterSettings<AnthropicMessagesClient>, SettingKind>> =
  {
    client: 'object',
    apiKey: 'string',
    baseURL: 'url',
    headers: 'headers',
    timeout: 'number',
    defaultMaxTokens: 'number',
    provider: 'string',
    structuredOutput: ['native', 'tool'],
    clientOptions: 'object',
    transport: ['direct', 'sdk'],
  };

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
  const direct = settings.transport !== 'sdk';
  const paramsOptions: AnthropicParamsOptions =
    settings.defaultMaxTokens === undefined
      ? { structuredOutput }
      : { defaultMaxTokens: settings.defaultMaxTokens, structuredOutput };
  const setupProblem = defaultMaxTokensProblem(settings.defaultMaxTokens, provider);
  registerSettingsCredentials(settings);
  let client: AnthropicMessagesClient | undefined = settings.client;
  // Without a client the adapter creates an `Anthropic`, which is then its `Client`.
  const getClient = (): Client => {
    client ??= createAnthropicClient(settings, provider);
    return client as Client;
  };
  let baseURLChecked = false;
  // The client to send with: its base URL is checked once (a passed client's, or ANTHROPIC_BASE_URL).
  const sendingClient = (): AnthropicMessagesClient => {
    const current = getClient();
    if (!baseURLChecked) {
      const problem = clientBaseURLProblem(current, provider);
      if (problem !== undefined) throw problem;
      baseURLChecked = true;
    }
    return current;
  };

  return defineAdapter({
    name: 'anthropic',
    provider,
    settings,
    settingKinds: SETTING_KINDS,
    client: getClient,
    checkRequest: (request) =>
      checkAnthropicRequest(
        request,
        provider,
        apiVersionOf(
          request.headers,
          settings.headers,
          settings.clientOptions?.defaultHeaders as Record<string, string>,
        ),
        structuredOutput,
      ),
    // The fast path: the runtime iterates the SDK's stream itself and calls the synchronous
    // translator, so no async generator sits between the SDK and the consumer. The chunks are the
    // SDK's events, or with the direct transport the body's network reads.
    async open(request, context): Promise<ChunkStream<RawMessageStreamEvent | Uint8Array>> {
      if (setupProblem !== undefined) throw setupProblem;
      const params = toAnthropicParams(request, paramsOptions);
      const options = {
        signal: context.signal,
        maxRetries: 0,
        ...(request.headers === undefined ? {} : { headers: request.headers }),
      };
      const state = createAnthropicStreamState(provider, {
        jsonAnswerTool: jsonAnswerMethodOf(request, structuredOutput) === 'tool',
      });
      if (direct) {
        // The SDK sends the request and throws its APIError for a non-2xx answer; the body is ours.
        const response = await sendingClient().messages.create(params, options).asResponse();
        return openAnthropicDirectStream(response, {
          provider,
          maxRecordBytes: context.maxRecordBytes,
          translateEvent: (event, out) => translateAnthropicEventInto(event, state, out),
        });
      }
      const events = await sendingClient().messages.create(params, options);
      const sdkStream: ChunkStream<RawMessageStreamEvent> = {
        // On abort the SDK ends this iteration silently; the runtime has already ended the stream.
        chunks: events,
        // True at message_stop: the runtime finishes and closes, even if the server holds the connection.
        translate: (event, out) => translateAnthropicEventInto(event, state, out),
        close: () => events.controller.abort(),
      };
      return sdkStream;
    },
    normalizeError: (error, context) =>
      bedrockStreamException(error, provider, context?.beforeOutput) ??
      normalizeAnthropicError(error, provider),
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

// `apiKey` and `headers` are registered by core (defineAdapter); these are the credentials it
// does not know about: a passed client's and the created client's `clientOptions.defaultHeaders`.
function registerSettingsCredentials(settings: AnthropicAdapterSettings<AnthropicMessagesClient>): void {
  if (typeof settings.client === 'object' && settings.client !== null) registerClientSecrets(settings.client);
  const options = settings.clientOptions;
  if (typeof options === 'object' && options !== null) registerSecretHeaders(options.defaultHeaders);
}

// The setting goes into every request body as max_tokens, which the API requires to be at least 1.
function defaultMaxTokensProblem(value: unknown, provider: string): TokenwireError | undefined {
  if (value === undefined || typeof value !== 'number' || (Number.isSafeInteger(value) && value >= 1)) {
    return undefined; // unset, or of the wrong kind (reported by core's settings check)
  }
  return settingProblem(
    `defaultMaxTokens (provider '${provider}')`,
    'must be a whole number of at least 1',
    value,
    provider,
  );
}
