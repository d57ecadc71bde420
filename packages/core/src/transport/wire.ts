import { bodyExcerpt, looksLikeHtml } from '../model/body-excerpt.js';
import { TokenwireError } from '../model/errors.js';
import { limitError } from '../runtime/stream-limits.js';
import type { SSERecord } from './read-records.js';
import { NDJSONDecoder, SSEDecoder } from './record-decoders.js';

/**
 * Decodes the records of one response body, one network read at a time, synchronously. Errors
 * are thrown: a record over `maxBytes.record`, a malformed frame, a body that ended inside a record.
 */
export interface RecordDecoder<Record> {
  /** Decodes one read, appending the records it completed to `out`, in order. */
  push(bytes: Uint8Array, out: Record[]): void;
  /**
   * The body ended: appends what its last bytes complete. Returns true when the last record
   * appended was open (its terminator never came): a reader that cannot read it was cut off.
   */
  end(out: Record[]): boolean;
}

/** What a decoder of one body is told. */
export interface RecordDecoderOptions {
  /** Named in errors. */
  provider: string;
  /** `maxBytes.record`: a longer record is `invalid_response`. Unset: no limit. */
  maxRecordBytes: number | undefined;
  /** The base URL the body comes from (the adapter's `endpoint()`), named in errors; unset when unknown. */
  endpoint?: string | undefined;
}

/**
 * A wire format of its own, beside core's `'sse'` and `'ndjson'`: AWS event streams, whose codec
 * the Bedrock package injects, or yours. `decoder` is called once per response body.
 */
export interface WireFraming<Record> {
  /** How the format is named in errors: `'AWS event stream'`. */
  readonly name: string;
  /** A decoder for one body. */
  decoder(options: RecordDecoderOptions): RecordDecoder<Record>;
  /**
   * For text formats: whether text at the start of a body is of this format — yes, no, or not
   * enough text yet. A body that is not (an HTML page, a JSON error) is refused quoting what came.
   */
  startsLike?(text: string): boolean | undefined;
}

/** A wire: core's server-sent events, core's newline-delimited JSON, or a framing of your own. */
export type Wire = 'sse' | 'ndjson' | WireFraming<unknown>;

/** What `record()` gets for a wire: an SSE event, an NDJSON line's parsed value, or a framing's record. */
export type WireRecord<W extends Wire> = W extends 'sse'
  ? SSERecord
  : W extends WireFraming<infer Record>
    ? Record
    : unknown;

/**
 * What `record()` returns for a record that ends the response without a chunk of its own (OpenAI's
 * `data: [DONE]`): the runtime finishes there, and what the body holds after it is not read.
 */
export const END_OF_STREAM: unique symbol = Symbol.for('tokenwire.end-of-stream');

/**
 * The error of a body that ended inside a record: `invalid_response`, retried like the truncation
 * it is when nothing had reached the user (the runtime makes it final after output).
 */
export function cutRecord(provider: string, cause: unknown): TokenwireError {
  return new TokenwireError({
    code: 'invalid_response',
    provider,
    retryable: true,
    message: `The ${provider} stream ended inside a record: it was cut off (truncated stream).`,
    cause,
  });
}

/**
 * The error of an NDJSON line that is not JSON — on the direct transport one that does not parse,
 * on the `sdk` one (whose vendor client parses) one not shaped like a JSON object — worded the
 * same on both: `invalid_response`, retryable like the truncation it usually is when nothing had
 * reached the user, naming the line and the base URL, and quoting the line (an HTML page by its title).
 */
export function notJsonLine(
  options: RecordDecoderOptions,
  lineNumber: number,
  line: string,
  cause: unknown,
): TokenwireError {
  const { provider, endpoint } = options;
  const text = line.trim();
  const shown = looksLikeHtml(text) ? bodyExcerpt(text) : `"${bodyExcerpt(text, 120)}"`;
  return new TokenwireError({
    code: 'invalid_response',
    provider,
    retryable: true,
    message: `The ${provider} stream carried a record that is not valid JSON: line ${lineNumber} of the response from ${endpoint ?? `the ${provider} API`} is not a JSON object: ${shown}. Is the base URL the provider's, or a proxy that rewrites the response?`,
    cause,
  });
}

/** The field names an event stream can start with, after a BOM and blank lines. */
const SSE_STARTS = ['data:', ':', 'event:', 'id:', 'retry:'];

/** Whether text at the start of a body is an event stream: yes, no, or not enough text yet. */
function startsAsEventStream(text: string): boolean | undefined {
  const start = text.replace(/^[\uFEFF\s]+/, '');
  if (start === '') return undefined;
  if (SSE_STARTS.some((field) => start.startsWith(field))) return true;
  return SSE_STARTS.some((field) => field.startsWith(start)) ? undefined : false;
}

/** Whether text at the start of a body is NDJSON: its first value opens an object or an array. */
function startsAsNDJSON(text: string): boolean | undefined {
  const start = text.replace(/^[\uFEFF\s]+/, '');
  return start === '' ? undefined : start.startsWith('{') || start.startsWith('[');
}

/** Core's SSE framing: `SSEDecoder` (CRLF, `\r`, BOM, comments, UTF-8 across reads), every event capped. */
const SSE_FRAMING: WireFraming<SSERecord> = {
  name: 'event stream',
  decoder: (options) => new SSERecords(options),
  startsLike: startsAsEventStream,
};

