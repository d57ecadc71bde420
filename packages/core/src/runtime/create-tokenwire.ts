import { Coordination } from '../coordinate/coordination.js';
import type { Coordinator, ProviderLimits } from '../coordinate/coordinator.js';
import type { DeploymentGroup } from '../coordinate/deployments.js';
import type { PriceSource } from '../model/cost-types.js';
import { TokenwireError } from '../model/errors.js';
import { registerEnvironmentSecrets } from '../model/redact.js';
import { markSecretHeader, registerSecretHeaders } from '../model/secret-headers.js';
import type { Tool } from '../model/tool-types.js';
import type { Adapter, ChatRequest, ResponseFormat, Timeouts } from '../model/types.js';
import { HookRunner, type HookScope } from '../observe/hook-runner.js';
import type { TokenwireHooks } from '../observe/hook-types.js';
import { requestSizeProblem } from '../request/request-size.js';
import { resolveResponseFormat } from '../request/structured-output.js';
import { findRequestProblem } from '../request/validate-request.js';
import { findConfigProblem } from '../request/validate-settings.js';
import { type ResolvedTools, resolveTools } from '../tools/resolve-tools.js';
import { ToolLoop } from '../tools/tool-loop.js';
import { type Middleware, wrapAdapter } from './middleware.js';
import {
  importAdapterModule,
  type ModuleLoader,
  ProviderRegistry,
  type ProviderSettings,
} from './providers.js';
import { type RetryOptions, resolveRetryOptions } from './retry-policy.js';
import { type MaxBytes, resolveLimits } from './stream-limits.js';
import type { StreamPlan, StreamTarget } from './stream-plan.js';
import { StreamRuntime } from './stream-runtime.js';
import type { TokenwireStream } from './tokenwire-stream.js';

/** Configuration of a tokenwire client: plain data, except for adapters passed as objects. */
export interface TokenwireConfig {
  /**
   * Provider name -> an `Adapter`, or settings for the adapter package that serves it. Providers
   * that are not listed load `@tokenwire/<name>` on first use with default settings (keys from
   * the usual environment variables: OPENAI_API_KEY, ANTHROPIC_API_KEY, GEMINI_API_KEY, …).
   */
  providers?: Record<string, Adapter | ProviderSettings>;
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
}

/** The default idle limit: no delta for five minutes ends the stream. */
export const DEFAULT_IDLE_TIMEOUT_MS = 300_000;

/** The default `maxSteps` of a stream with executable tools. */
export const DEFAULT_MAX_STEPS = 10;

/**
 * Creates a tokenwire client from configuration. Never throws: a configuration problem (an
 * unknown option, a timeout of 0) is the `configuration` error of every stream of the client.
 *
 * @example
 * const tokenwire = createTokenwire();
 * for await (const event of tokenwire.stream({ model: 'openai/gpt-4.1', messages })) { … }
 */
export function createTokenwire(config: TokenwireConfig = {}): Tokenwire {
  registerEnvironmentSecrets();
  const configProblem = findConfigProblem(config);
  if (configProblem === undefined) for (const name of config.secretHeaders ?? []) markSecretHeader(name);
  const providers = configProblem === undefined ? (config.providers ?? {}) : {};
  const registry = new ProviderRegistry(providers, config.loadModule ?? importAdapterModule);
  const middleware = configProblem === undefined ? (config.middleware ?? []) : [];
  const registryAdapterOf =
    middleware.length === 0
      ? (provider: string) => registry.adapter(provider)
      : wrappedAdapters(registry, middleware);
  const coordination = configProblem === undefined ? Coordination.of(config, registryAdapterOf) : undefined;
  const adapterOf =
    coordination === undefined ? registryAdapterOf : (provider: string) => coordination.adapter(provider);
  const retries = resolveRetryOptions(configProblem === undefined ? config.retries : undefined);
  const defaults = configProblem === undefined ? config.timeouts : undefined;
  const limits = resolveLimits(configProblem === undefined ? config.maxBytes : undefined);
  const scope: HookScope = {
    hooks: configProblem === undefined ? (config.hooks ?? []) : [],
    prices: configProblem === undefined ? config.prices : undefined,
    warnedPrices: new Set(),
  };
  return {
    adapter: (provider) =>
      configProblem === undefined ? registry.adapter(provider) : Promise.reject(configProblem),
    stream<Output>(request: StreamRequest<Output>): TokenwireStream<Output> {
      const { model, signal, timeouts, responseFormat, tools, maxSteps, hooks, ...fields } = request;
      const chatRequest: Omit<ChatRequest, 'model'> = fields;
      const plan: StreamPlan = {
        targets: [],
        request: chatRequest,
        retries,
        timeouts: { idleMs: DEFAULT_IDLE_TIMEOUT_MS, ...defaults, ...timeouts },
        limits,
      };
      if (signal !== undefined) plan.signal = signal;
      let runners: ResolvedTools['runners'] | undefined;
      try {
        plan.problem =
          configProblem ?? findRequestProblem(request) ?? requestSizeProblem(chatRequest, limits.request);
        if (plan.problem === undefined && chatRequest.headers !== undefined)
          registerSecretHeaders(chatRequest.headers);
        const group = coordination?.groupTargets(model, parseModelString);
        if (group === undefined) plan.targets = targetsOf(model, adapterOf);
        else (coordination as Coordination).route(plan, model as string, group);
        if (plan.problem === undefined) runners = resolveRequest(plan, chatRequest, responseFormat, tools);
      } catch (error) {
        plan.problem ??= error as TokenwireError;
      }
      if (plan.problem !== undefined) {
        plan.targets = [
          { provider: 'tokenwire', model: String(model), adapter: () => Promise.reject(plan.problem) },
        ];
        // A refused request reads neither its signal nor its timeouts: they may be what is wrong.
        delete plan.signal;
        plan.timeouts = {};
      } else {
        const runner = hookRunnerOf(scope, hooks, chatRequest);
        if (runner !== undefined) plan.hooks = runner;
      }
      if (plan.problem === undefined && runners !== undefined && runners.size > 0) {
        return new ToolLoop(
          plan,
          runners,
          maxSteps ?? DEFAULT_MAX_STEPS,
        ) as unknown as TokenwireStream<Output>;
      }
      return new StreamRuntime(plan) as TokenwireStream<Output>;
    },
  };
}

