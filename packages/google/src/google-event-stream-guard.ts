import { TokenwireError } from '@tokenwire/core';
import { bodyExcerpt, limitError, looksLikeHtml } from '@tokenwire/core/internal';
import { googleErrorFromBody, parseErrorBody } from './google-errors.js';

/** What the guard of one response body needs to know. */
export interface EventStreamGuardOptions {
  /** Named in errors. */
  provider: string;
  /** The longest record to let through, in characters (`maxBytes.record`); unset: no limit. */
  maxRecordBytes: number | undefined;
  /** How the request is named in messages: `POST http://host/v1beta/models/m:streamGenerateContent`. */
  request: string;
  /** The response's `content-type`, if any. */
  contentType: string | null;
}

const LF = 0x0a;
const CR = 0x0d;
/** The field names an SSE body can start with (after a BOM and blank lines). */
const SSE_STARTS = ['data:', ':', 'event:', 'id:', 'retry:'];
/** How much of a body that is not an event stream is read, to quote it. */
export const LONGEST_QUOTED_BODY = 4_096;

/**
 * Measures the SSE records of a body as it goes by, one network read at a time: the record in
 * progress, in characters (UTF-8 sequence starts), reset at each blank line (`\n\n`, `\r\r`,
 * `\r\n\r\n`: the delimiters `@google/genai` splits on).
 */
class RecordMeter {
  /** Characters of the record in progress. */
  length = 0;
  /** The CR and LF bytes just read, as a window of the last four. */
  private breaks = 0;

  constructor(private readonly max: number) {}

  /**
   * Measures one read. Returns -1 when every record in it is within the limit, else the offset in
   * `bytes` where the record that crosses it starts (0 when it started in an earlier read).
   */
  measure(bytes: Uint8Array): number {
    let recordStart = 0;
    for (let index = 0; index < bytes.length; index++) {
      const byte = bytes[index] as number;
      if (byte === LF || byte === CR) {
        const breaks = (this.breaks << 8) | byte;
        this.breaks = breaks;
        if ((breaks & 0xffff) === 0x0a0a || (breaks & 0xffff) === 0x0d0d || breaks === 0x0d0a0d0a) {
          this.length = 0;
          this.breaks = 0;
          recordStart = index + 1;
        }
        continue;
      }
      this.breaks = 0;
      if ((byte & 0xc0) !== 0x80 && ++this.length > this.max) return recordStart;
    }
    return -1;
  }
}

/** Whether text at the start of a body is an event stream: yes, no, or not enough text yet. */
export function startsAsEventStream(text: string): boolean | undefined {
  const start = text.replace(/^[\uFEFF\s]+/, '');
  if (start === '') return undefined;
  if (SSE_STARTS.some((field) => start.startsWith(field))) return true;
  return SSE_STARTS.some((field) => field.startsWith(start)) ? undefined : false;
}

/**
 * The error of a 200 whose body is not an event stream, saying what arrived. A whole body that is
 * a Gemini error (`{ "error": { "code": 503, … } }`, which genai itself looks for in every read)
 * is that error.
 */
export function notAnEventStream(
  text: string,
  whole: boolean,
  options: Pick<EventStreamGuardOptions, 'provider' | 'request' | 'contentType'>,
): TokenwireError {
  const errorBody = whole ? parseErrorBody(text) : undefined;
  if (errorBody !== undefined) return googleErrorFromBody(errorBody, options.provider);
  const type = options.contentType?.split(';')[0]?.trim();
  const what = looksLikeHtml(text)
    ? bodyExcerpt(text)
    : `${type ? `a body of type ${type}` : 'a body'} ("${bodyExcerpt(text, 200)}")`;
  return new TokenwireError({
    code: 'invalid_response',
    provider: options.provider,
    message: `${options.provider} answered ${options.request} with ${what}, not an event stream: is the base URL right?`,
  });
}

/** The error of a body that ended inside a record: a SyntaxError, which core retries before output. */
function cutRecord(length: number): SyntaxError {
  return new SyntaxError(
    `the stream ended inside a record (${length.toLocaleString('en')} characters of it arrived): it was cut off.`,
  );
}

/**
 * Wraps a 200 response body before `@google/genai` parses it, one step per network read (not per
 * record). It errors the body, so the SDK throws, with:
 * - `invalid_response` when the body does not start as an event stream (an HTML page, plain text,
 *   JSON), saying what arrived; nothing of it reaches the SDK;
 * - core's `maxBytes.record` error for a record longer than `maxRecordBytes`, before the SDK
 *   buffers it (its reader rescans its buffer on every read: a 30 MB record costs it ~9 s); the
 *   whole records before it are passed on first;
 * - a `SyntaxError` when the body ends inside a record (the SDK's "Incomplete JSON segment"),
 *   so that core retries the cut record before any output, like the truncation it is.
 */
export function guardEventStream(
  body: ReadableStream<Uint8Array>,
  options: EventStreamGuardOptions,
): ReadableStream<Uint8Array> {
  const reader = body.getReader();
  const meter = new RecordMeter(options.maxRecordBytes ?? Number.POSITIVE_INFINITY);
  const decoder = new TextDecoder();
  let head: Uint8Array[] | undefined = []; // the first reads, until they show an event stream
  let headText = '';
  let failure: unknown; // reported on the next read, after the records before it were read

  /** Hands on one read, up to the record that crosses the limit; true when it handed anything on. */
  function pass(bytes: Uint8Array, controller: ReadableStreamDefaultController<Uint8Array>): boolean {
    const cut = meter.measure(bytes);
    if (cut < 0) {
      controller.enqueue(bytes);
      return true;
    }
    failure = limitError(
      `An SSE event of the ${options.provider} stream (read so far)`,
      'record',
      meter.length,
      options.maxRecordBytes as number,
      options.provider,
    );
    if (cut === 0) return false;
    controller.enqueue(bytes.subarray(0, cut));
    return true;
  }

  /**
   * Reads the body's start until it shows an event stream (then hands the reads on) or not (the
   * failure, once enough of it was read to quote); true when it handed anything on.
   */
  function inspect(
    bytes: Uint8Array,
    done: boolean,
    controller: ReadableStreamDefaultController<Uint8Array>,
  ): boolean {
    const reads = head as Uint8Array[];
    reads.push(bytes);
    headText += decoder.decode(bytes, { stream: !done });
    const isEventStream = startsAsEventStream(headText);
    if (isEventStream === false) {
      if (done || headText.length >= LONGEST_QUOTED_BODY) failure = notAnEventStream(headText, done, options);
      return false;
    }
    // Only blank lines so far: wait for more, but not forever.
    if (isEventStream === undefined && !done && headText.length < LONGEST_QUOTED_BODY) return false;
    head = undefined;
    headText = '';
    let handedOn = false;
    for (const read of reads) if (failure === undefined && pass(read, controller)) handedOn = true;
    return handedOn;
  }

  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        while (failure === undefined) {
          const { done, value } = await reader.read();
          const bytes = value ?? new Uint8Array(0);
          const handedOn =
            head === undefined ? !done && pass(bytes, controller) : inspect(bytes, done, controller);
          // A failure found with records before it is reported on the next read: erroring the
          // body now would drop what was just handed on.
          if (handedOn) return;
          if (failure !== undefined) break;
          if (done) {
            if (meter.length === 0) return controller.close();
            failure = cutRecord(meter.length);
          }
        }
        controller.error(failure);
        reader.cancel().catch(() => {});
      },
      cancel: (reason) => reader.cancel(reason),
    },
    { highWaterMark: 0 },
  );
}