/** Core's NDJSON framing: `NDJSONDecoder` (blank lines skipped, `\r\n`), every line capped and parsed. */
const NDJSON_FRAMING: WireFraming<unknown> = {
  name: 'NDJSON stream',
  decoder: (options) => new NDJSONRecords(options),
  startsLike: startsAsNDJSON,
};

/** The framing of a wire. */
export function framingOf<W extends Wire>(wire: W): WireFraming<WireRecord<W>> {
  if (wire === 'sse') return SSE_FRAMING as WireFraming<WireRecord<W>>;
  if (wire === 'ndjson') return NDJSON_FRAMING as WireFraming<WireRecord<W>>;
  return wire as WireFraming<WireRecord<W>>;
}

const LINE_FEED = 0x0a;
const CARRIAGE_RETURN = 0x0d;

/** SSE events of one body, each measured against `maxBytes.record`; an end inside an event is a cut. */
class SSERecords implements RecordDecoder<SSERecord> {
  private readonly decoder: SSEDecoder;
  private readonly max: number;
  /** Bytes read since the last read that completed an event: what an open event measures. */
  private sinceRecord = 0;
  /** Line ends in a row at the end of what arrived (CRLF counts once), and whether the last byte was CR. */
  private lineEnds = 2;
  private lastWasCarriageReturn = false;

  constructor(private readonly options: RecordDecoderOptions) {
    const max = options.maxRecordBytes;
    this.max = max ?? Number.POSITIVE_INFINITY;
    this.decoder = new SSEDecoder({
      provider: options.provider,
      ...(max === undefined ? {} : { maxBufferSize: max }),
    });
  }

  push(bytes: Uint8Array, out: SSERecord[]): void {
    this.sinceRecord += bytes.length;
    this.track(bytes);
    let records: SSERecord[];
    try {
      records = this.decoder.push(bytes);
    } catch (error) {
      if (!TokenwireError.isInstance(error) || !/maxBufferSize/.test(error.message)) throw error;
      throw this.tooLong(Math.max(this.sinceRecord, this.max + 1), ' (read so far)');
    }
    if (records.length > 0) this.sinceRecord = 0;
    this.append(records, out);
  }

  // Bytes other than line ends since the last blank line: the body stopped inside an event, which
  // is flushed for the record reader to judge (a last event without its blank line is whole).
  end(out: SSERecord[]): boolean {
    const open = this.lineEnds < 2;
    const before = out.length;
    this.append(this.decoder.end(open), out);
    return open && out.length > before;
  }

  private append(records: SSERecord[], out: SSERecord[]): void {
    for (let index = 0; index < records.length; index++) {
      const record = records[index] as SSERecord;
      // The decoder bounds what it buffers across reads; an event whole in one read is measured here.
      if (record.data.length > this.max) throw this.tooLong(record.data.length, '');
      out.push(record);
    }
  }

  /** Follows the line ends at the end of what arrived, scanning only the read's trailing ones. */
  private track(bytes: Uint8Array): void {
    let index = bytes.length - 1;
    while (index >= 0 && (bytes[index] === LINE_FEED || bytes[index] === CARRIAGE_RETURN)) index--;
    if (index >= 0) {
      this.lineEnds = 0;
      this.lastWasCarriageReturn = false;
    }
    for (let position = index + 1; position < bytes.length && this.lineEnds < 2; position++) {
      const byte = bytes[position];
      if (byte === LINE_FEED && this.lastWasCarriageReturn) {
        this.lastWasCarriageReturn = false;
        continue;
      }
      this.lastWasCarriageReturn = byte === CARRIAGE_RETURN;
      this.lineEnds++;
    }
  }

  private tooLong(size: number, soFar: string): TokenwireError {
    const { provider } = this.options;
    return limitError(`An SSE event of the ${provider} stream${soFar}`, 'record', size, this.max, provider);
  }
}

/** NDJSON lines of one body, parsed, each measured against `maxBytes.record`. */
class NDJSONRecords implements RecordDecoder<unknown> {
  private readonly decoder: NDJSONDecoder;

  constructor(options: RecordDecoderOptions) {
    this.decoder = cappedNDJSONDecoder(options, true);
  }

  push(bytes: Uint8Array, out: unknown[]): void {
    this.decoder.push(bytes, out);
  }

  // A last line without its newline is whole if it parses (servers may omit the last newline);
  // if it does not, the decoder says which line was malformed.
  end(out: unknown[]): boolean {
    this.decoder.end(out);
    return false;
  }
}

/** Core's NDJSON decoder for one body: lines capped at `maxBytes.record`, parsed or (`parse` false) as text. */
export function cappedNDJSONDecoder(options: RecordDecoderOptions, parse: boolean): NDJSONDecoder {
  const { provider, maxRecordBytes } = options;
  return new NDJSONDecoder({
    provider,
    parse,
    malformedLine: (line, lineNumber, cause) => notJsonLine(options, lineNumber, line, cause),
    ...(maxRecordBytes === undefined ? {} : { maxBufferSize: maxRecordBytes }),
    lineTooLong: (size) =>
      limitError(
        `An NDJSON line of the ${provider} stream`,
        'record',
        size,
        maxRecordBytes as number,
        provider,
      ),
  });
}
