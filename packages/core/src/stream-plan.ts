import type { TokenwireError } from './errors.js';
import type { HookRunner } from './hook-runner.js';
import type { ResolvedRetryOptions } from './retry-policy.js';
import type { StreamLimits } from './stream-limits.js';
import type { StructuredOutput } from './structured-output.js';
import type { Adapter, ChatRequest, Timeouts } from './types.js';

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
