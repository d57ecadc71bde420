/**
 * A wire format as the replay server uses it: the five vendor protocols, or one of your own
 * (`CustomWireFormat`) for a service no vendor SDK speaks, so the conformance suite can drive a
 * custom adapter on its real path and framing.
 */
import { BUILT_IN_FORMATS } from './built-in-formats.js';
import {
  emptyRecord,
  encodeInBandError,
  encodeRecord,
  errorBody,
  type InBandErrorOptions,
  keepAliveRecord,
  protocolOfPath,
  streamContentType,
  terminalRecord,
  type WireProtocol,
} from './wire-formats.js';

/**
 * A service's own wire format for the replay server: where it is served and how a payload is
 * framed. Only `name`, `path` and `encodeRecord` are required.
 *
 * @example
 * const acmeWire: CustomWireFormat = {
 *   name: 'acme', path: '/v2/generate',
 *   encodeRecord: (payload) => `event: ${(payload as { type: string }).type}\ndata: ${JSON.stringify(payload)}\n\n`,
 * };
 */
export interface CustomWireFormat {
  /** Named in `RecordedRequest.protocol` and usable as a script's `protocol`. */
  name: string;
  /**
   * The request path it answers, without the query string, e.g. `'/v2/generate'`; a pattern for
   * paths with a model in them (`/^\/model\/[^/]+\/converse-stream$/`).
   */
  path: string | RegExp;
  /**
   * One payload as it goes on the wire (an SSE record, an NDJSON line, a binary frame, …). A string
   * payload is a malformed record to send as is.
   */
  encodeRecord(payload: unknown): string | Uint8Array;
  /** The streaming content type. Default `text/event-stream; charset=utf-8`. */
  contentType?: string;
  /** Written after the last record of a complete stream (like `data: [DONE]\n\n`). Default: nothing. */
  terminalRecord?: string;
  /** The service's in-band error record. Default: the record of `{ type: 'error', code, message }`. */
  encodeInBandError?(options: InBandErrorOptions): string | Uint8Array;
  /** The JSON body of an HTTP error answer. Default: `{ error: { message, code } }`. */
  errorBody?(status: number, message: string): unknown;
  /** Headers of an HTTP error answer that say what the error is (AWS's `x-amzn-errortype`). Default: none. */
  errorHeaders?(status: number): Record<string, string>;
  /** A keep-alive record (an SSE comment), for scripts with `keepAlive`. Default: none. */
  keepAliveRecord?: string;
  /**
   * A payload that carries nothing for the user (an empty text delta), for scripts with a
   * `heartbeat`. Without it, the conformance test of records that carry nothing is skipped.
   */
  emptyPayload?: unknown;
}

/** What the replay server needs of any wire format. */
export interface Wire {
  name: string;
  contentType: string;
  encodeRecord(payload: unknown): string | Uint8Array;
  terminalRecord: string | undefined;
  encodeInBandError(options: InBandErrorOptions, sequence: number): string | Uint8Array;
  errorBody(status: number, message?: string): unknown;
  errorHeaders(status: number): Record<string, string>;
  keepAliveRecord: string | undefined;
  /** A payload that carries nothing, for heartbeats; undefined when the format has none. */
  emptyPayload: unknown;
}

/** A vendor protocol as a `Wire`. */
export function builtInWire(protocol: WireProtocol): Wire {
  return {
    name: protocol,
    contentType: streamContentType(protocol),
    encodeRecord: (payload) => encodeRecord(protocol, payload),
    terminalRecord: terminalRecord(protocol),
    encodeInBandError: (options, sequence) => encodeInBandError(protocol, options, sequence),
    errorBody: (status, message) => errorBody(protocol, status, message),
    errorHeaders: () => ({}),
    keepAliveRecord: keepAliveRecord(protocol),
    emptyPayload: emptyRecord(protocol),
  };
}

/** A custom format as a `Wire`, with its defaults. */
export function customWire(format: CustomWireFormat): Wire {
  return {
    name: format.name,
    contentType: format.contentType ?? 'text/event-stream; charset=utf-8',
    encodeRecord: (payload) => format.encodeRecord(payload),
    terminalRecord: format.terminalRecord,
    encodeInBandError: (options) =>
      format.encodeInBandError?.(options) ??
      format.encodeRecord({
        type: 'error',
        code: options.code ?? options.type ?? 'server_error',
        message: options.message ?? 'The server had an error while processing your request.',
      }),
    errorBody: (status, message) =>
      format.errorBody?.(status, message ?? `HTTP ${status}`) ?? {
        error: { message: message ?? `HTTP ${status}`, code: status },
      },
    errorHeaders: (status) => format.errorHeaders?.(status) ?? {},
    keepAliveRecord: format.keepAliveRecord,
    emptyPayload: format.emptyPayload,
  };
}

/** True when a custom format serves the path (its `path`, or a match of its pattern). */
export function servesPath(format: CustomWireFormat, path: string): boolean {
  return typeof format.path === 'string' ? format.path === path : format.path.test(path);
}

/**
 * The name of the wire format that serves a path: a custom format's (the server's own, then the
 * built-in AWS event-stream formats), else the vendor protocol of the path.
 */
export function wireNameOfPath(path: string, custom: readonly CustomWireFormat[]): string | undefined {
  const formats = [...custom, ...BUILT_IN_FORMATS];
  return formats.find((format) => servesPath(format, path))?.name ?? protocolOfPath(path);
}

/**
 * The wire a request is answered in: a script's forced `protocol` (a vendor protocol or a custom
 * format's name), else the custom format serving the path, else the vendor protocol of the path.
 */
export function wireFor(
  path: string,
  forced: string | undefined,
  custom: readonly CustomWireFormat[],
): Wire | undefined {
  const name = forced ?? wireNameOfPath(path, custom);
  if (name === undefined) return undefined;
  const format = [...custom, ...BUILT_IN_FORMATS].find((candidate) => candidate.name === name);
  return format === undefined ? builtInWire(name as WireProtocol) : customWire(format);
}
