import { Coordination } from '../coordinate/coordination.js';
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
import { decisionProblem } from '../tools/tool-approvals.js';
import { ToolLoop } from '../tools/tool-loop.js';
import { countTokensWith } from './count-tokens.js';
import { type Middleware, wrapAdapter } from './middleware.js';
import { importAdapterModule, ProviderRegistry } from './providers.js';
import { resolveRetryOptions } from './retry-policy.js';
import { resolveLimits } from './stream-limits.js';
import type { StreamPlan, StreamTarget } from './stream-plan.js';
import { StreamRuntime } from './stream-runtime.js';
import {
  DEFAULT_IDLE_TIMEOUT_MS,
  DEFAULT_MAX_STEPS,
  type StreamRequest,
  type Tokenwire,
  type TokenwireConfig,
} from './tokenwire-config.js';
import type { TokenwireStream } from './tokenwire-stream.js';

export type { StreamRequest, Tokenwire, TokenwireConfig } from './tokenwire-config.js';
export { DEFAULT_IDLE_TIMEOUT_MS, DEFAULT_MAX_STEPS } from './tokenwire-config.js';

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
  const env = configProblem === undefined ? config.env : undefined;
  if (env !== undefined) registerEnvironmentSecrets(env);
  const registry = new ProviderRegistry(providers, config.loadModule ?? importAdapterModule, env);
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
  const setup: ClientSetup = { configProblem, coordination, adapterOf, retries, defaults, limits, scope };
  return {
    adapter: (provider) =>
      configProblem === undefined ? registry.adapter(provider) : Promise.reject(configProblem),
    stream: <Output>(request: StreamRequest<Output>) => streamOf(setup, request),
    countTokens: (request) =>
      configProblem === undefined
        ? countTokensWith(adapterOf, parseModelString, request)
        : Promise.reject(configProblem),
  };
}

/** What every stream of a client shares, resolved once from its configuration. */
interface ClientSetup {
  configProblem: TokenwireError | undefined;
  coordination: Coordination | undefined;
  adapterOf: (provider: string) => Promise<Adapter>;
  retries: StreamPlan['retries'];
  defaults: Timeouts | undefined;
  limits: StreamPlan['limits'];
  scope: HookScope;
}

/** The stream of one request: its plan checked and routed, then a StreamRuntime, or a ToolLoop with executable tools. */
function streamOf<Output>(setup: ClientSetup, request: StreamRequest<Output>): TokenwireStream<Output> {
  const { model, signal, timeouts, responseFormat, tools, maxSteps, hooks, ...fields } = request;
  const chatRequest: Omit<ChatRequest, 'model'> = fields;
  const plan: StreamPlan = {
    targets: [],
    request: chatRequest,
    retries: setup.retries,
    timeouts: { idleMs: DEFAULT_IDLE_TIMEOUT_MS, ...setup.defaults, ...timeouts },
    limits: setup.limits,
  };
  if (signal !== undefined) plan.signal = signal;
  const runners = planRequest(setup, plan, request, chatRequest);
  if (plan.problem !== undefined) {
    plan.targets = [
      { provider: 'tokenwire', model: String(model), adapter: () => Promise.reject(plan.problem) },
    ];
    // A refused request reads neither its signal nor its timeouts: they may be what is wrong.
    delete plan.signal;
    plan.timeouts = {};
    return new StreamRuntime(plan) as TokenwireStream<Output>;
  }
  const runner = hookRunnerOf(setup.scope, hooks, chatRequest);
  if (runner !== undefined) plan.hooks = runner;
  if (runners !== undefined && runners.size > 0)
    return new ToolLoop(plan, runners, maxSteps ?? DEFAULT_MAX_STEPS) as unknown as TokenwireStream<Output>;
  return new StreamRuntime(plan) as TokenwireStream<Output>;
}

/** Checks the request and routes it (`plan.problem` when it is refused); returns its tool runners. */
function planRequest(
  setup: ClientSetup,
  plan: StreamPlan,
  request: StreamRequest<unknown>,
  chatRequest: Omit<ChatRequest, 'model'>,
): ResolvedTools['runners'] | undefined {
  const { model, responseFormat, tools } = request;
  const { coordination } = setup;
  try {
    plan.problem =
      setup.configProblem ??
      findRequestProblem(request) ??
      requestSizeProblem(chatRequest, setup.limits.request);
    if (plan.problem === undefined && chatRequest.headers !== undefined)
      registerSecretHeaders(chatRequest.headers);
    const group = coordination?.groupTargets(model, parseModelString);
    if (group === undefined) plan.targets = targetsOf(model, setup.adapterOf);
    else (coordination as Coordination).route(plan, model as string, group);
    if (plan.problem === undefined) return resolveRequest(plan, chatRequest, responseFormat, tools);
  } catch (error) {
    plan.problem ??= error as TokenwireError;
  }
  return undefined;
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
  plan.problem = decisionProblem(chatRequest.messages, runners);
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
