import { isAbortError, TokenwireError, toTokenwireError } from '../model/errors.js';
import type { Adapter, Timeouts } from '../model/types.js';

export { TokenwireError };

/**
 * Turns whatever an adapter threw into a TokenwireError: kept when it already is one, else the
 * adapter's `normalizeError`, else a generic mapping (`beforeOutput` makes a malformed record
 * retryable). A malformed or cut response (`invalid_response`) is retryable only before any output:
 * after it, the error is final. TokenwireErrors redact their message and copy their cause when
 * they are made.
 */
export function normalizeAdapterError(
  thrown: unknown,
  provider: string,
  normalizeError: Adapter['normalizeError'],
  beforeOutput = false,
): TokenwireError {
  let error: TokenwireError | undefined;
  if (TokenwireError.isInstance(thrown)) error = thrown;
  else {
    try {
      error = normalizeError?.(thrown, { beforeOutput });
    } catch {
      error = undefined; // a broken normalizeError must not hide the original failure
    }
    if (error === undefined && isAbortError(thrown)) {
      error = new TokenwireError({
        code: 'connection',
        provider,
        message: `The ${provider} request was aborted by something other than tokenwire.`,
        cause: thrown,
      });
    }
    error ??= toTokenwireError(thrown, provider, beforeOutput);
  }
  if (!beforeOutput && error.code === 'invalid_response' && error.retryable) {
    (error as { retryable: boolean }).retryable = false;
  }
  return error;
}

/** The error of a fired timeout, naming the phase and the setting to raise. */
export function timeoutError(
  phase: 'first token' | 'idle' | 'total',
  timeouts: Timeouts,
  provider: string,
): TokenwireError {
  const setting = phase === 'total' ? 'totalMs' : phase === 'idle' ? 'idleMs' : 'firstTokenMs';
  return new TokenwireError({
    code: 'timeout',
    provider,
    retryable: phase !== 'total',
    message: `The ${provider} stream timed out: ${phase} timeout of ${timeouts[setting]} ms exceeded. Raise timeouts.${setting} if the provider is just slow.`,
  });
}

/**
 * The first-token timeout of a request still waiting on a limit or a cooldown: nothing was sent, and
 * the error says what it waited for (code `rate_limit`, retryable like any first-token timeout).
 */
export function limitWaitError(waitingFor: string, timeouts: Timeouts, provider: string): TokenwireError {
  return new TokenwireError({
    code: 'rate_limit',
    provider,
    retryable: true,
    message: `The ${provider} request timed out before it was sent: it waited ${timeouts.firstTokenMs} ms (timeouts.firstTokenMs) for ${waitingFor}. Nothing was sent. Raise timeouts.firstTokenMs or the limit if requests should wait longer.`,
  });
}