/** Puts the provider's response format and tool definitions on the request; returns the tool runners. */
function resolveRequest(
  plan: StreamPlan,
  chatRequest: Omit<ChatRequest, 'model'>,
  responseFormat: ResponseFormat | undefined,
  tools: Tool[] | undefined,
): ResolvedTools['runners'] {
  if (responseFormat !== undefined) {
    const resolved = resolveResponseFormat(responseFormat);
    if (resolved.chat !== undefined) chatRequest.responseFormat = resolved.chat;
    if (resolved.structured !== undefined) plan.structured = resolved.structured;
  }
  const { definitions, runners } = resolveTools(tools);
  if (definitions !== undefined) chatRequest.tools = definitions;
  return runners;
}

/** The stream's hook runner, when the client or the request has hooks or prices. */
function hookRunnerOf(
  scope: HookScope,
  hooks: TokenwireHooks[] | undefined,
  request: Omit<ChatRequest, 'model'>,
): HookRunner | undefined {
  if (hooks !== undefined && hooks.length > 0)
    return new HookRunner({ ...scope, hooks: [...scope.hooks, ...hooks] }, request);
  return scope.hooks.length > 0 || scope.prices !== undefined ? new HookRunner(scope, request) : undefined;
}

/** Each provider's adapter with the client's middleware around it, wrapped once. */
function wrappedAdapters(
  registry: ProviderRegistry,
  middleware: Middleware[],
): (provider: string) => Promise<Adapter> {
  const wrapped = new WeakMap<Adapter, Adapter>();
  return async (provider) => {
    const adapter = await registry.adapter(provider);
    let outer = wrapped.get(adapter);
    if (outer === undefined) {
      outer = wrapAdapter(adapter, ...middleware);
      wrapped.set(adapter, outer);
    }
    return outer;
  };
}

function targetsOf(model: unknown, adapterOf: (provider: string) => Promise<Adapter>): StreamTarget[] {
  const models = Array.isArray(model) ? (model as unknown[]) : [model];
  if (models.length === 0) throw malformedModel(model);
  return models.map((entry) => {
    const { provider, modelId } = parseModelString(entry);
    return { provider, model: modelId, adapter: () => adapterOf(provider) };
  });
}

/**
 * Splits `'provider/model'` at the first `/` (model ids may contain `/`). Throws a `configuration`
 * error for anything else.
 */
export function parseModelString(model: unknown): { provider: string; modelId: string } {
  if (typeof model !== 'string') throw malformedModel(model);
  const slash = model.indexOf('/');
  const provider = model.slice(0, slash).trim();
  const modelId = model.slice(slash + 1).trim();
  if (slash <= 0 || provider === '' || modelId === '') throw malformedModel(model);
  return { provider, modelId };
}

function malformedModel(model: unknown): TokenwireError {
  return new TokenwireError({
    code: 'configuration',
    message: `The model ${JSON.stringify(model)} is not a 'provider/model' string. Write it like 'openai/gpt-4.1', 'anthropic/claude-sonnet-4-6' or 'ollama/qwen3'. Nothing was sent.`,
  });
}
