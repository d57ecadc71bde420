import type { Cost, PriceSource } from '../model/cost-types.js';
import type { TokenwireError } from '../model/errors.js';
import { redactSecrets } from '../model/redact.js';
import type { StepFinishEvent, ToolResultEvent } from '../model/tool-types.js';
import type { ChatRequest, ErrorEvent, FinishEvent, Usage } from '../model/types.js';
import { costOf, resolvePrice } from './cost.js';
import type { HookStream, TokenwireHooks, WarningHookEvent } from './hook-types.js';

/** Hook methods already reported as failing, per hook object: each is reported once. */
const reportedFailures = new WeakMap<object, Set<string>>();

/** What a client shares between its streams' runners: unknown prices are warned about once. */
export interface HookScope {
  hooks: readonly TokenwireHooks[];
  prices: PriceSource | undefined;
  /** `'provider/model'` of the models already warned about. */
  warnedPrices: Set<string>;
}

/**
 * The hooks and the prices of one stream: calls each hook at its moment, never letting one break
 * the stream, and prices the usage. Made only for streams with hooks or prices.
 */
export class HookRunner {
  readonly streamId = globalThis.crypto.randomUUID();
  readonly startedAt = Date.now();
  attempts = 0;
  private firstContentAt: number | undefined;
  private request: Readonly<ChatRequest>;
  /** The provider of the last attempt, which an error is about. */
  private lastProvider = 'tokenwire';

  constructor(
    private readonly scope: HookScope,
    request: Readonly<Omit<ChatRequest, 'model'>>,
  ) {
    this.request = request as ChatRequest;
  }

  /** An attempt of `model` is about to be sent. */
  attempt(provider: string, model: string, step: number, toolLoop: boolean, endpoint?: string): void {
    this.attempts++;
    this.lastProvider = provider;
    this.request = { ...this.request, model };
    const about = { ...this.about(provider, model), attempt: this.attempts, step, toolLoop };
    this.call('onRequest', { ...about, ...serverOf(endpoint) });
  }

  /** The stream's first content arrived (reported once, whatever the attempt). */
  firstContent(provider: string, model: string): void {
    if (this.firstContentAt !== undefined) return;
    this.firstContentAt = Date.now();
    const timeToFirstContentMs = this.firstContentAt - this.startedAt;
    this.call('onFirstContent', {
      ...this.about(provider, model),
      attempt: this.attempts,
      timeToFirstContentMs,
    });
  }

  retry(provider: string, model: string, error: TokenwireError, delayMs: number): void {
    this.call('onRetry', { ...this.about(provider, model), attempt: this.attempts, error, delayMs });
  }

  fallback(
    provider: string,
    model: string,
    error: TokenwireError,
    next: { provider: string; model: string },
  ): void {
    this.call('onFallback', { ...this.about(provider, model), attempt: this.attempts, error, next });
  }

  /** An attempt failed and is retried (`delayMs`) or falls back to `nextTarget`. */
  attemptFailed(
    provider: string,
    model: string,
    error: TokenwireError,
    next: { kind: 'retry'; delayMs: number } | { kind: 'fallback' },
    nextTarget: { provider: string; model: string } | undefined,
  ): void {
    if (next.kind === 'retry') this.retry(provider, model, error, next.delayMs);
    else if (nextTarget !== undefined)
      this.fallback(provider, model, error, { provider: nextTarget.provider, model: nextTarget.model });
  }

  /** Puts the cost on a terminal event (when `priced`) and, for a stream of its own (`standalone`), reports its end. */
  settle(
    terminal: FinishEvent | ErrorEvent,
    about: { provider: string; model: string; requested: string; priced: boolean; standalone: boolean },
  ): void {
    const holder = terminal.type === 'finish' ? terminal : terminal.partial;
    const cost = about.priced
      ? this.costOf(about.provider, about.model, about.requested, holder.usage)
      : undefined;
    if (cost !== undefined) holder.cost = cost;
    if (about.standalone) this.end(terminal);
  }

  step(provider: string, model: string, event: StepFinishEvent, cost: Cost | undefined): void {
    this.call('onStep', { ...this.about(provider, model), event, ...(cost === undefined ? {} : { cost }) });
  }

  toolResult(provider: string, model: string, event: ToolResultEvent, toolStartedAt: number): void {
    const durationMs = Date.now() - toolStartedAt;
    this.call('onToolResult', { ...this.about(provider, model), event, toolStartedAt, durationMs });
  }

