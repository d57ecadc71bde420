import type { TokenwireError } from '../model/errors.js';
import { registerSecret } from '../model/redact.js';
import { registerSecretHeaders } from '../model/secret-headers.js';
import type { Adapter, AdapterContext, AdapterDelta, ChatRequest, ChunkStream } from '../model/types.js';
import { checkSettings, type SettingKind } from '../request/validate-settings.js';
import { deltasFromChunkStream } from './chunk-stream.js';

/** What an adapter supplies to `defineAdapter`: its names, settings, and three small functions. */
export interface AdapterParts<Client, Chunk> {
  /** The adapter's name: its package's (`'openai'` for `@tokenwire/openai`), or yours. */
  name: string;
  /** The provider it serves (`'openai'`, `'deepseek'`, `'vertex'`), named in errors. */
  provider: string;
  /** The settings it was created with; checked against `settingKinds`. */
  settings: object | undefined;
  /** Every setting the adapter knows, with its kind. Unknown keys are refused by name. */
  settingKinds: Readonly<Record<string, SettingKind>>;
  /** The vendor client, built on first use; may throw a `configuration` error (a missing key). */
  client(): Client;
  /** The provider's own limits, checked before anything is sent: throw `requestProblem(…)`. */
  checkRequest?(request: ChatRequest): void;
  /** Sends the request through the vendor SDK; returns its chunks and their synchronous translator. */
  open(request: ChatRequest, context: AdapterContext): Promise<ChunkStream<Chunk>>;
  /** Maps the vendor SDK's errors to TokenwireErrors; undefined lets the runtime decide. */
  normalizeError(error: unknown, context?: { beforeOutput: boolean }): TokenwireError | undefined;
}

/** An adapter made by `defineAdapter`: the runtime's fast path, the vendor client and the provider it serves. */
export interface VendorAdapter<Client, Chunk = unknown> extends Adapter {
  /** The provider it serves, named in errors. */
  readonly provider: string;
  /** The vendor client: the one passed in, or the one built on first access (which may throw a `configuration` error). */
  readonly client: Client;
  /** Opens the vendor stream (the runtime's fast path). */
  open(request: ChatRequest, context: AdapterContext): Promise<ChunkStream<Chunk>>;
  /** Maps the vendor SDK's errors to TokenwireErrors (`beforeOutput`: nothing had reached the user yet). */
  normalizeError(error: unknown, context?: { beforeOutput: boolean }): TokenwireError | undefined;
}

/**
 * Builds an adapter the way every first-party adapter is built. Core does the common part: the
 * key and credential headers of the settings are registered as secrets, the settings are checked once (an unknown or mistyped one is a `configuration` error, reported on
 * every request rather than thrown here), the provider's limits are checked before the request is
 * sent, `stream()` is derived from `open()`, and `client` is built on first access. Nothing here
 * throws: every problem is the stream's `error` event.
 *
 * @example
 * export const createAcmeAdapter = (settings: AcmeSettings = {}) =>
 *   defineAdapter({ name: 'acme', provider: 'acme', settings, settingKinds: { apiKey: 'string', baseURL: 'url' },
 *     client: () => new Acme(loadApiKey({ apiKey: settings.apiKey, environmentVariables: ['ACME_API_KEY'], provider: 'acme' })),
 *     open: async (request, { signal }) => …, normalizeError: normalizeAcmeError });
 */
export function defineAdapter<Client, Chunk, Extra extends object = Record<never, never>>(
  parts: AdapterParts<Client, Chunk>,
  extra?: Extra,
): VendorAdapter<Client, Chunk> & Extra {
  const settingsProblem = checkSettings(parts.settings, parts.settingKinds, parts.provider);
  registerSettingSecrets(parts.settings, parts.settingKinds);
  const adapter: VendorAdapter<Client, Chunk> = {
    name: parts.name,
    provider: parts.provider,
    get client(): Client {
      if (settingsProblem !== undefined) throw settingsProblem;
      return parts.client();
    },
    async open(request, context) {
      if (settingsProblem !== undefined) throw settingsProblem;
      parts.checkRequest?.(request);
      return parts.open(request, context);
    },
    stream(request: ChatRequest, context: AdapterContext): AsyncIterable<AdapterDelta> {
      return deltasFromChunkStream(() => adapter.open(request, context), context.signal);
    },
    normalizeError: (error, context) => parts.normalizeError(error, context),
  };
  return extra === undefined
    ? (adapter as VendorAdapter<Client, Chunk> & Extra)
    : Object.assign(adapter, extra);
}

/** Registers the key and every credential header of the settings, so they are redacted wherever they show. */
function registerSettingSecrets(
  settings: object | undefined,
  kinds: Readonly<Record<string, SettingKind>>,
): void {
  if (typeof settings !== 'object' || settings === null) return;
  const values = settings as Record<string, unknown>;
  if (typeof values.apiKey === 'string') registerSecret(values.apiKey);
  for (const key in kinds) if (kinds[key] === 'headers') registerSecretHeaders(values[key]);
}
