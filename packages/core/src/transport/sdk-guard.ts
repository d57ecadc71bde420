import { TokenwireError } from '../model/errors.js';
import type { SSERecord } from './read-records.js';
import type { NDJSONDecoder } from './record-decoders.js';
import { cappedNDJSONDecoder, cutRecord, framingOf, type RecordDecoder } from './wire.js';
import { type BodyHead, WireHead } from './wire-head.js';

/**
 * The records a guarded NDJSON body handed to the vendor client and the chunks the client yielded:
 * a client that skips a line it cannot parse (ollama-js logs `invalid json` and goes on) would
 * leave a hole in the stream, so the counts must agree whenever the client asks for more.
 */
export class RecordCount {
  /** Records handed to the client. */
  delivered = 0;
  /** Chunks the client yielded (counted by the sdk transport's translator). */
  received = 0;

  constructor(private readonly provider: string) {}

  /** The error of a skipped record, or undefined when the counts agree. */
  check(): TokenwireError | undefined {
    if (this.received >= this.delivered) return undefined;
    const missing = this.delivered - this.received;
    return new TokenwireError({
      code: 'invalid_response',
      provider: this.provider,
      retryable: true,
      message: `The ${this.provider} stream carried a record that is not valid JSON: ${missing === 1 ? 'a line' : `${missing} lines`} that the ${this.provider} client could not parse and skipped; the stream is stopped instead of losing data. Is the base URL the provider's, or a proxy that rewrites the response?`,
    });
  }
}

/** What `guardBody` checks a body against. */
export interface GuardOptions {
  /** `maxBytes.record`: a longer record ends the body with core's limit error before the client buffers it. */
  maxRecordBytes: number | undefined;
  /** Names the body in errors. */
  head: BodyHead;
  /** NDJSON bodies: the count the sdk transport checks (see `RecordCount`). */
  count?: RecordCount;
}

const NO_BYTES = new Uint8Array(0);

/**
 * The `transport: 'sdk'` guard: a 200 body as the vendor SDK should read it, framed by the same
 * decoders as the direct transport. The SDK gets whole records only, one piece per network read
 * (re-encoded from what the decoder read: no record split across reads, no keep-alive comments),
 * so that it never buffers more than `maxBytes.record` and never sees a cut one. The body errors,
 * after handing on every whole record before the fault, with: `invalid_response` when the body is
 * not of its wire (quoting it), core's limit error for a record over `maxBytes.record`, the
 * truncation error when the body ended inside a record, a line that is not a JSON object (NDJSON).
 */
export function guardBody(
  body: ReadableStream<Uint8Array>,
  wire: 'sse' | 'ndjson',
  options: GuardOptions,
): ReadableStream<Uint8Array> {
  const reader = body.getReader();
  const { head, count } = options;
  const records = new GuardedRecords(wire, options);
  let held: WireHead | undefined = new WireHead(framingOf(wire), head);
  let failure: unknown;
  const fail = (controller: ReadableStreamDefaultController<Uint8Array>, error: unknown) => {
    controller.error(error);
    reader.cancel(error).catch(() => {});
  };
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        // The client asks for more only after yielding every record it was given.
        const problem = failure ?? count?.check();
        if (problem !== undefined) return fail(controller, problem);
        for (;;) {
          const { done, value } = await reader.read();
          let reads: Uint8Array[] | undefined = [value ?? NO_BYTES];
          let text = '';
          try {
            if (held !== undefined) reads = held.inspect(value ?? NO_BYTES, done);
            if (reads !== undefined) held = undefined;
            for (const read of reads ?? []) text += records.push(read);
            if (done && held === undefined) text += records.end();
          } catch (error) {
            text += records.taken();
            failure = error;
          }
          // A fault is reported on the next read, after the records before it were read.
          if (text.length > 0) {
            controller.enqueue(encoder.encode(text));
            if (!done || failure !== undefined) return;
          }
          if (failure !== undefined) return fail(controller, failure);
          if (done) return controller.close();
        }
      },
      cancel: (reason) => reader.cancel(reason),
    },
    // Pull only when the client reads: that moment is when the counts must agree.
    { highWaterMark: 0 },
  );
}

const encoder = new TextEncoder();

/** The whole records of a guarded body, as the text to hand on. */
class GuardedRecords {
  private readonly sse: RecordDecoder<SSERecord> | undefined;
  private readonly lines: NDJSONDecoder | undefined;
  private readonly out: unknown[] = [];

  constructor(
    private readonly wire: 'sse' | 'ndjson',
    private readonly options: GuardOptions,
  ) {
    const { provider, endpoint } = options.head;
    const { maxRecordBytes } = options;
    if (wire === 'sse') this.sse = framingOf('sse').decoder({ provider, maxRecordBytes });
    else this.lines = cappedNDJSONDecoder({ provider, maxRecordBytes, endpoint }, false);
  }

  /** One read's whole records, as text. */
  push(bytes: Uint8Array): string {
    if (this.sse !== undefined) this.sse.push(bytes, this.out as SSERecord[]);
    else (this.lines as NDJSONDecoder).push(bytes, this.out);
    return this.taken();
  }

  /** What the end of the body completes; a record it cut off is the truncation error. */
  end(): string {
    if (this.sse === undefined) {
      (this.lines as NDJSONDecoder).end(this.out);
      return this.taken();
    }
    if (this.sse.end(this.out as SSERecord[])) {
      this.out.pop();
      throw cutRecord(this.options.head.provider, undefined);
    }
    return this.taken();
  }

  /** The records decoded so far, as text (emptied); each NDJSON line is counted as delivered. */
  taken(): string {
    const out = this.out;
    let text = '';
    if (this.wire === 'sse') for (const record of out) text += encodeEvent(record as SSERecord);
    else {
      for (const line of out) text += `${line as string}\n`;
      if (this.options.count !== undefined) this.options.count.delivered += out.length;
    }
    out.length = 0;
    return text;
  }
}

/** One event as SSE text, its data lines one `data:` field each. */
function encodeEvent(record: SSERecord): string {
  let text = record.event === undefined ? '' : `event: ${record.event}\n`;
  if (record.id !== undefined) text += `id: ${record.id}\n`;
  const data = record.data;
  if (data.indexOf('\n') === -1) return `${text}data: ${data}\n\n`;
  for (const line of data.split('\n')) text += `data: ${line}\n`;
  return `${text}\n`;
}