  /** The stream ended: `onFinish` or `onError`, with the usage, cost and timings. */
  end(terminal: FinishEvent | ErrorEvent): void {
    const timings = {
      attempts: this.attempts,
      durationMs: Date.now() - this.startedAt,
      ...(this.firstContentAt === undefined
        ? {}
        : { timeToFirstContentMs: this.firstContentAt - this.startedAt }),
    };
    if (terminal.type === 'finish') {
      const { provider, model, usage, cost } = terminal;
      this.call('onFinish', {
        ...this.about(provider, model),
        event: terminal,
        usage,
        ...optionalCost(cost),
        ...timings,
      });
    } else {
      const provider = this.lastProvider;
      const { partial } = terminal;
      const about = this.about(provider, this.request.model ?? '');
      this.call('onError', {
        ...about,
        error: terminal.error,
        partial,
        ...optionalCost(partial.cost),
        ...timings,
      });
    }
  }

  /**
   * The cost of `usage`, priced as the model that answered (`gpt-4.1-2025-04-14`) or else as the
   * one requested (`gpt-4.1`); undefined, with one warning per model, when neither has a price.
   */
  costOf(provider: string, answered: string, requested: string, usage: Usage): Cost | undefined {
    const prices = this.scope.prices;
    if (prices === undefined) return undefined;
    const at = new Date(this.startedAt);
    const price =
      resolvePrice(prices, { provider, model: answered, at }) ??
      (requested === answered ? undefined : resolvePrice(prices, { provider, model: requested, at }));
    if (price !== undefined) return costOf(usage, price);
    const key = `${provider}/${requested}`;
    if (!this.scope.warnedPrices.has(key)) {
      this.scope.warnedPrices.add(key);
      const as = requested === answered ? '' : ` (answered as ${answered})`;
      this.warn({
        code: 'unknown_price',
        message: `No price is known for ${key}${as}: its streams carry no cost. Add it to the prices of createTokenwire().`,
        provider,
        model: requested,
      });
    }
    return undefined;
  }

  private about(provider: string, model: string): HookStream {
    return { streamId: this.streamId, request: this.request, provider, model, startedAt: this.startedAt };
  }

  private warn(event: WarningHookEvent): void {
    warnThrough(this.scope.hooks, event);
  }

  private call<Name extends Exclude<keyof TokenwireHooks, 'onWarning'>>(
    name: Name,
    event: Parameters<NonNullable<TokenwireHooks[Name]>>[0],
  ): void {
    for (const hooks of this.scope.hooks) {
      const method = hooks[name] as ((event: unknown) => unknown) | undefined;
      if (method === undefined) continue;
      try {
        const returned = method.call(hooks, event);
        if (returned instanceof Promise)
          returned.catch((error: unknown) => this.hookFailed(hooks, name, error));
      } catch (error) {
        this.hookFailed(hooks, name, error);
      }
    }
  }

  private hookFailed(hooks: TokenwireHooks, name: string, error: unknown): void {
    const reported = reportedFailures.get(hooks) ?? new Set<string>();
    reportedFailures.set(hooks, reported);
    if (reported.has(name)) return;
    reported.add(name);
    const reason = redactSecrets(error instanceof Error ? error.message : String(error));
    this.warn({ code: 'hook_failed', message: `The ${name} hook threw; the stream goes on: ${reason}` });
  }
}

function optionalCost(cost: Cost | undefined): { cost?: Cost } {
  return cost === undefined ? {} : { cost };
}

/**
 * Reports a warning to every hook's `onWarning` (a throwing one is ignored); with no `onWarning`
 * hook installed, to `console.warn`. With a hook, the hook decides where warnings go.
 */
export function warnThrough(hooks: readonly TokenwireHooks[], event: WarningHookEvent): void {
  if (!hooks.some((hook) => hook.onWarning !== undefined)) console.warn(`[tokenwire] ${event.message}`);
  for (const hook of hooks) {
    try {
      hook.onWarning?.(event);
    } catch {
      // A failing warning hook has nobody left to tell.
    }
  }
}

/** `server.address` and `server.port` of a base URL (the scheme's default port when it names none). */
function serverOf(endpoint: string | undefined): { serverAddress?: string; serverPort?: number } {
  if (endpoint === undefined) return {};
  try {
    const url = new URL(endpoint);
    const port = url.port === '' ? (url.protocol === 'http:' ? 80 : 443) : Number(url.port);
    return { serverAddress: url.hostname.replace(/^\[|\]$/g, ''), serverPort: port };
  } catch {
    return {};
  }
}
