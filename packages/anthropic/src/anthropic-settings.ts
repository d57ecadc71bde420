import type { Anthropic, ClientOptions } from '@anthropic-ai/sdk';
import type { TokenwireError } from '@tokenwire/core';
import type { Environment, SettingKind } from '@tokenwire/core/adapter';
import { settingProblem } from '@tokenwire/core/internal';
import type { AnthropicMessagesClient } from './anthropic-client.js';
import type { AnthropicStructuredOutput } from './anthropic-json-answer.js';

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
   * Where ANTHROPIC_API_KEY is read instead of `process.env`: a Worker's
   * `env` bindings. Default: `process.env` where it exists; `createTokenwire({ env })` passes its own.
   */
  env?: Environment;
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
   * Credential-bearing `defaultHeaders` are registered as secrets. `logger` defaults to core's
   * `sdkLogger`: the SDK's console, without its two lines about a malformed record (the stream's
   * `error` event reports it).
   */
  clientOptions?: Omit<ClientOptions, 'apiKey' | 'baseURL' | 'maxRetries'>;
  /**
   * Who reads the response body. Both send the request through the SDK (auth, base URL, headers,
   * its `APIError`s for non-2xx answers). `'direct'` (default) takes the raw 200 response
   * (`.asResponse()`) and core reads its SSE body synchronously, one async step per network read,
   * each record made into the event the SDK would have yielded (`anthropicRecord`) for the same
   * translator: in-band `event: error` records become the SDK's own status-less `APIError`, as
   * with `'sdk'`. `'sdk'` iterates the SDK's `Stream` (the escape hatch, should a proxy or an SDK
   * change need it).
   */
  transport?: 'direct' | 'sdk';
}

/** Every setting the adapter knows, with its kind; core refuses unknown keys by name. */
export const ANTHROPIC_SETTING_KINDS: Readonly<
  Record<keyof AnthropicAdapterSettings<AnthropicMessagesClient>, SettingKind>
> = {
  client: 'object',
  apiKey: 'string',
  env: 'object',
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
 * The `configuration` error of a `defaultMaxTokens` that is not a whole number of at least 1 (it
 * goes into every request body as `max_tokens`, which the API requires to be at least 1); undefined
 * when it is unset, fits, or is of the wrong kind (which core's settings check reports).
 */
export function defaultMaxTokensProblem(value: unknown, provider: string): TokenwireError | undefined {
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
