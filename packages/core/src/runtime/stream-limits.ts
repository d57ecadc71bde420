import { TokenwireError } from '../model/errors.js';

/**
 * Size limits of a stream (`createTokenwire({ maxBytes })`), in characters of text (bytes for
 * ASCII). Crossing one ends the stream with `invalid_response` naming it.
 */
export interface MaxBytes {
  /** The arguments of one tool call. Default 4 MiB (4,194,304). */
  toolArguments?: number;
  /**
   * One record of the vendor stream (an SSE event, an NDJSON line): enforced on the body before the
   * vendor parser reads it where the adapter can (Ollama, `@google/genai`), and on every delta. Default 8 MiB.
   */
  record?: number;
  /** The message of an error (its excerpt of a response body included). Default 2,000. */
  errorMessage?: number;
  /**
   * The request as serialized, in bytes (images and files as their base64): a larger one is refused
   * before it is sent. Default 32 MiB (33,554,432), Anthropic's documented request limit, the
   * tightest of the common providers.
   */
  request?: number;
}

/** `MaxBytes` with the defaults filled in. */
export type StreamLimits = Required<MaxBytes>;

/** The default limits. */
export const DEFAULT_LIMITS: Readonly<StreamLimits> = Object.freeze({
  toolArguments: 4 * 1024 * 1024,
  record: 8 * 1024 * 1024,
  errorMessage: 2_000,
  request: 32 * 1024 * 1024,
});

/** Fills in the defaults of `MaxBytes`. */
export function resolveLimits(maxBytes: MaxBytes | undefined): StreamLimits {
  return { ...DEFAULT_LIMITS, ...maxBytes };
}

/** The `invalid_response` error of a crossed limit, naming it and how to raise it. */
export function limitError(
  what: string,
  limit: 'toolArguments' | 'record',
  size: number,
  max: number,
  provider: string | undefined,
): TokenwireError {
  return new TokenwireError({
    code: 'invalid_response',
    provider,
    retryable: false,
    message: `${what} is ${size.toLocaleString('en')} characters, over maxBytes.${limit} (${max.toLocaleString('en')}). Raise createTokenwire({ maxBytes: { ${limit} } }) if the provider really sends this much.`,
  });
}

/** Cuts an error's message to the limit, in place (the message may quote a whole response body). */
export function boundErrorMessage(error: TokenwireError, max: number): void {
  if (error.message.length <= max) return;
  try {
    error.message = `${error.message.slice(0, max)}… (cut at maxBytes.errorMessage)`;
  } catch {
    // a frozen error keeps its message
  }
}
