import { Anthropic, type ClientOptions } from '@anthropic-ai/sdk';
import type { RawMessageStreamEvent } from '@anthropic-ai/sdk/resources/messages';
import {
  type ChunkStream,
  defineAdapter,
  loadApiKey,
  type ProviderSettings,
  type SettingKind,
  type TokenwireError,
  type VendorAdapter,
} from '@tokenwire/core';
import { settingProblem } from '@tokenwire/core/internal';
import { normalizeAnthropicError } from './anthropic-errors.js';
import { type AnthropicParamsOptions, toAnthropicParams } from './anthropic-messages.js';
import { apiVersionOf, checkAnthropicRequest } from './anthropic-request-limits.js';
import { createAnthropicStreamState, translateAnthropicEventInto } from './anthropic-stream.js';

/** Settings of `createAnthropicAdapter` (and of `providers.anthropic` in `createTokenwire`). All optional. */
export interface AnthropicAdapterSettings {
  /**
   * A configured `Anthropic` client, used as is and exposed as `adapter.client`. Its own retries
   * are turned off per request (tokenwire retries). When omitted, a client is created on first use,
   * and `apiKey`, `baseURL`, `headers`, `timeout` and `clientOptions` configure it.
   */
  client?: Anthropic;
  /** API key. Default: the ANTHROPIC_API_KEY environment variable. Ignored when `client` is given. */
  apiKey?: string;
  /** API base URL without `/v1`. Default: ANTHROPIC_BASE_URL (read by the SDK), else https://api.anthropic.com. */
  baseURL?: string;
  /** Headers sent with every request (e.g. `anthropic-beta`, or `x-api-key` for gateways that need it). */
  headers?: Record<string, string>;
  /** Per-request timeout of the SDK in milliseconds. Default: the SDK's (600,000). */
  timeout?: number;
  /** `max_tokens` when a request sets no `maxTokens`: a whole number of at least 1. Default 4096 (plus the thinking budget). */
  defaultMaxTokens?: number;
  /** Provider name reported in events and errors. Default 'anthropic'. */
  provider?: string;
  /** Further options for the created client (`fetch`, `logLevel`, …). `maxRetries` is always 0. */
  clientOptions?: Omit<ClientOptions, 'apiKey' | 'baseURL' | 'maxRetries'>;
}

/** The Anthropic adapter: `name` 'anthropic', the provider it serves, and the SDK client it uses as `client`. */
export type AnthropicAdapter = VendorAdapter<Anthropic, RawMessageStreamEvent>;

// Every setting the adapter knows, with its kind; core refuses unknown keys by name.
const SETTING_KINDS: Readonly<Record<keyof AnthropicAdapterSettings, SettingKind>> = {
  client: 'object',
  apiKey: 'string',
  baseURL: 'url',
  headers: 'headers',
  timeout: 'number',
  defaultMaxTokens: 'number',
  provider: 'string',
  clientOptions: 'object',
};

/**
 * Creates the adapter that streams Claude models through the official `@anthropic-ai/sdk`
 * (`messages.create({ stream: true })`, raw events). It never throws: no client is created until
 * the first request, and a missing API key (ANTHROPIC_API_KEY), an unknown setting or a setting of
 * the wrong kind is that request's `configuration` error event. Anthropic's own request limits
 * (see the README) are `invalid_request` errors, and nothing is sent.
 *
 * @example
 * const tokenwire = createTokenwire({ providers: { anthropic: createAnthropicAdapter({ apiKey }) } });
 */
export function createAnthropicAdapter(settings: AnthropicAdapterSettings = {}): AnthropicAdapter {
  const provider = typeof settings.provider === 'string' ? settings.provider : 'anthropic';
  const paramsOptions: AnthropicParamsOptions =
    settings.defaultMaxTokens === undefined ? {} : { defaultMaxTokens: settings.defaultMaxTokens };
  const setupProblem = defaultMaxTokensProblem(settings.defaultMaxTokens, provider);
  let client = settings.client;
  const getClient = (): Anthropic => {
    client ??= createClient(settings, provider);
    return client;
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
      ),
    // The fast path: the runtime iterates the SDK's stream itself and calls the synchronous
    // translator, so no async generator sits between the SDK and the consumer.
    async open(request, context): Promise<ChunkStream<RawMessageStreamEvent>> {
      if (setupProblem !== undefined) throw setupProblem;
      const events = await getClient().messages.create(toAnthropicParams(request, paramsOptions), {
        signal: context.signal,
        maxRetries: 0,
        ...(request.headers === undefined ? {} : { headers: request.headers }),
      });
      const state = createAnthropicStreamState(provider);
      return {
        // On abort the SDK ends this iteration silently; the runtime has already ended the stream.
        chunks: events,
        translate: (event, out) => translateAnthropicEventInto(event, state, out),
        close: () => events.controller.abort(),
      };
    },
    normalizeError: (error) => normalizeAnthropicError(error, provider),
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

function createClient(settings: AnthropicAdapterSettings, provider: string): Anthropic {
  const apiKey = loadApiKey({
    apiKey: settings.apiKey,
    environmentVariables: ['ANTHROPIC_API_KEY'],
    provider,
  });
  const options: ClientOptions = { ...settings.clientOptions, apiKey, maxRetries: 0 };
  if (settings.baseURL !== undefined) options.baseURL = settings.baseURL;
  if (settings.headers !== undefined) options.defaultHeaders = settings.headers;
  if (settings.timeout !== undefined) options.timeout = settings.timeout;
  return new Anthropic(options);
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
