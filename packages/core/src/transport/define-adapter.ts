import type { TokenwireError } from '../model/errors.js';
import { registerSecret } from '../model/redact.js';
import { registerSecretHeaders } from '../model/secret-headers.js';
import type { Adapter, AdapterContext, AdapterDelta, ChatRequest, ChunkStream } from '../model/types.js';
import { checkSettings, type SettingKind } from '../request/validate-settings.js';
import type { AdapterParts } from './adapter-parts.js';
import { openFromParts, transportOf } from './adapter-transports.js';
import { deltasFromChunkStream } from './chunk-stream.js';
import type { Wire } from './wire.js';

/**
 * The parts of an adapter that opens its `ChunkStream` itself. Deprecated: the way before
 * `AdapterParts`, kept so that adapters written against it still build; move `open` into `send`,
 * `wire`, `record` and `translator` (README, "Writing an adapter").
 */
export interface OpenAdapterParts<Client, Chunk> {
  /** The adapter's name. */
  name: string;
  /** The provider it serves, named in errors. */
  provider: string;
  /** The settings it was created with; checked against `settingKinds`. */
  settings: object | undefined;
  /** Every setting the adapter knows, with its kind. */
  settingKinds: Readonly<Record<string, SettingKind>>;
  /** The vendor client, built on first use. */
  client(): Client;
  /** The provider's own limits: throw `requestProblem(…)`. */
  checkRequest?(request: ChatRequest): void;
  /** Sends the request and returns its chunks and their synchronous translator. */
  open(request: ChatRequest, context: AdapterContext): Promise<ChunkStream<Chunk>>;
  /** Maps the vendor SDK's errors to TokenwireErrors. */
  normalizeError(error: unknown, context?: { beforeOutput: boolean }): TokenwireError | undefined;
}

/** An adapter made by `defineAdapter`: the runtime's fast path, the vendor client and the provider it serves. */
export interface VendorAdapter<Client, Chunk = unknown> extends Adapter {
  /** The provider it serves, named in errors. */
  readonly provider: string;
  /** The vendor client: the one passed in, or the one built on first access (which may throw a `configuration` error). */
  readonly client: Client;
  /** Who reads the 200 body: `settings.transport`, default `'direct'`. */
  readonly transport: 'direct' | 'sdk';
  /** Opens the vendor stream (the runtime's fast path). */
  open(request: ChatRequest, context: AdapterContext): Promise<ChunkStream<Chunk>>;
  /** Maps the vendor SDK's errors to TokenwireErrors (`beforeOutput`: nothing had reached the user yet). */
  normalizeError(error: unknown, context?: { beforeOutput: boolean }): TokenwireError | undefined;
  /** The base URL requests go to, for telemetry; undefined when unknown. */
  endpoint?(): string | undefined;
}

/**
 * Builds an adapter from its parts — the one way to add a provider, first-party or custom. Core
 * does the rest: the key and credential headers of the settings are registered as secrets, the
 * settings are checked once (an unknown or mistyped one, or `checkSettings`' problem, is a
 * `configuration` error reported on every request rather than thrown here), the provider's
 * limits are checked before sending, and both transports are built from `send`, `wire`, `record`
 * and `translator`: framing (SSE, NDJSON or a `WireFraming`), the caps, the terminal record, the
 * bytes after it, errors after deltas, a cut last record, close and abort. `stream()` is derived
 * from `open()`, and `client` is built on first access. Nothing here throws.
 *
 * @example
 * export const createAcmeAdapter = (settings: AcmeSettings = {}) =>
 *   defineAdapter({ name: 'acme', provider: 'acme', settings, settingKinds: { apiKey: 'string', baseURL: 'url' },
 *     client: () => new Acme({ apiKey: loadApiKey({ apiKey: settings.apiKey, environmentVariables: ['ACME_API_KEY'], provider: 'acme' }) }),
 *     send: async (acme, request, { signal }) => { const response = await acme.stream(request, { signal }); return { body: response.body, headers: response.headers }; },
 *     wire: 'sse', record: (record) => JSON.parse(record.data), translator: acmeTranslator, normalizeError: normalizeAcmeError });
 */
export function defineAdapter<
  Settings,
  Client,
  Chunk,
  State,
  W extends Wire,
  Extra extends object = Record<never, never>,
>(
  parts: AdapterParts<Settings, Client, Chunk, State, W>,
  extra?: Extra,
): VendorAdapter<Client, Chunk> & Extra;
/** @deprecated Builds an adapter from `open()` (the way before `AdapterParts`). */
export function defineAdapter<Client, Chunk, Extra extends object = Record<never, never>>(
  parts: OpenAdapterParts<Client, Chunk>,
  extra?: Extra,
): VendorAdapter<Client, Chunk> & Extra;
export function defineAdapter(
  parts: AdapterParts<unknown, unknown, unknown, unknown, Wire> | OpenAdapterParts<unknown, unknown>,
  extra?: object,
): VendorAdapter<unknown> {
  // `env` (where keys are read instead of process.env) is every adapter's setting: createTokenwire's passes it on.
  const kinds = { env: 'object', ...parts.settingKinds } as const;
  const problem =
    checkSettings(parts.settings, kinds, parts.provider) ??
    ('checkSettings' in parts ? parts.checkSettings?.(parts.settings) : undefined);
  registerSettingSecrets(parts.settings, parts.settingKinds);
  const open =
    'open' in parts
      ? (request: ChatRequest, context: AdapterContext) => parts.open(request, context)
      : (request: ChatRequest, context: AdapterContext) => openFromParts(parts, request, context);
  const adapter: VendorAdapter<unknown> = {
    name: parts.name,
    provider: parts.provider,
    transport: transportOf(parts.settings),
    get client(): unknown {
      if (problem !== undefined) throw problem;
      return parts.client();
    },
    async open(request, context) {
      if (problem !== undefined) throw problem;
      const refused = parts.checkRequest?.(request);
      if (refused !== undefined) throw refused;
      return open(request, context);
    },
    stream(request: ChatRequest, context: AdapterContext): AsyncIterable<AdapterDelta> {
      return deltasFromChunkStream(() => adapter.open(request, context), context.signal);
    },
    normalizeError: (error, context) => parts.normalizeError(error, context ?? { beforeOutput: false }),
  };
  if ('endpoint' in parts && parts.endpoint !== undefined) adapter.endpoint = parts.endpoint;
  return extra === undefined ? adapter : Object.assign(adapter, extra);
}

/** Registers the key and every credential header of the settings, so they are redacted wherever they show. */
function registerSettingSecrets(settings: unknown, kinds: Readonly<Record<string, SettingKind>>): void {
  if (typeof settings !== 'object' || settings === null) return;
  const values = settings as Record<string, unknown>;
  if (typeof values.apiKey === 'string') registerSecret(values.apiKey);
  for (const key in kinds) if (kinds[key] === 'headers') registerSecretHeaders(values[key]);
}
