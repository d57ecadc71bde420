import type { Cost } from '../model/cost-types.js';
import type { TokenwireError } from '../model/errors.js';
import type { StepFinishEvent, ToolResultEvent } from '../model/tool-types.js';
import type { ChatRequest, FinishEvent, PartialResult, Usage } from '../model/types.js';

/** What every hook call says about its stream. */
export interface HookStream {
  /** An id tokenwire gives the stream, the same in every hook call of it (a UUID). */
  streamId: string;
  /** The request as adapters get it (model included); do not change it. */
  request: Readonly<ChatRequest>;
  /** The provider and model of the attempt, step or end the call is about. */
  provider: string;
  model: string;
  /** `Date.now()` when the stream began. */
  startedAt: number;
}

/** `onRequest`: an attempt is about to be sent (every retry and fallback is one). */
export interface RequestHookEvent extends HookStream {
  /** 1 for the first attempt of the stream, then 2, 3, … over retries, fallbacks and steps. */
  attempt: number;
  /** The model step (1 without executable tools). */
  step: number;
  /** True when the stream runs executable tools: its steps are model calls of one agent run. */
  toolLoop: boolean;
  /** The host and port requests go to, when the adapter says (`endpoint()`): OTel's `server.*`. */
  serverAddress?: string;
  serverPort?: number;
}

/** `onFirstContent`: the first text, reasoning or tool-call piece of the stream arrived. */
export interface FirstContentHookEvent extends HookStream {
  attempt: number;
  /** From the start of the stream to this piece, in milliseconds. */
  timeToFirstContentMs: number;
}

/** `onRetry`: an attempt failed before any output and is retried after `delayMs`. */
export interface RetryHookEvent extends HookStream {
  attempt: number;
  error: TokenwireError;
  delayMs: number;
}

/** `onFallback`: an attempt failed and the next model of the list is tried. */
export interface FallbackHookEvent extends HookStream {
  attempt: number;
  error: TokenwireError;
  /** The provider and model tried next. */
  next: { provider: string; model: string };
}

/** `onStep`: a model step of a stream with executable tools ended. */
export interface StepHookEvent extends HookStream {
  event: StepFinishEvent;
  /** The step's cost, when its price is known. */
  cost?: Cost;
}

/** `onToolResult`: an executable tool answered (or failed). */
export interface ToolResultHookEvent extends HookStream {
  event: ToolResultEvent;
  /** `Date.now()` when the tool's input check and `execute` began, and how long they took. */
  toolStartedAt: number;
  durationMs: number;
}

/** `onFinish`: the stream finished (stop, length, tool_calls, content_filter, cancelled, other). */
export interface FinishHookEvent extends HookStream {
  event: FinishEvent;
  usage: Usage;
  cost?: Cost;
  /** Attempts made, over retries, fallbacks and steps. */
  attempts: number;
  timeToFirstContentMs?: number;
  durationMs: number;
}

/** `onError`: the stream ended with an error event. */
export interface ErrorHookEvent extends HookStream {
  error: TokenwireError;
  partial: PartialResult;
  cost?: Cost;
  attempts: number;
  timeToFirstContentMs?: number;
  durationMs: number;
}

/** `onWarning`: something the user should know that is not an error (an unknown price, a hook that threw). */
export interface WarningHookEvent {
  /**
   * `unknown_price` (no cost is given, never $0), `hook_failed`, or `coordinator_unavailable` (the
   * coordinator, e.g. Redis, failed: limits and cooldowns are not enforced until it answers again).
   */
  code: 'unknown_price' | 'hook_failed' | 'coordinator_unavailable';
  message: string;
  provider?: string;
  model?: string;
}

/**
 * Callbacks at the moments of a stream's life, all optional. None is called per delta: a stream
 * with hooks costs what one without does, plus a few calls per stream. A hook that throws (or
 * rejects) never breaks the stream: it is reported once through `onWarning` (or `console.warn`
 * when no `onWarning` hook is installed).
 */
export interface TokenwireHooks {
  /** An attempt is about to be sent: the first, each retry, each fallback, each step of a tool loop. */
  onRequest?(event: RequestHookEvent): void;
  /** The first text, reasoning or tool-call piece of the stream arrived. */
  onFirstContent?(event: FirstContentHookEvent): void;
  /** An attempt failed before any output and will be retried. */
  onRetry?(event: RetryHookEvent): void;
  /** An attempt failed and the next model of the list is tried. */
  onFallback?(event: FallbackHookEvent): void;
  /** A model step of a stream with executable tools ended. */
  onStep?(event: StepHookEvent): void;
  /** An executable tool answered, or failed (an `isError` result). */
  onToolResult?(event: ToolResultHookEvent): void;
  /** The stream ended with its `finish` event. */
  onFinish?(event: FinishHookEvent): void;
  /** The stream ended with its `error` event. */
  onError?(event: ErrorHookEvent): void;
  /** A warning: an unknown price (no cost is given), or a hook that threw. */
  onWarning?(event: WarningHookEvent): void;
}
