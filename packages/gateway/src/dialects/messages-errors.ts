import type { GatewayProblem } from '../gateway-problem.js';

// Anthropic's error shape: `{ type: 'error', error: { type, message } }`, and its statuses (529 for
// overloaded).
// @see https://docs.claude.com/en/api/errors

function anthropicErrorType(status: number): string {
  if (status === 401) return 'authentication_error';
  if (status === 403) return 'permission_error';
  if (status === 404) return 'not_found_error';
  if (status === 413) return 'request_too_large';
  if (status === 429) return 'rate_limit_error';
  if (status === 529) return 'overloaded_error';
  return status >= 500 ? 'api_error' : 'invalid_request_error';
}

/** A problem as Anthropic's status and error object. */
export function anthropicError(problem: GatewayProblem): { status: number; error: Record<string, string> } {
  const status = problem.code === 'overloaded' ? 529 : problem.status;
  return { status, error: { type: anthropicErrorType(status), message: problem.message } };
}
