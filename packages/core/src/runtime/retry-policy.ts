import type { TokenwireError } from '../model/errors.js';

/** How failed attempts are retried before the first content event. */
export interface RetryOptions {
  /** Retries per model after the first attempt. Default 2. */
  maxRetries?: number;
  /** Backoff before the first retry; doubles each time, with jitter. Default 500 ms. */
  initialDelayMs?: number;
  /** Upper bound of the computed backoff. Default 8,000 ms. */
  maxDelayMs?: number;
  /** The longest `retry-after` honoured; a longer one ends the stream with the error. Default 60,000 ms. */
  maxRetryAfterMs?: number;
}

/** The retry options with every default filled in. */
export type ResolvedRetryOptions = Required<RetryOptions>;

/** Fills in the defaults of `RetryOptions`; a number is taken as `maxRetries`. */
export function resolveRetryOptions(options: RetryOptions | number | undefined): ResolvedRetryOptions {
  const given = typeof options === 'number' ? { maxRetries: options } : (options ?? {});
  return {
    maxRetries: given.maxRetries ?? 2,
    initialDelayMs: given.initialDelayMs ?? 500,
    maxDelayMs: given.maxDelayMs ?? 8_000,
    maxRetryAfterMs: given.maxRetryAfterMs ?? 60_000,
  };
}

/**
 * The wait before retry number `retry` (0 for the first), or undefined when the error must not be
 * waited for. The provider's `retry-after` wins; otherwise exponential backoff with jitter (50–100%).
 */
export function retryDelayMs(
  error: TokenwireError,
  retry: number,
  options: ResolvedRetryOptions,
  random: () => number = Math.random,
): number | undefined {
  if (error.retryAfterMs !== undefined) {
    return error.retryAfterMs <= options.maxRetryAfterMs ? error.retryAfterMs : undefined;
  }
  const exponential = Math.min(options.maxDelayMs, options.initialDelayMs * 2 ** retry);
  return exponential * (0.5 + random() * 0.5);
}

/** Where a failed attempt stands: its output, its retries so far, its model among the fallbacks. */
export interface FailedAttempt {
  started: boolean;
  retry: number;
  targetIndex: number;
  targets: number;
  options: ResolvedRetryOptions;
}

/**
 * What follows a failed attempt: a retry of the same model after `delayMs`, the next model of the
 * fallbacks, or the end of the stream. Only before any output, and only for retryable errors.
 */
export function nextAttempt(
  error: TokenwireError,
  attempt: FailedAttempt,
): { kind: 'retry'; delayMs: number } | { kind: 'fallback' } | { kind: 'fail' } {
  if (attempt.started || !error.retryable) return { kind: 'fail' };
  if (attempt.retry < attempt.options.maxRetries) {
    const delayMs = retryDelayMs(error, attempt.retry, attempt.options);
    if (delayMs !== undefined) return { kind: 'retry', delayMs };
  }
  return attempt.targetIndex + 1 < attempt.targets ? { kind: 'fallback' } : { kind: 'fail' };
}
