import { TokenwireError } from '@tokenwire/core';
import { type Environment, environmentOf, loadApiKey, type SettingKind } from '@tokenwire/core/adapter';
import { settingProblem } from '@tokenwire/core/internal';
import type { Ollama } from 'ollama';

/** The host when neither the `host` setting nor OLLAMA_HOST is set: a local Ollama. */
export const DEFAULT_OLLAMA_HOST = 'http://127.0.0.1:11434';

/** The variable ollama-js reads for ollama.com, and so does this adapter (for that host only). */
const API_KEY_VARIABLE = 'OLLAMA_API_KEY';

/** Settings of `createOllamaAdapter`, and of `createTokenwire({ providers: { ollama: { … } } })`. */
export interface OllamaAdapterSettings {
  /**
   * An `Ollama` client to use. Without it, the adapter builds its own from the settings below.
   * With it, `host`, `baseURL`, `headers`, `apiKey` and `fetch` are a configuration error (the
   * client has its own; its credential headers are registered as secrets) and per-request
   * `headers` are refused. Each stream sends through a view of the client whose fetch wraps the
   * client's own, so cancelling, malformed lines, `maxBytes.record` and `retry-after` behave as
   * with the adapter's own client.
   */
  client?: Ollama;
  /**
   * The Ollama server: `http://host:port`, `host:port`, `:port`, with a path prefix if any.
   * Credentials in it (`http://user:password@host`, for a server behind a proxy with Basic auth)
   * are taken out and sent as `Authorization: Basic`; with `apiKey` or an `Authorization` header
   * they are a configuration error. Default: the OLLAMA_HOST environment variable, then
   * `http://127.0.0.1:11434`.
   */
  host?: string;
  /**
   * Where OLLAMA_HOST and OLLAMA_API_KEY are read instead of `process.env`: a Worker's
   * `env` bindings. Default: `process.env` where it exists; `createTokenwire({ env })` passes its own.
   */
  env?: Environment;
  /** Another name of `host`, for configuration shared with other providers. Set one of the two. */
  baseURL?: string;
  /**
   * Sent as `Authorization: Bearer <apiKey>` on every request (ollama.com, or a proxy that wants a key).
   * Default: none, except for `https://ollama.com`, where it is the OLLAMA_API_KEY environment
   * variable (as ollama-js does) and required.
   */
  apiKey?: string;
  /** Headers of every request. An `Authorization` header here replaces `apiKey` (set one of the two). */
  headers?: Record<string, string>;
  /** `keep_alive` of every request: how long the model stays loaded (`'5m'`, `'1h'`, seconds, `-1`, `0`). Default: the server's (5 minutes). */
  keepAlive?: string | number;
  /** The fetch the client uses, e.g. one with a proxy dispatcher. Default `globalThis.fetch`. */
  fetch?: typeof globalThis.fetch;
  /** The provider this adapter serves, named in errors. Default 'ollama'. */
  provider?: string;
  /**
   * Who reads the body of a 200 answer. `'direct'` (default): the client sends the request and
   * turns an HTTP error into its `ResponseError`, but tokenwire reads the NDJSON body itself, one
   * synchronous decode per network read, into the same chunk objects (a client passed in whose
   * `fetch` cannot be wrapped falls back to `'sdk'`). `'sdk'`: the `ollama` client parses it and
   * the adapter translates the chunks it yields (the escape hatch).
   */
  transport?: OllamaTransport;
}

/** The values of the `transport` setting. */
export type OllamaTransport = 'direct' | 'sdk';

/** Every setting, with the kind core checks it against; `keepAlive` (string or number) is checked here. */
export const OLLAMA_SETTING_KINDS = {
  client: 'object',
  host: 'string',
  env: 'object',
  baseURL: 'string',
  apiKey: 'string',
  headers: 'headers',
  keepAlive: 'any',
  fetch: 'function',
  provider: 'string',
  transport: 'string',
} as const satisfies Record<keyof OllamaAdapterSettings, SettingKind>;

/** The settings a client passed in makes meaningless: it keeps its own. */
const CLIENT_SETTINGS = ['host', 'baseURL', 'apiKey', 'headers', 'fetch'] as const;

/**
 * A `configuration` problem of the settings that a setting kind cannot express, or undefined:
 * `keepAlive` of neither kind, `host` together with its alias `baseURL`, `apiKey` together with an
 * `Authorization` header, either of them beside credentials in the host (`hostHasCredentials`),
 * connection settings beside a `client`. No message quotes a credential.
 */
