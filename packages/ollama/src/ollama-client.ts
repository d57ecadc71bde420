import type { Ollama } from 'ollama';
import { splitHostCredentials } from './ollama-host.js';

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
