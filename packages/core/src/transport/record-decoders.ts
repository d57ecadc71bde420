import { createParser, type EventSourceParser, type ParseError } from 'eventsource-parser';
import { TokenwireError } from '../model/errors.js';
import type { ReadRecordsOptions, ReadSSEOptions, SSERecord } from './read-records.js';

const CARRIAGE_RETURN = 13;
const LINE_FEED = 10;

/** Where the last line end (`\n` or `\r`) of a read is, searched from its end; -1 when it has none. */
function lastLineEnd(bytes: Uint8Array): number {
  let index = bytes.length - 1;
  while (index >= 0 && bytes[index] !== LINE_FEED && bytes[index] !== CARRIAGE_RETURN) index--;
  return index;
}

/**
 * Server-sent events from network reads, synchronously: `push` each read's bytes and get the
 * events it completed, `end` when the body ended. For adapters that read a body themselves and
 * translate all the records of a read in one step (`readSSE` is the async form). Line ends `\n`,
 * `\r\n` and `\r`, UTF-8 split across reads and a leading BOM are handled; comments are dropped
 * (see `onComment`); an event cut off before its closing blank line is not returned. Throws an
 * `invalid_response` TokenwireError past `maxBufferSize`.
 */
export class SSEDecoder {
  private readonly decoder = new TextDecoder();
  private readonly parser: EventSourceParser;
  private records: SSERecord[] = [];
  private failure: TokenwireError | undefined;
  /** A read that ends with `\r` leaves the parser waiting to see whether `\n` follows. */
  private endsWithCarriageReturn = false;

  constructor(options: ReadSSEOptions = {}) {
    this.parser = createParser({
      onEvent: (message) => {
        this.records.push({ event: message.event, data: message.data, id: message.id });
      },
      onComment: options.onComment,
      onError: (error: ParseError) => {
        // Unknown fields and bad `retry` values are ignored, as the specification says.
        if (error.type === 'max-buffer-size-exceeded') this.failure = bufferExceeded('SSE event', options);
      },
      maxBufferSize: options.maxBufferSize,
    });
  }

  /**
   * Decodes one read; returns the events it completed, in order (a fresh array). The bytes after
   * the read's last line end are decoded on their own: what the parser keeps for the next read is
   * then a short string of its own, not a slice that would hold the whole read's text in memory
   * (with many concurrent streams those slices outlive young-generation collections).
   */
  push(bytes: Uint8Array): SSERecord[] {
    const cut = lastLineEnd(bytes);
    if (cut === -1 || cut === bytes.length - 1) this.feed(this.decoder.decode(bytes, { stream: true }));
    else {
      this.feed(this.decoder.decode(bytes.subarray(0, cut + 1), { stream: true }));
      this.feed(this.decoder.decode(bytes.subarray(cut + 1), { stream: true }));
    }
    return this.take();
  }

  /**
   * The body ended: the events that completes. An event still open (its blank line never came) is
   * dropped, as the specification says, unless `flush` is true: then it is returned as if its blank
   * line had arrived (a reader that checks it, such as `JSON.parse` of its data, tells a cut one).
   */
  end(flush = false): SSERecord[] {
    this.feed(this.decoder.decode());
    // At the end of the body a trailing `\r` is a line end: complete it without adding a line.
    if (flush) this.parser.feed('\n\n');
    else if (this.endsWithCarriageReturn) this.parser.feed('\n');
    this.endsWithCarriageReturn = false;
    return this.take();
  }

  private feed(text: string): void {
    if (text.length === 0) return;
    this.parser.feed(text);
    this.endsWithCarriageReturn = text.charCodeAt(text.length - 1) === CARRIAGE_RETURN;
  }

  private take(): SSERecord[] {
    if (this.failure !== undefined) throw this.failure;
    const records = this.records;
    if (records.length > 0) this.records = [];
    return records;
  }
}

/** Options of `NDJSONDecoder`. */
export interface NDJSONDecoderOptions extends ReadRecordsOptions {
  /**
   * Makes the error of a line longer than `maxBufferSize` (whole in one read, or still open),
   * given its length so far. Default: an `invalid_response` TokenwireError naming `maxBufferSize`.
   */
  lineTooLong?(size: number): Error;
  /**
   * `false`: each line's text is appended to `out` as it is, not parsed, once it is shaped like a
   * JSON object (`{…}`, white space around it allowed): a guard that hands whole lines on to a
   * vendor parser. Default true.
   */
  parse?: boolean;
  /**
   * Makes the error of a line that is not JSON (with `parse: false`: not shaped like a JSON
   * object), given its text and its number (blank lines count) and the parser's error. Default: an
   * `invalid_response` TokenwireError, `Malformed NDJSON line N: …`.
   */
  malformedLine?(line: string, lineNumber: number, cause: unknown): Error;
}

