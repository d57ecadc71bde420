import type { Coordinator, ProviderLimits } from '../coordinate/coordinator.js';
import type { DeploymentGroup } from '../coordinate/deployments.js';
import type { PriceSource } from '../model/cost-types.js';
import type { Tool } from '../model/tool-types.js';
import type { Adapter, ChatRequest, ResponseFormat, Timeouts, TokenCount } from '../model/types.js';
import type { TokenwireHooks } from '../observe/hook-types.js';
import type { CountTokensRequest } from './count-tokens.js';
import type { Environment } from './environment.js';
import type { Middleware } from './middleware.js';
import type { ModuleLoader, ProviderSettings } from './providers.js';
import type { RetryOptions } from './retry-policy.js';
import type { MaxBytes } from './stream-limits.js';
import type { TokenwireStream } from './tokenwire-stream.js';

/** Configuration of a tokenwire client: plain data, except for adapters passed as objects. */
export interface TokenwireConfig {
  /**
   * Provider name -> an `Adapter`, or settings for the adapter package that serves it. Providers
   * that are not listed load `@tokenwire/<name>` on first use with default settings (keys from
   * the usual environment variables: OPENAI_API_KEY, ANTHROPIC_API_KEY, GEMINI_API_KEY, …).
   */
  providers?: Record<string, Adapter | ProviderSettings>;
  /**
   * Where keys and other settings are read instead of `process.env`: a Worker's `env` bindings,
   * `Deno.env.toObject()`. Passed as `env` to the adapters created from settings (an adapter object
   * takes its own `env` setting). Default: `process.env` where it exists, else none.
   */
  env?: Environment;
  /** Retries before the first content event; a number is `maxRetries`. Default 2 retries. */
  retries?: RetryOptions | number;
  /**
   * Default time limits of every stream, in milliseconds above 0. Default: `idleMs` 300,000; no
   * first-token or total limit.
   */
  timeouts?: Timeouts;
  /**
   * How adapter packages are imported, for bundlers and tests. Default: `import()` from core's own
   * folder, then from the application's (`process.cwd()`), which finds adapters installed beside
   * core where core's folder cannot see them (pnpm without hoisting, workspaces, linked packages).
   */
  loadModule?: ModuleLoader;
  /**
   * Header names whose values are credentials, beyond the ones tokenwire knows (Authorization,
   * Proxy-Authorization, x-api-key, api-key, x-goog-api-key, and names with auth, token, secret,
   * key, password or credential in them). Their values, in provider settings or requests, are
   * redacted from every error, event and log line like API keys.
   */
  secretHeaders?: string[];
  /**
   * Size limits: the arguments of one tool call (default 4 MiB), one record of a vendor stream
   * (default 8 MiB), an error message (default 2,000 characters). Crossing the first two ends the
   * stream with `invalid_response` naming the limit; a longer error message is cut.
   */
  maxBytes?: MaxBytes;
  /**
   * Called at the moments of every stream's life (request, first content, retry, fallback, step,
   * tool result, finish, error), never per delta. `@tokenwire/otel` gives hooks that trace. Default none.
   */
  hooks?: TokenwireHooks[];
  /**
   * Prices for `finish.cost` (USD): a table keyed `'provider/model'` (or model id) of prices per
   * million tokens, or a function such as `fromGenaiPrices(genaiPrices)`. Default none: no cost.
   * A model without a price gets no cost (never $0) and one `unknown_price` warning.
   */
  prices?: PriceSource;
  /**
   * Middleware around every provider's adapter (see `wrapAdapter`): request transforms, delta
   * observers, caches. Default none, which costs nothing.
   */
  middleware?: Middleware[];
  /**
   * Limits per provider (`openai`) or model (`'openai/gpt-4.1'`), per API key: `concurrent` streams,
   * `requestsPerMinute`, `tokensPerMinute`. A stream waits for a slot (the wait counts against
   * `firstTokenMs` and ends with the stream) and gives it back however it ends. Default none.
   */
  limits?: Record<string, ProviderLimits>;
  /**
   * What replicas share: limits, cooldowns (a 429's `retry-after` holds that key for every replica),
   * deployment cooldowns, resumable streams. Default: `inMemoryCoordinator()` (one process);
   * `redisCoordinator()` from `@tokenwire/redis` for many.
   */
  coordinator?: Coordinator;
  /**
   * Model names that stand for several deployments, e.g. `{ 'gpt-4.1': { deployments: [{ model:
   * 'azure-eastus/gpt-4.1', weight: 2 }, { model: 'openai/gpt-4.1' }] } }`: `model: 'gpt-4.1'` then
   * takes one out of cooldown and falls back to the others. Default none.
   */
  deployments?: Record<string, DeploymentGroup>;
}

/** A request to `tokenwire.stream()`: the normalized request with a `provider/model` string. */
export interface StreamRequest<Output = unknown>
  extends Omit<ChatRequest, 'model' | 'responseFormat' | 'tools'> {
  /** `'provider/model'`, or a list of them tried in order on retryable errors (fallbacks). */
  model: string | string[];
  /** Aborting it cancels the stream (ends with `finish` reason `cancelled`). */
  signal?: AbortSignal;
  /** Time limits of this stream, over the client's defaults. */
  timeouts?: Timeouts;
  /**
   * The shape of the answer: `{ type: 'json' }`, or `{ type: 'json_schema', schema }` with a JSON
   * Schema or a Standard Schema (zod 4, valibot, arktype), whose output type types `finish.object`.
   * `partial_object` events then carry the answer parsed so far.
   */
  responseFormat?: ResponseFormat<Output>;
  /**
   * The tools the model may call. Those with `execute` are run by tokenwire, their results sent
   * back, and the next step streamed, in the same stream (see `maxSteps`).
   */
  tools?: Tool[];
  /**
   * With executable tools: the most model steps the stream takes (a step is one request; its tools
   * run after it). Default 10. Reaching it while the model still calls tools ends the stream with
   * `finish.maxStepsReached`.
   */
  maxSteps?: number;
  /** Hooks of this stream only, called after the client's. */
  hooks?: TokenwireHooks[];
}

/** A tokenwire client. */
export interface Tokenwire {
  /**
   * Streams a completion. Nothing is sent until the returned stream is iterated (or `result()` is
   * called), and nothing at all for a request that breaks a rule: the stream then yields its
   * `error` event alone (`invalid_request`, or `configuration` for settings), naming the field.
   */
  stream<Output = unknown>(request: StreamRequest<Output>): TokenwireStream<Output>;
  /** The adapter serving a provider, loading its package if needed. */
  adapter(provider: string): Promise<Adapter>;
  /**
   * The input tokens of a request before sending it: `{ inputTokens, exact, source }`, from the
   * provider's count API or a tokenizer where the adapter has one (`exact: true`), else an
   * estimate (`exact: false`, `source: 'estimate'`). Rejects with the request's `invalid_request`
   * error, naming the field, or the provider's error.
   */
  countTokens(request: CountTokensRequest): Promise<TokenCount>;
}

/** The default idle limit: no delta for five minutes ends the stream. */
export const DEFAULT_IDLE_TIMEOUT_MS = 300_000;

/** The default `maxSteps` of a stream with executable tools. */
export const DEFAULT_MAX_STEPS = 10;
