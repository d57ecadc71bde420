import { TokenwireError, type TokenwireErrorCode } from '@tokenwire/core';

/** What went wrong with a request, before each dialect puts it in its own error shape. */
export interface GatewayProblem {
  /** The HTTP status (each dialect may adjust it: Anthropic's overloaded is 529). */
  status: number;
  /** tokenwire's error code, or the gateway's own reason. */
  code:
    | TokenwireErrorCode
    | 'request_too_large'
    | 'invalid_json'
    | 'unknown_route'
    | 'budget_exceeded'
    | 'store_unavailable';
  message: string;
  /** The request field at fault, in the dialect's own names (`messages[2].content`). */
  param?: string;
  retryAfterMs?: number;
}

/**
 * A request the decoder refuses: thrown by the dialects' request decoders and turned into the
 * dialect's 4xx error body, naming the field.
 */
export class RequestRefusal extends Error {
  readonly param: string | undefined;
  readonly status: number;
  constructor(param: string | undefined, message: string, status = 400) {
    super(message);
    this.name = 'RequestRefusal';
    this.param = param;
    this.status = status;
  }
}

const STATUS_OF_CODE: Record<TokenwireErrorCode, number> = {
  authentication: 401,
  permission: 403,
  rate_limit: 429,
  quota_exceeded: 429,
  context_length: 400,
  invalid_request: 400,
  not_found: 404,
  content_filter: 400,
  overloaded: 503,
  server: 502,
  connection: 502,
  timeout: 504,
  invalid_response: 502,
  configuration: 500,
  unknown: 500,
};

/** The HTTP status and message of a tokenwire error (its message is already redacted by core). */
export function problemOfError(error: unknown): GatewayProblem {
  if (!TokenwireError.isInstance(error)) {
    return { status: 500, code: 'unknown', message: 'The gateway failed to answer; see its log.' };
  }
  const problem: GatewayProblem = {
    status: STATUS_OF_CODE[error.code],
    code: error.code,
    message: error.message,
  };
  if (error.retryAfterMs !== undefined) problem.retryAfterMs = error.retryAfterMs;
  return problem;
}

/** The problem of a refused request. */
export function problemOfRefusal(refusal: RequestRefusal): GatewayProblem {
  const problem: GatewayProblem = {
    status: refusal.status,
    code: refusal.status === 413 ? 'request_too_large' : 'invalid_request',
    message: refusal.message,
  };
  if (refusal.param !== undefined) problem.param = refusal.param;
  return problem;
}

/** `retry-after` in whole seconds, rounded up, for a problem that has a wait. */
export function retryAfterHeader(problem: GatewayProblem): Record<string, string> {
  if (problem.retryAfterMs === undefined) return {};
  return { 'retry-after': String(Math.max(1, Math.ceil(problem.retryAfterMs / 1000))) };
}
