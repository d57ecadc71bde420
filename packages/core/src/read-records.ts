import { createParser, type ParseError } from 'eventsource-parser';
import { TokenwireError } from './errors.js';

/** One server-sent event: its `event:` name, its `data:` lines joined by `\n`, and its `id:`. */
export interface SSERecord {
  event: string | undefined;
  data: string;
  id: string | undefined;
}

/** Bytes to read records from: `response.body`, any `ReadableStream`, or a Node stream. */
export type ByteStream = ReadableStream<Uint8Array> | AsyncIterable<Uint8Array>;

/** Options of `readSSE` and `readNDJSON`. */
export interface ReadRecordsOptions {
  /** Set as `provider` on the errors these readers throw. */
  provider?: string;
  /**
   * The most characters buffered while waiting for the end of a line (NDJSON) or of an event
   * (SSE); more ends the read with an `invalid_response` error. Default: no limit.
   */
  maxBufferSize?: number;
}

/** Options of `readSSE`. */
export interface ReadSSEOptions extends ReadRecordsOptions {
  /** Called with the text of each comment line (`: keep-alive`), which is otherwise dropped. */
  onComment?: (comment: string) => void;
}

const CARRIAGE_RETURN = 13;

/**
 * Reads server-sent events from a byte stream, one `SSERecord` per event, for adapters that talk
 * to an SSE endpoint themselves. `\n`, `\r\n` and `\r` line ends all work, UTF-8 split across
 * chunks is decoded correctly, comments are dropped (see `onComment`). As the SSE specification
 * requires, an event cut off before its closing blank line is not yielded. Stopping early (`break`)
 * cancels the body.
 */
export async function* readSSE(
  body: ByteStream,
  options: ReadSSEOptions = {},
): AsyncGenerator<SSERecord, void, undefined> {
  const records: SSERecord[] = [];
  let failure: TokenwireError | undefined;
  const parser = createParser({
    onEvent: (message) => {
      records.push({ event: message.event, data: message.data, id: message.id });
    },
    onComment: options.onComment,
    onError: (error: ParseError) => {
      // Unknown fields and bad `retry` values are ignored, as the specification says.
      if (error.type === 'max-buffer-size-exceeded') {
        failure = bufferExceeded('SSE event', options);
      }
    },
    maxBufferSize: options.maxBufferSize,
  });
  const decoder = new TextDecoder();
  // A chunk that ends with `\r` leaves the parser waiting to see whether `\n` follows.
  let endsWithCarriageReturn = false;
  const source = openByteStream(body);
  try {
    while (true) {
      const result = await source.read();
      const text = result.done ? decoder.decode() : decoder.decode(result.value, { stream: true });
      if (text.length > 0) {
        parser.feed(text);
        endsWithCarriageReturn = text.charCodeAt(text.length - 1) === CARRIAGE_RETURN;
      }
      if (result.done) {
        source.finished = true;
        // At the end of the body a trailing `\r` is a line end: complete it without adding a line.
        if (endsWithCarriageReturn) parser.feed('\n');
      }
      if (failure !== undefined) throw failure;
      for (let index = 0; index < records.length; index++) yield records[index] as SSERecord;
      records.length = 0;
      if (result.done) return;
    }
  } finally {
    source.release();
  }
}

/**
 * Reads newline-delimited JSON from a byte stream and yields each parsed line, for adapters that
 * talk to an NDJSON endpoint themselves (Ollama). Blank lines are skipped, `\r\n` is accepted, a
 * last line without a newline is parsed. A line that is not JSON throws an `invalid_response`
 * TokenwireError. Stopping early (`break`) cancels the body.
 */
export async function* readNDJSON(
  body: ByteStream,
  options: ReadRecordsOptions = {},
): AsyncGenerator<unknown, void, undefined> {
  const decoder = new TextDecoder();
  const maxBufferSize = options.maxBufferSize ?? Number.POSITIVE_INFINITY;
  // The start of a line whose newline has not arrived yet.
  let pending = '';
  let lineNumber = 0;
  const source = openByteStream(body);
  try {
    while (true) {
      const result = await source.read();
      if (result.done) {
        source.finished = true;
        const line = pending + decoder.decode();
        pending = '';
        lineNumber++;
        if (!isBlank(line)) yield parseLine(line, lineNumber, options);
        return;
      }
      const text = decoder.decode(result.value, { stream: true });
      let start = 0;
      let newline = text.indexOf('\n');
      while (newline !== -1) {
        const line = pending + text.slice(start, newline);
        pending = '';
        lineNumber++;
        if (!isBlank(line)) yield parseLine(line, lineNumber, options);
        start = newline + 1;
        newline = text.indexOf('\n', start);
      }
      // Only the new text is searched for newlines, so a long line costs linear time.
      if (start < text.length) pending += start === 0 ? text : text.slice(start);
      if (pending.length > maxBufferSize) throw bufferExceeded('NDJSON line', options);
    }
  } finally {
    source.release();
  }
}

function isBlank(line: string): boolean {
  // `\r` (of `\r\n`) and spaces are whitespace; JSON.parse ignores them around a value.
  return line.length === 0 || (line.charCodeAt(0) <= 32 && line.trim().length === 0);
}

function parseLine(line: string, lineNumber: number, options: ReadRecordsOptions): unknown {
  try {
    return JSON.parse(line);
  } catch (error) {
    throw new TokenwireError({
      code: 'invalid_response',
      provider: options.provider,
      message: `Malformed NDJSON line ${lineNumber}: ${line.slice(0, 200)}`,
      cause: error,
    });
  }
}

function bufferExceeded(what: string, options: ReadRecordsOptions): TokenwireError {
  return new TokenwireError({
    code: 'invalid_response',
    provider: options.provider,
    message: `An ${what} exceeded maxBufferSize (${options.maxBufferSize} characters). Raise maxBufferSize if the server really sends records this large.`,
  });
}

interface OpenByteStream {
  read(): Promise<IteratorResult<Uint8Array> | ReadableStreamReadResult<Uint8Array>>;
  /** True once the body reported its end; `release` then does not cancel it. */
  finished: boolean;
  release(): void;
}

/**
 * Reads a ReadableStream through its reader (not every browser makes ReadableStream async
 * iterable) and anything else through its async iterator. `release` cancels the body unless it
 * ended, so a consumer that stops early closes the connection.
 */
function openByteStream(body: ByteStream): OpenByteStream {
  if (typeof (body as ReadableStream<Uint8Array>).getReader === 'function') {
    const reader = (body as ReadableStream<Uint8Array>).getReader();
    const stream: OpenByteStream = {
      read: () => reader.read(),
      finished: false,
      release() {
        if (!stream.finished) reader.cancel().catch(ignore);
        try {
          reader.releaseLock();
        } catch {
          // already released
        }
      },
    };
    return stream;
  }
  const iterator = (body as AsyncIterable<Uint8Array>)[Symbol.asyncIterator]();
  const stream: OpenByteStream = {
    read: () => iterator.next(),
    finished: false,
    release() {
      if (stream.finished || iterator.return === undefined) return;
      try {
        Promise.resolve(iterator.return()).catch(ignore);
      } catch {
        // a broken return() must not hide the consumer's own outcome
      }
    },
  };
  return stream;
}

function ignore(): void {}
