import { NDJSONDecoder, SSEDecoder } from './record-decoders.js';

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
  const decoder = new SSEDecoder(options);
  const source = openByteStream(body);
  try {
    while (true) {
      const result = await source.read();
      if (result.done) source.finished = true;
      const records = result.done ? decoder.end() : decoder.push(result.value);
      for (let index = 0; index < records.length; index++) yield records[index] as SSERecord;
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
  const decoder = new NDJSONDecoder(options);
  const values: unknown[] = [];
  const source = openByteStream(body);
  try {
    while (true) {
      const result = await source.read();
      if (result.done) source.finished = true;
      let failure: unknown;
      try {
        if (result.done) decoder.end(values);
        else decoder.push(result.value, values);
      } catch (error) {
        failure = error; // the lines before the bad one are yielded first
      }
      for (let index = 0; index < values.length; index++) yield values[index];
      values.length = 0;
      if (failure !== undefined) throw failure;
      if (result.done) return;
    }
  } finally {
    source.release();
  }
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
