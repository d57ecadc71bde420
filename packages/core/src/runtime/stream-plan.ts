import type { TokenwireError } from '../model/errors.js';
import type { Adapter, ChatRequest, ErrorEvent, FinishEvent, Timeouts } from '../model/types.js';
import type { HookRunner } from '../observe/hook-runner.js';
import { estimateRequestTokens } from '../request/request-tokens.js';
import type { StructuredOutput } from '../request/structured-output.js';
import type { ResolvedRetryOptions } from './retry-policy.js';
import { StreamAccumulator } from './stream-accumulator.js';
import type { StreamLimits } from './stream-limits.js';
import { StructuredAnswer } from './structured-answer.js';

/** One model to try: the provider that serves it and how to get its adapter. */
export interface StreamTarget {
  provider: string;
  model: string;
  /** Gets (or loads) the adapter, once per attempt. */
  adapter: () => Adapter | Promise<Adapter>;
}

/** Everything a StreamRuntime needs; built by `createTokenwire().stream()`. */
export interface StreamPlan {
  targets: StreamTarget[];
  request: Omit<ChatRequest, 'model'>;
  retries: ResolvedRetryOptions;
  timeouts: Timeouts;
  limits: StreamLimits;
  signal?: AbortSignal;
  /** A problem found before anything was sent: the stream yields its error alone. */
  problem?: TokenwireError;
  /** The checks of a structured answer (`responseFormat` json or json_schema). */
  structured?: StructuredOutput;
  /** The text and reasoning of the earlier steps of a tool loop: this step accumulates on from them. */
  carry?: { content: string; reasoning: string };
  /** The stream's hooks and prices; absent when the client and the request have neither. */
  hooks?: HookRunner;
  /** Orders `targets` before the first attempt (a deployment group's choice); never rejects. */
  route?: (plan: StreamPlan) => Promise<void>;
  /** Set on the steps of a tool loop (1, 2, …): the loop, not the step, reports the stream's end. */
  step?: number;
}

/** The accumulator of one attempt at `target`. */
export function accumulatorFor(plan: StreamPlan, target: StreamTarget): StreamAccumulator {
  // A request refused before sending may be malformed: nothing of it is read.
  return new StreamAccumulator(
    target.provider,
    target.model,
    () => (plan.problem === undefined ? estimateRequestTokens(plan.request) : 0),
    plan.limits,
    plan.structured === undefined ? undefined : new StructuredAnswer(plan.structured),
    plan.carry,
  );
}

/** Tells the hooks how the stream ended (a refused request is not priced; a tool-loop step leaves it to the loop). */
export function reportEnd(
  plan: StreamPlan,
  accumulator: StreamAccumulator,
  targetIndex: number,
  terminal: FinishEvent | ErrorEvent,
): void {
  const { provider, model } = accumulator;
  plan.hooks?.settle(terminal, {
    provider,
    model,
    requested: (plan.targets[targetIndex] as StreamTarget).model,
    priced: plan.problem === undefined,
    standalone: plan.step === undefined,
  });
}