export function findOllamaSettingsProblem(
  settings: OllamaAdapterSettings,
  provider: string,
  hostHasCredentials = false,
): TokenwireError | undefined {
  const { keepAlive, transport } = settings;
  if (transport !== undefined && transport !== 'direct' && transport !== 'sdk') {
    return settingProblem(
      `transport (provider '${provider}')`,
      "must be 'direct' or 'sdk'",
      transport,
      provider,
    );
  }
  if (keepAlive !== undefined && typeof keepAlive !== 'string' && !Number.isFinite(keepAlive)) {
    return settingProblem(
      `keepAlive (provider '${provider}')`,
      'must be a duration like "10m" or a number of seconds (-1 keeps the model loaded, 0 unloads it)',
      keepAlive,
      provider,
    );
  }
  if (settings.client !== undefined) {
    const extra = CLIENT_SETTINGS.find((name) => settings[name] !== undefined);
    if (extra !== undefined) {
      return conflict(
        provider,
        `${extra} cannot be used with client: a client passed in keeps its own host, headers and fetch. ` +
          'Set them on new Ollama({ host, headers, fetch }), or pass the settings without a client.',
      );
    }
  }
  if (isSet(settings.host) && isSet(settings.baseURL)) {
    return conflict(provider, 'host and baseURL are the same setting: set one of them.');
  }
  if (isSet(settings.apiKey) && authorizationHeaderName(settings.headers) !== undefined) {
    return conflict(
      provider,
      'apiKey and headers.Authorization both set the Authorization header: set one of them.',
    );
  }
  if (
    hostHasCredentials &&
    (isSet(settings.apiKey) || authorizationHeaderName(settings.headers) !== undefined)
  ) {
    return conflict(
      provider,
      `the host carries credentials (user:password@), sent as Authorization: Basic, and ${isSet(settings.apiKey) ? 'apiKey' : 'headers.Authorization'} ` +
        'sets the Authorization header too: set one of them.',
    );
  }
  return undefined;
}

/** The host a client built from the settings talks to: `host`, `baseURL`, OLLAMA_HOST, then the default. */
export function configuredHost(settings: OllamaAdapterSettings): string {
  const configured = settings.host ?? settings.baseURL;
  if (typeof configured === 'string' && configured.trim() !== '') return configured.trim();
  const fromEnvironment = environmentOf(settings.env).OLLAMA_HOST?.trim();
  return fromEnvironment === undefined || fromEnvironment === '' ? DEFAULT_OLLAMA_HOST : fromEnvironment;
}

/**
 * The headers of every request to `host`: `headers`, plus `hostAuthorization` (the Basic auth of
 * credentials taken out of the host), or `Authorization: Bearer <key>` from `apiKey`, or for
 * `https://ollama.com` from OLLAMA_API_KEY. Throws the `configuration` error of `loadApiKey` when
 * ollama.com is the host and no key is anywhere.
 */
export function connectionHeaders(
  settings: OllamaAdapterSettings,
  host: string,
  provider: string,
  hostAuthorization?: string,
): Record<string, string> {
  const headers: Record<string, string> = { ...settings.headers };
  if (hostAuthorization !== undefined) headers.Authorization = hostAuthorization;
  if (isSet(settings.apiKey) || (isOllamaCloud(host) && authorizationHeaderName(headers) === undefined)) {
    const apiKey = loadApiKey({
      apiKey: settings.apiKey,
      environmentVariables: [API_KEY_VARIABLE],
      provider,
      environment: settings.env,
    });
    headers.Authorization = `Bearer ${apiKey}`;
  }
  return headers;
}

/** Set to something: an empty string counts as unset, as ollama-js treats an empty host. */
function isSet(value: unknown): boolean {
  return value !== undefined && value !== '';
}

/** Where ollama-js adds OLLAMA_API_KEY itself: https and the host name ollama.com. */
function isOllamaCloud(host: string): boolean {
  try {
    const url = new URL(host);
    return url.protocol === 'https:' && url.hostname === 'ollama.com';
  } catch {
    return false;
  }
}

function authorizationHeaderName(headers: Record<string, string> | undefined): string | undefined {
  return headers === undefined
    ? undefined
    : Object.keys(headers).find((name) => name.toLowerCase() === 'authorization');
}

/** Two settings that say the same thing; the values are not quoted, since one may be a key. */
function conflict(provider: string, message: string): TokenwireError {
  return new TokenwireError({
    code: 'configuration',
    provider,
    retryable: false,
    message: `Invalid configuration: provider '${provider}': ${message} Nothing was sent.`,
  });
}
