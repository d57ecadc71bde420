import { TokenwireError } from '../model/errors.js';

/**
 * The `invalid_request` error of a request that is not sent: `path` names the field
 * (`messages[1].role`, `tools[0].parameters`), `rule` says what is allowed. Adapters use it for
 * their provider's own limits, so that every refusal reads the same. The optional third argument
 * is the value found (described briefly, even when undefined), the fourth the provider.
 *
 * @example throw requestProblem('temperature', 'must be between 0 and 1 for Anthropic', request.temperature, 'anthropic');
 */
export function requestProblem(
  path: string,
  rule: string,
  ...found: [] | [unknown] | [unknown, string]
): TokenwireError {
  return problem('invalid_request', `Invalid request: ${path} ${rule}`, found);
}

/** The `configuration` error of a setting (`timeouts.idleMs`, `baseUrl`): nothing is sent. */
export function settingProblem(
  path: string,
  rule: string,
  ...found: [] | [unknown] | [unknown, string]
): TokenwireError {
  return problem('configuration', `Invalid configuration: ${path} ${rule}`, found);
}

function problem(
  code: 'invalid_request' | 'configuration',
  text: string,
  found: [] | [unknown] | [unknown, string],
): TokenwireError {
  const got = found.length > 0 ? `; got ${describeValue(found[0])}` : '';
  return new TokenwireError({
    code,
    provider: found[1],
    retryable: false,
    message: `${text}${got}. Nothing was sent.`,
  });
}

/** A short description of a value for an error message: never more than about 40 characters of it. */
export function describeValue(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (typeof value === 'string') {
    return value.length > 40 ? `${JSON.stringify(value.slice(0, 40))}…` : JSON.stringify(value);
  }
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint')
    return String(value);
  if (Array.isArray(value)) return `a list of ${value.length}`;
  if (typeof value === 'function') return 'a function';
  return typeof value === 'object' ? 'an object' : typeof value;
}

/** True for a plain object: not null, not an array. */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * The `configuration` error of a URL with `user:password@` from `source` (a setting, an
 * environment variable, a client passed in). It never quotes the URL: its password would be in
 * the message. Credentials belong in headers, which are redacted.
 */
export function credentialedUrlProblem(source: string, provider: string): TokenwireError {
  return new TokenwireError({
    code: 'configuration',
    provider,
    retryable: false,
    message: `Invalid configuration: ${source} (provider '${provider}') must not carry credentials (user:password@): pass them in headers (an Authorization header) instead. Nothing was sent.`,
  });
}
