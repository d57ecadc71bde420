import { Anthropic, type ClientOptions } from '@anthropic-ai/sdk';
import type { RawMessageStreamEvent } from '@anthropic-ai/sdk/resources/messages';
import {
  type Adapter,
  type AdapterContext,
  type ChatRequest,
  type ChunkStream,
  deltasFromChunkStream,
  type ProviderSettings,
  registerSecret,
  TokenwireError,
} from '@tokenwire/core';
import { normalizeAnthropicError } from './anthropic-errors.js';
import { toAnthropicParams } from './anthropic-messages.js';
import { createAnthropicStreamState, translateAnthropicEventInto } from './anthropic-stream.js';

/** Settings of `createAnthropicAdapter`. All optional. */
export interface AnthropicAdapterSettings {
  /**
   * A configured `Anthropic` client, used as is and exposed as `adapter.client`. Its own retries
   * are turned off per request (tokenwire retries). When omitted, a client is created on first use.
   */
  client?: Anthropic;
  /** API key. Default: the ANTHROPIC_API_KEY environment variable. Ignored when `client` is given. */
  apiKey?: string;
  /** API base URL without `/v1`. Default: ANTHROPIC_BASE_URL, else https://api.anthropic.com. */
  baseURL?: string;
  /** Headers sent with every request (e.g. `anthropic-beta`, or `x-api-key` for gateways that need it). */
  headers?: Record<string, string>;
  /** Per-request timeout of the SDK in milliseconds. Default: the SDK's (600,000). */
  timeout?: number;
  /** `max_tokens` when a request sets no `maxTokens`. Default 4096 (plus the thinking budget). */
  defaultMaxTokens?: number;
  /** Provider name reported in events and errors. Default 'anthropic'. */
  provider?: string;
  /** Further options for the created client (`fetch`, `logLevel`, …). `maxRetries` is always 0. */
  clientOptions?: Omit<ClientOptions, 'apiKey' | 'baseURL' | 'maxRetries'>;
}

/** The Anthropic adapter: an `Adapter` that also exposes the SDK client it uses. */
export interface AnthropicAdapter extends Adapter {
  open(request: ChatRequest, context: AdapterContext): Promise<ChunkStream<RawMessageStreamEvent>>;
  /** The `Anthropic` client: the one passed in, or the one created (on first access) from the settings. */
  readonly client: Anthropic;
}

/**
 * Creates the adapter that streams Claude models through the official `@anthropic-ai/sdk`
 * (`messages.create({ stream: true })`, raw events). No client is created until the first
 * request; a missing API key is then a `configuration` error naming ANTHROPIC_API_KEY.
 *
 * @example
 * const tokenwire = createTokenwire({ providers: { anthropic: createAnthropicAdapter({ apiKey }) } });
 */
export function createAnthropicAdapter(settings: AnthropicAdapterSettings = {}): AnthropicAdapter {
  const provider = settings.provider ?? 'anthropic';
  registerSecret(settings.apiKey);
  let client = settings.client;

  const getClient = (): Anthropic => {
    if (client !== undefined) return client;
    const apiKey = settings.apiKey ?? globalThis.process?.env?.ANTHROPIC_API_KEY;
    if (!apiKey) {
      throw new TokenwireError({
        code: 'configuration',
        provider,
        message: `No Anthropic API key for provider '${provider}': set the ANTHROPIC_API_KEY environment variable or pass apiKey in the adapter settings.`,
      });
    }
    registerSecret(apiKey);
    const options: ClientOptions = { ...settings.clientOptions, apiKey, maxRetries: 0 };
    if (settings.baseURL !== undefined) options.baseURL = settings.baseURL;
    if (settings.headers !== undefined) options.defaultHeaders = settings.headers;
    if (settings.timeout !== undefined) options.timeout = settings.timeout;
    client = new Anthropic(options);
    return client;
  };

  const paramsOptions =
    settings.defaultMaxTokens === undefined ? {} : { defaultMaxTokens: settings.defaultMaxTokens };

  return {
    name: provider,
    get client() {
      return getClient();
    },
    // The fast path: the runtime iterates the SDK's stream itself and calls the synchronous
    // translator, so no async generator sits between the SDK and the consumer.
    async open(request, context): Promise<ChunkStream<RawMessageStreamEvent>> {
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
    stream(request, context) {
      return deltasFromChunkStream(() => this.open(request, context));
    },
    normalizeError: (error) => normalizeAnthropicError(error, provider),
  };
}

/**
 * The uniform factory core calls for configuration-driven loading (`providers: { anthropic: {…} }`
 * or none): the settings of `createAnthropicAdapter` (`apiKey`, `baseURL`, `headers`, `timeout`,
 * `defaultMaxTokens`, `client`, `clientOptions`) plus `provider`. The key defaults to ANTHROPIC_API_KEY.
 * A setting of the wrong type is a `configuration` error.
 */
export function createAdapter(settings: ProviderSettings & { provider: string }): AnthropicAdapter {
  const adapterSettings: AnthropicAdapterSettings = { provider: settings.provider };
  if (settings.client !== undefined) adapterSettings.client = settings.client as Anthropic;
  if (settings.apiKey !== undefined) adapterSettings.apiKey = readSetting(settings, 'apiKey', 'string');
  if (settings.baseURL !== undefined) adapterSettings.baseURL = readSetting(settings, 'baseURL', 'string');
  if (settings.headers !== undefined) {
    adapterSettings.headers = readSetting(settings, 'headers', 'object') as Record<string, string>;
  }
  if (settings.timeout !== undefined) adapterSettings.timeout = readSetting(settings, 'timeout', 'number');
  if (settings.clientOptions !== undefined) {
    adapterSettings.clientOptions = readSetting(settings, 'clientOptions', 'object') as ClientOptions;
  }
  if (settings.defaultMaxTokens !== undefined) {
    adapterSettings.defaultMaxTokens = readSetting(settings, 'defaultMaxTokens', 'number');
  }
  return createAnthropicAdapter(adapterSettings);
}

type TypeNames = { string: string; number: number; object: object };

function readSetting<Name extends keyof TypeNames>(
  settings: ProviderSettings & { provider: string },
  key: string,
  type: Name,
): TypeNames[Name] {
  const value = settings[key];
  if (typeof value === type && value !== null) return value as TypeNames[Name];
  throw new TokenwireError({
    code: 'configuration',
    provider: settings.provider,
    message: `The setting '${key}' of provider '${settings.provider}' must be a ${type}, not ${value === null ? 'null' : typeof value}.`,
  });
}
