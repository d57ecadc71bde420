import { registerSecret } from './redact.js';

/** Header names whose values are credentials, whatever the pattern below says. */
const CREDENTIAL_HEADERS: ReadonlySet<string> = new Set([
  'authorization',
  'proxy-authorization',
  'x-api-key',
  'api-key',
  'x-goog-api-key',
  'cookie',
  'set-cookie',
  'www-authenticate',
  'proxy-authenticate',
]);
/** Any other name that says it holds a credential: `x-gateway-token`, `x-auth`, `openrouter-key`, … */
const CREDENTIAL_NAME =
  /(?:^|[-_])(?:auth|authorization|token|secret|key|password|passwd|credentials?|cookie|signature)(?:$|[-_])/i;
const markedHeaders = new Set<string>();

/**
 * Marks a header name as credential-bearing (beyond Authorization, Proxy-Authorization, x-api-key,
 * api-key, x-goog-api-key and names with auth, token, secret, key, password or credential in them):
 * its values in settings or requests are then registered as secrets and redacted everywhere.
 */
export function markSecretHeader(name: string): void {
  markedHeaders.add(name.toLowerCase());
}

/** True for a header name whose value is a credential. */
export function isSecretHeaderName(name: string): boolean {
  const lower = name.toLowerCase();
  return CREDENTIAL_HEADERS.has(lower) || markedHeaders.has(lower) || CREDENTIAL_NAME.test(lower);
}

/**
 * Registers the credential-bearing values of headers as secrets: the whole value, and the
 * credential of an `Authorization`-style value (`Bearer abc…` registers `abc…` too, so a body that
 * echoes only the token is redacted as well). Takes headers in any form SDKs do: a plain object
 * (values may be lists), a `Headers`, a list of `[name, value]` pairs, or a `{ values: Headers }`
 * wrapper.
 */
export function registerSecretHeaders(headers: unknown): void {
  for (const [name, value] of headerEntries(headers, 0)) {
    if (!isSecretHeaderName(name)) continue;
    registerSecret(value);
    const space = value.indexOf(' ');
    if (space > 0) registerSecret(value.slice(space + 1).trim());
  }
}

/**
 * Registers the credentials an object holds (a vendor client passed in): the string values of
 * `fields` (`apiKey`, `authToken`, …) as secrets, and object values as headers. Getters that throw
 * are skipped.
 */
export function registerSecretFields(source: unknown, fields: readonly string[]): void {
  if (typeof source !== 'object' || source === null) return;
  for (const field of fields) {
    let value: unknown;
    try {
      value = (source as Record<string, unknown>)[field];
    } catch {
      continue; // not readable in this version of the SDK
    }
    if (typeof value === 'string') registerSecret(value);
    else registerSecretHeaders(value);
  }
}

function headerEntries(headers: unknown, depth: number): Array<[string, string]> {
  if (typeof headers !== 'object' || headers === null || depth > 2) return [];
  if (typeof (headers as Headers).forEach === 'function' && typeof (headers as Headers).get === 'function') {
    const entries: Array<[string, string]> = [];
    (headers as Headers).forEach((value, name) => {
      entries.push([name, value]);
    });
    return entries;
  }
  const wrapped = (headers as { values?: unknown }).values;
  if (typeof wrapped === 'object' && wrapped !== null && !Array.isArray(headers))
    return headerEntries(wrapped, depth + 1);
  const pairs: unknown[] = Array.isArray(headers) ? headers : Object.entries(headers);
  const entries: Array<[string, string]> = [];
  for (const pair of pairs) {
    if (!Array.isArray(pair) || typeof pair[0] !== 'string') continue;
    for (const value of Array.isArray(pair[1]) ? pair[1] : [pair[1]]) {
      if (typeof value === 'string') entries.push([pair[0], value]);
    }
  }
  return entries;
}

/** True for a URL that carries credentials (`https://user:password@host`), which fetch refuses. */
export function hasUrlCredentials(url: string): boolean {
  return /^[a-z][a-z0-9+.-]*:\/\/[^/?#\s]*@/i.test(url);
}
