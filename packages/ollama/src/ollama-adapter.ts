import { defineAdapter, type ProviderSettings, type VendorAdapter } from '@tokenwire/core/adapter';
import { isPlainObject } from '@tokenwire/core/internal';
import type { ChatResponse, Ollama } from 'ollama';
import { ollamaClientFactory, resolveOllamaConnection } from './ollama-client.js';
import { normalizeOllamaError } from './ollama-errors.js';
import { ollamaRecord } from './ollama-records.js';
import { checkOllamaRequest } from './ollama-request-checks.js';
import { type OllamaSendTarget, sendOllamaChat } from './ollama-send.js';
import {
  findOllamaSettingsProblem,
  OLLAMA_SETTING_KINDS,
  type OllamaAdapterSettings,
} from './ollama-settings.js';
import { ollamaTranslator } from './ollama-stream.js';

export type { OllamaAdapterSettings, OllamaTransport } from './ollama-settings.js';
export { DEFAULT_OLLAMA_HOST } from './ollama-settings.js';

/**
 * What the adapter's `open()` yields: the client's chunks (`transport: 'sdk'`) or the body's
 * network reads, which core frames (`transport: 'direct'`).
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
 * `chat({ stream: true })` call through a `fetch` of its own (`sendOllamaChat`); cancelling it
 * aborts that request only and closes its connection, as does the `done: true` line. On the
 * direct transport (the default) core reads the NDJSON body; on `'sdk'` ollama-js does, from
 * core's guarded body.
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
  const connection = resolveOllamaConnection(values);
  const { host, endpoint } = connection;
  const problem = findOllamaSettingsProblem(values, provider, connection.authorization !== undefined);
  const passedClient = values.client;
  const target: OllamaSendTarget = {
    ...{ provider, host, keepAlive: values.keepAlive, passedClient, fetch: values.fetch },
    newClient: ollamaClientFactory(values, connection, provider),
  };
  let client = passedClient;
  const parts = {
    ...{ name: 'ollama', provider, settings, settingKinds: OLLAMA_SETTING_KINDS, wire: 'ndjson' as const },
    checkSettings: () => problem,
    client: () => (client ??= target.newClient({})),
    checkRequest: (request: Parameters<typeof checkOllamaRequest>[0]) =>
      checkOllamaRequest(request, { provider, clientPassedIn: passedClient !== undefined }),
    send: sendOllamaChat.bind(undefined, target),
    record: ollamaRecord.bind(undefined, host),
    translator: ollamaTranslator,
    normalizeError: (error: unknown) => normalizeOllamaError(error, { host, provider }),
    endpoint: () => endpoint,
  };
  return defineAdapter(parts, { host });
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
