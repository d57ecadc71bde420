import { defineAdapter, type ProviderSettings, type VendorAdapter } from '@tokenwire/core';
import { isPlainObject } from '@tokenwire/core/internal';
import { type ChatResponse, Ollama } from 'ollama';
import { openOllamaChatStream } from './ollama-chat-stream.js';
import { normalizeOllamaError } from './ollama-errors.js';
import { createOllamaStreamFetch, NdjsonLineCount } from './ollama-fetch.js';
import { toOllamaChatRequest } from './ollama-messages.js';
import { checkOllamaRequest } from './ollama-request-checks.js';
import {
  configuredHost,
  connectionHeaders,
  findOllamaSettingsProblem,
  OLLAMA_SETTING_KINDS,
  type OllamaAdapterSettings,
} from './ollama-settings.js';

export type { OllamaAdapterSettings } from './ollama-settings.js';
export { DEFAULT_OLLAMA_HOST } from './ollama-settings.js';

/** The Ollama adapter: an `Adapter` with the `open()` fast path, plus the client it wraps. */
export interface OllamaAdapter extends VendorAdapter<Ollama, ChatResponse> {
  /**
   * The client passed in, or one built from the settings on first access (for `list()`,
   * `pull()`, …). Throws the `configuration` error of bad settings or a missing ollama.com key.
   */
  readonly client: Ollama;
  /** The Ollama server this adapter talks to. */
  readonly host: string;
}

/**
 * Creates the tokenwire adapter over the official `ollama` client. Each stream is one
 * `chat({ stream: true })` call; cancelling it aborts that request only (never `client.abort()`,
 * which would cancel every other stream of the client) and closes its connection.
 *
 * Without a `client`, every stream gets a fresh lightweight `Ollama` instance built from the
 * settings, because only a per-stream `fetch` can abort a request that is still waiting for its
 * response headers (Ollama sends them with the first token, after loading the model), send
 * per-request headers, and detect the lines the client would skip.
 *
 * Never throws: a setting that is unknown, of the wrong kind or in conflict with another, and a
 * missing OLLAMA_API_KEY for `https://ollama.com`, are the `configuration` error of the first request.
 *
 * @example
 * const tokenwire = createTokenwire({ providers: { ollama: createOllamaAdapter({ keepAlive: '10m' }) } });
 */
export function createOllamaAdapter(settings: OllamaAdapterSettings = {}): OllamaAdapter {
  const values: OllamaAdapterSettings = isPlainObject(settings) ? settings : {};
  const provider = values.provider ?? 'ollama';
  const passedClient = values.client;
  const host =
    passedClient === undefined
      ? configuredHost(values)
      : (hostOf(passedClient) ?? 'the host of the given client');
  const problem = findOllamaSettingsProblem(values, provider);
  let headers: Record<string, string> | undefined;
  let sharedClient = passedClient;

  /** A client with the settings' headers and key, plus `extra`; throws a configuration problem. */
  const newClient = (extra: { headers?: Record<string, string>; fetch?: typeof globalThis.fetch }) => {
    if (problem !== undefined) throw problem;
    headers ??= connectionHeaders(values, host, provider);
    const fetch = extra.fetch ?? values.fetch;
    return new Ollama({
      host,
      headers: { ...headers, ...extra.headers },
      ...(fetch === undefined ? {} : { fetch }),
    });
  };

  return defineAdapter<Ollama, ChatResponse, { host: string }>(
    {
      name: 'ollama',
      provider,
      settings,
      settingKinds: OLLAMA_SETTING_KINDS,
      client() {
        if (problem !== undefined) throw problem;
        sharedClient ??= newClient({});
        return sharedClient;
      },
      checkRequest: (request) =>
        checkOllamaRequest(request, { provider, clientPassedIn: passedClient !== undefined }),
      async open(request, { signal }) {
        if (problem !== undefined) throw problem;
        const params = toOllamaChatRequest(request, { keepAlive: values.keepAlive });
        const includeThoughts = request.reasoning?.includeThoughts !== false;
        if (passedClient !== undefined) {
          return openOllamaChatStream({ client: passedClient, params, signal, provider, includeThoughts });
        }
        const lines = new NdjsonLineCount();
        const fetch = createOllamaStreamFetch({ fetch: values.fetch, signal, lines, provider });
        const client = newClient({ headers: request.headers, fetch });
        return openOllamaChatStream({ client, params, signal, lines, provider, includeThoughts });
      },
      normalizeError: (error) => normalizeOllamaError(error, { host, provider }),
    },
    { host },
  );
}

/**
 * The uniform entry point `createTokenwire` calls for provider `ollama` (and any provider with
 * `adapter: 'ollama'`): `createOllamaAdapter` itself, with the same settings and checks. `host`
 * (or its alias `baseURL`) defaults to OLLAMA_HOST, then `http://127.0.0.1:11434`; `apiKey` is
 * sent as `Authorization: Bearer`, and defaults to OLLAMA_API_KEY for `https://ollama.com`.
 */
export function createAdapter(settings: ProviderSettings & { provider: string }): OllamaAdapter {
  // The values are checked against OLLAMA_SETTING_KINDS by defineAdapter, not trusted here.
  return createOllamaAdapter(settings as OllamaAdapterSettings);
}

/** The host of a client passed in, for error messages only (ollama-js keeps it in a protected field). */
function hostOf(client: Ollama): string | undefined {
  if (typeof client !== 'object' || client === null) return undefined; // refused by the settings check
  const host = (client as unknown as { config?: { host?: unknown } }).config?.host;
  return typeof host === 'string' && host !== '' ? host : undefined;
}
