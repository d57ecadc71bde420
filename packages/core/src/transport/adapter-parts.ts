import type { TokenwireError } from '../model/errors.js';
import type { AdapterDelta, ChatRequest } from '../model/types.js';
import type { SettingKind } from '../request/validate-settings.js';
import type { END_OF_STREAM, Wire, WireRecord } from './wire.js';

/**
 * An adapter's translation of one response: a synchronous function over the vendor SDK's own
 * chunk type, with the state of one request. The same translator serves both transports: the
 * direct one hands it the chunks `record()` made of the body, the `sdk` one the SDK's own.
 */
export interface Translator<Chunk, State> {
  /** The state of one request, made before it is sent (`send` may fill in what the sending decided). */
  start(request: ChatRequest): State;
  /** Pushes the deltas of one chunk to `out`; true when it was the response's terminal record. May throw. */
  translate(chunk: Chunk, state: State, out: AdapterDelta[]): boolean;
  /** Pushes the deltas due when the response ended, terminal record or not; may throw after pushing. */
  end?(state: State, out: AdapterDelta[]): void;
}

/**
 * What `send` hands back: a 200 body for core to frame (the direct transport), or the vendor
 * SDK's own chunk iterator (the `sdk` transport, and SDKs that cannot hand the body over).
 * `release` runs once when the runtime stops reading, early or at the end (close what the SDK holds).
 */
export type Sent<Chunk> =
  | {
      body: ReadableStream<Uint8Array>;
      headers: Headers;
      /** How the request is named in errors about the body: `POST https://host/path`. Default: the provider's API. */
      request?: string;
      /** Runs once when the runtime stops reading: close what the SDK holds for the request. */
      release?(): void;
    }
  | {
      chunks: AsyncIterable<Chunk>;
      /** Runs once when the runtime stops reading: close the SDK's stream (its connection). */
      release?(): void;
    };

/** What `send` is given besides the client and the request. */
export interface SendContext<State> {
  /** Aborted on cancel, timeout, `break` and at the end: pass it to the vendor SDK. */
  signal: AbortSignal;
  /**
   * `settings.transport`: `'direct'` (default, hand back the body) or `'sdk'` (hand back the SDK's
   * chunks). An adapter without an SDK (a plain `fetch`) hands back the body on both: on `'sdk'`
   * core then reads it one record per async step, as an SDK's iterator would, through `guard`.
   */
  transport: 'direct' | 'sdk';
  /** The translator's state of this request (`translator.start`), for what the sending decides. */
  state: State;
  /** `maxBytes.record`, in characters. */
  maxRecordBytes: number | undefined;
  /**
   * For the `sdk` transport of an SSE or NDJSON wire, where the adapter can reach the 200 body before
   * the SDK parses it (a `fetch` the SDK calls): the body as the SDK should read it — whole records,
   * each within `maxBytes.record`, the errors of a body that is not of its wire or ends inside a
   * record (`guardBody`). `request` names the request in those errors.
   */
  guard(body: ReadableStream<Uint8Array>, headers: Headers, request?: string): ReadableStream<Uint8Array>;
}

/**
 * What an adapter supplies to `defineAdapter`: its names and settings, how the vendor SDK sends a
 * request and hands the 200 body over (`send`), the wire the body is in, what the SDK would make of
 * one record (`record`), and the translator. Core builds both transports from them.
 */
export interface AdapterParts<Settings, Client, Chunk, State, W extends Wire = Wire> {
  /** The adapter's name: its package's (`'openai'` for `@tokenwire/openai`), or yours. */
  name: string;
  /** The provider it serves (`'openai'`, `'deepseek'`, `'vertex'`), named in errors. */
  provider: string;
  /** The settings it was created with; checked against `settingKinds`. */
  settings: Settings;
  /** Every setting the adapter knows, with its kind. Unknown keys are refused by name. */
  settingKinds: Readonly<Record<string, SettingKind>>;
  /** A problem the kinds cannot tell (two settings in conflict): thrown by `client` and refused by every request. */
  checkSettings?(settings: Settings): TokenwireError | undefined;
  /** The vendor client, built on first use (it may throw a `configuration` error: a missing key). */
  client(): Client | Promise<Client>;
  /** The provider's own limits, checked before anything is sent: return (or throw) `requestProblem(…)`. */
  // biome-ignore lint/suspicious/noConfusingVoidType: a check that finds nothing may return nothing
  checkRequest?(request: ChatRequest): TokenwireError | undefined | void;
  /** Sends the request through the vendor SDK and hands over the 200 body (or the SDK's chunks). */
  send(client: Client, request: ChatRequest, context: SendContext<State>): Promise<Sent<Chunk>>;
  /** The wire format of the body: core's `'sse'` or `'ndjson'`, or a `WireFraming` (AWS event streams). */
  wire: W;
  /**
   * One record of the body as the SDK would yield it: the chunk, `undefined` for a record the SDK
   * skips, `END_OF_STREAM` for a record that ends the response (`data: [DONE]`); or it throws the
   * SDK's own error for an in-band error record, so that `normalizeError` sees the same on both
   * transports. `headers` are the 200's.
   */
  record(record: WireRecord<W>, headers: Headers): Chunk | undefined | typeof END_OF_STREAM;
  /** The translation of the chunks. */
  translator: Translator<Chunk, State>;
  /** Maps the vendor SDK's errors to TokenwireErrors; undefined lets the runtime decide. */
  normalizeError(error: unknown, context: { beforeOutput: boolean }): TokenwireError | undefined;
  /** A 200 body that is not of its wire may be a vendor error document: the error it holds, if any. */
  bodyError?(text: string): unknown;
  /** The base URL requests go to, for telemetry's `server.address`; undefined when unknown. */
  endpoint?(): string | undefined;
}
