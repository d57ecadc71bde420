import { registerSecret } from '@tokenwire/core';
import { utf8ToBase64 } from '@tokenwire/core/adapter';

/** A host (or request URL) with the credentials of its `user:password@` part taken out. */
export interface HostCredentials {
  /** The host without `user:password@`, safe to show in messages. */
  host: string;
  /** `Basic base64(user:password)` when the host carried credentials, else undefined. */
  authorization: string | undefined;
}

/**
 * Takes the credentials out of a host such as `http://admin:pw@gpu-box:11434` (or `admin:pw@gpu-box`,
 * which ollama-js reads as `http://…:11434`), returning the host without them and the
 * `Authorization: Basic` value that carries them instead, and registers them as secrets.
 *
 * Why: ollama-js keeps `user:password@` in its host and fetch refuses such a URL ("Request cannot
 * be constructed from a URL that includes credentials: http://admin:pw@…"), an error that would
 * quote the password. Browsers and curl send these credentials as Basic auth; so does this adapter.
 * The rest of the host is kept as written (no scheme added), since ollama-js picks the default
 * port by whether a scheme was written.
 */
export function splitHostCredentials(host: string): HostCredentials {
  if (!host.includes('@')) return { host, authorization: undefined };
  const schemeEnd = host.indexOf('://');
  const authorityStart = schemeEnd === -1 ? 0 : schemeEnd + 3;
  const rest = host.slice(authorityStart);
  const authorityLength = rest.search(/[/?#]/);
  const authority = authorityLength === -1 ? rest : rest.slice(0, authorityLength);
  // The last `@`, as URL parsers do: a password may hold an unencoded `@`.
  const at = authority.lastIndexOf('@');
  if (at === -1) return { host, authorization: undefined };
  const userInfo = authority.slice(0, at);
  const colon = userInfo.indexOf(':');
  const user = decoded(colon === -1 ? userInfo : userInfo.slice(0, colon));
  const password = colon === -1 ? '' : decoded(userInfo.slice(colon + 1));
  const token = utf8ToBase64(`${user}:${password}`);
  for (const secret of [userInfo, `${user}:${password}`, password === '' ? user : password, token]) {
    registerSecret(secret);
  }
  return {
    host: host.slice(0, authorityStart) + rest.slice(at + 1),
    authorization: `Basic ${token}`,
  };
}

/** Percent-decoded, or as written when the encoding is broken (the bytes are then sent as they are). */
function decoded(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