/**
 * Newline-delimited JSON from network reads, synchronously: `push` each read and get the values of
 * the lines it completed appended to `out`, `end` for a last line without a newline. Blank lines are
 * skipped, `\r\n` is accepted; a line that is not JSON, or longer than `maxBufferSize`, throws an
 * `invalid_response` TokenwireError, the lines before it already in `out` (`readNDJSON` is the
 * async form). A line that is not JSON is retryable (the runtime retries it only before any output,
 * like the truncation it usually is); a line over the limit is not.
 */
export class NDJSONDecoder {
  private readonly decoder = new TextDecoder();
  /** The start of a line whose newline has not arrived yet. */
  private pending = '';
  private lineNumber = 0;
  private readonly maxBufferSize: number;

  constructor(private readonly options: NDJSONDecoderOptions = {}) {
    this.maxBufferSize = options.maxBufferSize ?? Number.POSITIVE_INFINITY;
  }

  /**
   * Decodes one read; appends the parsed lines it completed to `out`, in order. The bytes after
   * the read's last newline are decoded on their own, so the start of a line kept for the next
   * read does not hold the whole read's text in memory.
   */
  push(bytes: Uint8Array, out: unknown[]): void {
    const cut = bytes.lastIndexOf(LINE_FEED);
    if (cut === -1) {
      // Only the new text is searched for newlines, so a long line costs linear time.
      this.pending += this.decoder.decode(bytes, { stream: true });
    } else {
      const whole = cut === bytes.length - 1;
      const text = this.decoder.decode(whole ? bytes : bytes.subarray(0, cut + 1), { stream: true });
      let start = 0;
      let newline = text.indexOf('\n');
      while (newline !== -1) {
        const line = this.pending + text.slice(start, newline);
        this.pending = '';
        this.line(line, out);
        start = newline + 1;
        newline = text.indexOf('\n', start);
      }
      if (!whole) this.pending = this.decoder.decode(bytes.subarray(cut + 1), { stream: true });
    }
    if (this.pending.length > this.maxBufferSize) throw this.tooLong(this.pending.length);
  }

  /** The body ended: appends the value of a last line without a newline, if any. */
  end(out: unknown[]): void {
    const line = this.pending + this.decoder.decode();
    this.pending = '';
    this.line(line, out);
  }

  private tooLong(size: number): Error {
    return this.options.lineTooLong?.(size) ?? bufferExceeded('NDJSON line', this.options);
  }

  private line(line: string, values: unknown[]): void {
    this.lineNumber++;
    // A line whole in one read was never pending: it is measured here, before it is parsed.
    if (line.length > this.maxBufferSize) throw this.tooLong(line.length);
    // `\r` (of `\r\n`) and spaces are whitespace; JSON.parse ignores them around a value.
    if (line.length === 0 || (line.charCodeAt(0) <= 32 && line.trim().length === 0)) return;
    if (this.options.parse === false) {
      if (!isObjectShaped(line)) throw this.malformed(line, undefined);
      values.push(line);
      return;
    }
    try {
      values.push(JSON.parse(line));
    } catch (error) {
      throw this.malformed(line, error);
    }
  }

  private malformed(line: string, cause: unknown): Error {
    const { malformedLine, provider } = this.options;
    if (malformedLine !== undefined) return malformedLine(line, this.lineNumber, cause);
    return new TokenwireError({
      code: 'invalid_response',
      provider,
      retryable: true,
      message: `Malformed NDJSON line ${this.lineNumber}: ${line.slice(0, 200)}`,
      cause,
    });
  }
}

/** Whether a line is shaped like a JSON object: `{` … `}`, white space around it allowed. */
function isObjectShaped(line: string): boolean {
  const trimmed = line.trim();
  return trimmed.startsWith('{') && trimmed.endsWith('}');
}

function bufferExceeded(what: string, options: ReadRecordsOptions): TokenwireError {
  return new TokenwireError({
    code: 'invalid_response',
    provider: options.provider,
    message: `An ${what} exceeded maxBufferSize (${options.maxBufferSize} characters). Raise maxBufferSize if the server really sends records this large.`,
  });
}
