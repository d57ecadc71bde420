import { defineAdapter, type ProviderSettings, type VendorAdapter } from '@tokenwire/core/adapter';
import { isPlainObject, registerSecretHeaders } from '@tokenwire/core/internal';
import { type ChatResponse, Ollama } from 'ollama';
import { openOllamaChatStream } from './ollama-chat-stream.js';
import { headersOfClient, hostOfClient, streamClientOf } from './ollama-client.js';
import { openOllamaDirectStream } from './ollama-direct.js';
import { normalizeOllamaError } from './ollama-errors.js';
import { StreamExchange } from './ollama-fetch.js';
import { splitHostCredentials } from './ollama-host.js';
import { toOllamaChatRequest } from './ollama-messages.js';
import { checkOllamaRequest } from './ollama-request-checks.js';
import {
  configuredHost,
  connectionHeaders,
  findOllamaSettingsProblem,
  OLLAMA_SETTING_KINDS,
  type OllamaAdapterSettings,
} from './ollama-settings.js';

export type { OllamaAdapterSettings, OllamaTransport } from './ollama-settings.js';
export { DEFAULT_OLLAMA_HOST } from './ollama-settings.js';

/**
 * What the adapter's `open()` yields: the client's chunks (`transport: 'sdk'`) or the body's
 * network reads, decoded by its `translate` (`transport: 'direct'`).
 */
export type OllamaChunk = ChatResponse | Uint8Array;

/** The Ollama adapter: an `Adapter` with the `open()` fast path, plus the client it wraps. */
export interface OllamaAdapter extends VendorAdapter<Ollama, OllamaChunk> {
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
 * which would cancel every other stream of the client) and closes its connection, as does the
 * `done: true` line.
 *
 * Every stream sends through its own `fetch` (`createOllamaStreamFetch`), because only a
 * per-stream `fetch` can abort a request that is still waiting for its response headers (Ollama
 * sends them with the first token, after loading the model), refuse the lines the client would
 * skip and the lines over `maxBytes.record` before the client parses them, and read the
 * `retry-after` of an error response. Without a `client` it belongs to a fresh lightweight
 * `Ollama` instance built from the settings (which also sends per-request headers); with one, to
 * a per-stream view of that client (`streamClientOf`).
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
  // Credentials in the host (`http://user:password@…`) are sent as Basic auth, never in the URL.
  const configured = passedClient === undefined ? splitHostCredentials(configuredHost(values)) : undefined;
  // As defineAdapter does for the settings' headers: a client passed in keeps its own in its config.
  if (passedClient !== undefined) registerSecretHeaders(headersOfClient(passedClient));
  const host =
    configured?.host ??
    (passedClient === undefined ? undefined : hostOfClient(passedClient)) ??
    'the host of the given client';
  const problem = findOllamaSettingsProblem(values, provider, configured?.authorization !== undefined);
  let headers: Record<string, string> | undefined;
  let sharedClient = passedClient;

  /** A client with the settings' headers and key, plus `extra`; throws a configuration problem. */
  const newClient = (extra: { headers?: Record<string, string>; fetch?: typeof globalThis.fetch }) => {
    if (problem !== undefined) throw problem;
    headers ??= connectionHeaders(values, host, provider, configured?.authorization);
    const fetch = extra.fetch ?? values.fetch;
    return new Ollama({
      host,
      headers: { ...headers, ...extra.headers },
      ...(fetch === undefined ? {} : { fetch }),
    });
  };

  return defineAdapter<Ollama, OllamaChunk, { host: string }>(
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
      async open(request, { signal, maxRecordBytes }) {
        if (problem !== undefined) throw problem;
        const params = toOllamaChatRequest(request, { keepAlive: values.keepAlive });
        const includeThoughts = request.reasoning?.includeThoughts !== false;
        const direct = values.transport !== 'sdk';
        const exchange = new StreamExchange({ signal, maxLineBytes: maxRecordBytes, host, provider }, direct);
        const client =
          passedClient === undefined
            ? newClient({ headers: request.headers, fetch: exchange.fetchAround(values.fetch) })
            : streamClientOf(passedClient, exchange.fetchAround);
        try {
          // A client passed in whose fetch cannot be wrapped cannot hand the body over: sdk transport.
          if (direct && client !== undefined) {
            return await openOllamaDirectStream({
              client,
              exchange,
              params,
              signal,
              host,
              provider,
              maxLineBytes: maxRecordBytes,
              includeThoughts,
            });
          }
          return await openOllamaChatStream({
            client: client ?? (passedClient as Ollama),
            params,
            signal,
            lines: client === undefined ? undefined : exchange.lines,
            includeThoughts,
          });
        } catch (error) {
          // Mapped here, where the retry-after of the error response is known.
          const context = { host, provider, retryAfterMs: exchange.retryAfterMs };
          throw normalizeOllamaError(error, context) ?? error;
        }
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
