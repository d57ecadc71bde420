import { registerSecretHeaders } from '@tokenwire/core/internal';
import { Ollama } from 'ollama';
import { splitHostCredentials } from './ollama-host.js';
import { configuredHost, connectionHeaders, type OllamaAdapterSettings } from './ollama-settings.js';

/** Where an adapter's requests go, resolved once from its settings. */
export interface OllamaConnection {
  /** The host shown in `adapter.host` and in messages, without credentials. */
  host: string;
  /** The base URL requests go to, for telemetry and errors about the body; undefined when a client passed in shows none. */
  endpoint: string | undefined;
  /** `Authorization: Basic …` of credentials taken out of the configured host (`http://user:password@…`). */
  authorization: string | undefined;
}

/**
 * The connection of the settings: the host of a client passed in (whose credential headers are
 * registered as secrets, as `defineAdapter` does for the settings' headers), or the configured one
 * with its credentials taken out, to be sent as Basic auth and never in the URL.
 */
export function resolveOllamaConnection(settings: OllamaAdapterSettings): OllamaConnection {
  const passedClient = settings.client;
  if (passedClient !== undefined) {
    registerSecretHeaders(headersOfClient(passedClient));
    const endpoint = hostOfClient(passedClient);
    return { host: endpoint ?? 'the host of the given client', endpoint, authorization: undefined };
  }
  const { host, authorization } = splitHostCredentials(configuredHost(settings));
  return { host, endpoint: host, authorization };
}

/**
 * Builds clients of the settings: their host, their headers and key (resolved on first use; a
 * missing ollama.com key throws its `configuration` error), plus what one stream adds.
 */
export function ollamaClientFactory(
  settings: OllamaAdapterSettings,
  connection: OllamaConnection,
  provider: string,
): (extra: { headers?: Record<string, string>; fetch?: typeof globalThis.fetch }) => Ollama {
  let headers: Record<string, string> | undefined;
  return (extra) => {
    headers ??= connectionHeaders(settings, connection.host, provider, connection.authorization);
    const fetch = extra.fetch ?? settings.fetch;
    return new Ollama({
      host: connection.host,
      headers: { ...headers, ...extra.headers },
      ...(fetch === undefined ? {} : { fetch }),
    });
  };
}

// A client passed in (`createOllamaAdapter({ client })`), read through the fields ollama-js keeps
// it in (`config`, `fetch`: protected, but the only place its host, headers and fetch are).

/**
 * The host of a client passed in, for error messages, without credentials (which are registered
 * as secrets); undefined when the client has none to show. ollama-js keeps it in a protected field.
 */
export function hostOfClient(client: Ollama): string | undefined {
  const host = configOf(client)?.host;
  return typeof host === 'string' && host !== '' ? splitHostCredentials(host).host : undefined;
}

/**
 * The default headers of a client passed in (`new Ollama({ headers })`: a record, a `Headers` or
 * entry pairs) as a record, for registering its credentials as secrets.
 */
export function headersOfClient(client: Ollama): Record<string, string> {
  const headers = configOf(client)?.headers;
  if (headers === undefined || headers === null) return {};
  if (headers instanceof Headers) return Object.fromEntries(headers.entries());
  if (Array.isArray(headers)) {
    return Object.fromEntries(headers.filter((pair) => Array.isArray(pair) && pair.length === 2));
  }
  return typeof headers === 'object' ? { ...(headers as Record<string, string>) } : {};
}

function configOf(client: Ollama): { host?: unknown; headers?: unknown } | undefined {
  if (typeof client !== 'object' || client === null) return undefined; // refused by the settings check
  const config = (client as unknown as { config?: unknown }).config;
  return typeof config === 'object' && config !== null ? config : undefined;
}

/**
 * A per-stream view of a client passed in that sends through `fetch` (which wraps the client's
 * own): an object whose prototype is the client, with its own `fetch`. Everything else is the
 * client's: its host, headers, methods (a subclass's too) and `ongoingStreamedRequests`, so
 * `client.abort()` still aborts these streams. Undefined when this version of ollama-js keeps its
 * fetch where a view cannot replace it; the client is then used as is.
 */
export function streamClientOf(
  client: Ollama,
  wrap: (clientFetch: typeof globalThis.fetch) => typeof globalThis.fetch,
): Ollama | undefined {
  const clientFetch = (client as unknown as { fetch?: unknown }).fetch;
  if (typeof clientFetch !== 'function' || !Object.hasOwn(client, 'fetch')) return undefined;
  return Object.create(client, {
    fetch: { value: wrap(clientFetch as typeof globalThis.fetch), writable: true, configurable: true },
  }) as Ollama;
}
