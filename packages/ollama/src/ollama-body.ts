import { bodyExcerpt, limitError, looksLikeHtml } from '@tokenwire/core/internal';

/**
 * How many NDJSON lines reached the ollama client, and how many chunks it yielded: the two
 * counts that reveal a line the client skipped.
 *
 * Why: ollama-js splits the body on `\n` and `JSON.parse`s each line; on a line that is not JSON it
 * only calls `console.warn('invalid json: ', line)` and goes on, so the caller would get a stream
 * with a hole and no error. The body guard below refuses every line that is not shaped like a JSON
 * object (`{` … `}`) before the client sees it; a line shaped like one that still does not parse
 * (`{"a":}`) is caught by these counts. Validating every line with a second `JSON.parse` would
 * cost about 0.4 µs per chunk (a quarter of the client's own cost), so instead the guard counts
 * the non-blank lines it hands over, the adapter counts the chunks the client yields, and the two
 * must agree: the client reads the body again only after it has yielded every line of the previous
 * read, and the stream ends with the `done` line, so a difference at either point is a skipped line.
 */
export class NdjsonLineCount {
  /** Non-blank lines handed to the client, counted when their read is handed over. */
  delivered = 0;
  /** Chunks the client yielded; the adapter increments it per chunk. */
  received = 0;

  /**
   * The error for a skipped line, or undefined when the counts agree. A `SyntaxError`, which core
   * maps to `invalid_response`, retryable only before any output.
   */
  check(): SyntaxError | undefined {
    if (this.received === this.delivered) return undefined;
    const missing = this.delivered - this.received;
    return new SyntaxError(
      `${missing === 1 ? 'a line' : `${missing} lines`} that the ollama client could not parse and skipped ` +
        "(it logs 'invalid json: …'); the stream is stopped instead of losing data. Is the host an " +
        'Ollama server, or a proxy that rewrites the response?',
    );
  }
}

/** What `guardBody` needs besides the body. */
export interface BodyGuardOptions {
  lines: NdjsonLineCount;
  /** The longest line to hand over, in bytes (`maxBytes.record`). Default: no limit. */
  maxLineBytes?: number;
  /** The provider named in errors. */
  provider: string;
  /** The host the body comes from, named in errors. */
  host: string;
}

const NEWLINE = 0x0a;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;

/**
 * The body as the ollama client should read it: whole lines only, each shaped like a JSON object
 * and no longer than `maxLineBytes`. A line that breaks either rule ends the body with an error
 * once the client has read every line before it, so what arrived before it is kept and nothing
 * after it is shown: a `SyntaxError` for a line that is not JSON (core makes it `invalid_response`,
 * retryable before output), `limitError(…, 'record', …)` for a line over the limit.
 *
 * Why whole lines: ollama-js appends every read to a string and splits all of it again, so a line
 * that arrives in many reads costs it quadratic time (57 s for one 40 MB line). The guard holds the
 * start of a line back until its end arrives (or the limit cuts it) and hands it over in one piece.
 * Cost per network read, not per character: one `indexOf` per line, a look at its first and last
 * non-blank bytes, and a copy of the read when a line spans it (measured: the same cost as the
 * line count alone, about 5% of a bare fetch + split + `JSON.parse` loop).
 */
export function guardBody(
  source: ReadableStream<Uint8Array>,
  options: BodyGuardOptions,
): ReadableStream<Uint8Array> {
  const reader = source.getReader();
  const guard = new LineGuard(options);
  const fail = (controller: ReadableStreamDefaultController<Uint8Array>, error: unknown) => {
    controller.error(error);
    void reader.cancel(error).catch(() => {});
  };
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        // The client reads again only after yielding every line it was given.
        const problem = options.lines.check() ?? guard.problem;
        if (problem !== undefined) return fail(controller, problem);
        for (;;) {
          const { done, value } = await reader.read();
          const ready = done ? guard.finish() : guard.accept(value);
          if (ready !== undefined) controller.enqueue(ready);
          if (ready !== undefined && !done) return; // the problem, if any, waits for the next read
          if (guard.problem !== undefined) return fail(controller, guard.problem);
          if (done) return controller.close();
        }
      },
      cancel(reason) {
        return reader.cancel(reason);
      },
    },
    // Pull only when the client reads: that moment is when the counts must agree.
    { highWaterMark: 0 },
  );
}

/** The line being read across network reads, and the checks at its end. */
class LineGuard {
  /** The first error met; set once, the body then ends with it. */
  problem: Error | undefined;
  private readonly options: BodyGuardOptions;
  private readonly maxLineBytes: number;
  /** Pieces of the open line (begun, not yet ended by `\n`), from earlier reads. */
  private held: Uint8Array[] = [];
  private heldBytes = 0;
  /** First and last non-blank byte of the open line so far; -1 while it is blank. */
  private first = -1;
  private last = -1;
  /** Lines ended so far, for messages. */
  private lineNumber = 0;
  private atBodyStart = true;

  constructor(options: BodyGuardOptions) {
    this.options = options;
    this.maxLineBytes = options.maxLineBytes ?? Number.POSITIVE_INFINITY;
  }

  /** The bytes to hand over for this read (whole lines only), if any; holds the rest of the read. */
  accept(read: Uint8Array): Uint8Array | undefined {
    let value = read;
    if (this.atBodyStart) {
      this.atBodyStart = false;
      // A byte order mark: the client's TextDecoder drops it, and so does the guard.
      if (value[0] === 0xef && value[1] === 0xbb && value[2] === 0xbf) value = value.subarray(3);
    }
    let start = 0;
    let newline = value.indexOf(NEWLINE);
    if (newline === -1) {
      this.hold(value, start);
      return undefined;
    }
    const lineOfHeld = this.held.length > 0;
    while (newline !== -1) {
      if (!this.endLine(value, start, newline)) return this.handOver(value, start, lineOfHeld);
      start = newline + 1;
      newline = value.indexOf(NEWLINE, start);
    }
    const ready = this.handOver(value, start, lineOfHeld);
    this.hold(value, start);
    return ready;
  }

  /** At the end of the body: the last line, which the client parses without a newline too. */
  finish(): Uint8Array | undefined {
    if (this.held.length === 0 || this.problem !== undefined) return undefined;
    const empty = new Uint8Array(0);
    return this.endLine(empty, 0, 0) ? this.handOver(empty, 0, true) : undefined;
  }

  /**
   * The whole lines before value[end], in one piece: the held line's bytes, then value[0, end).
   * One piece per read, so the client reads (and splits) once per network read; the held start of
   * a line is copied in front of the read, which costs what the client's own `+=` costs. When the
   * held line itself was refused (`end` is 0 and a problem is set), nothing.
   */
  private handOver(value: Uint8Array, end: number, lineOfHeld: boolean): Uint8Array | undefined {
    const pieces = lineOfHeld && !(end === 0 && this.problem !== undefined) ? this.held : [];
    if (end > 0) pieces.push(value.subarray(0, end));
    this.held = [];
    return pieces.length === 0 ? undefined : joined(pieces);
  }

  /** Holds value[start, end) as the open line's start; sets the problem if the line is now too long. */
  private hold(value: Uint8Array, start: number): void {
    if (start >= value.length || this.problem !== undefined) return;
    const piece = value.subarray(start);
    this.heldBytes += piece.length;
    if (this.heldBytes > this.maxLineBytes) {
      this.problem = this.tooLong(this.heldBytes);
      return;
    }
    this.held.push(piece);
    if (this.first === -1) this.first = firstTextByte(piece, 0, piece.length);
    const last = lastTextByte(piece, 0, piece.length);
    if (last !== -1) this.last = last;
  }

  /** Checks the line ending at value[end] (the held pieces, then value[start, end)); false sets the problem. */
  private endLine(value: Uint8Array, start: number, end: number): boolean {
    const size = this.heldBytes + (end - start);
    const first = this.first === -1 ? firstTextByte(value, start, end) : this.first;
    let last = lastTextByte(value, start, end);
    if (last === -1) last = this.last;
    this.lineNumber++;
    this.heldBytes = 0; // the held pieces stay in `held` until they are handed over
    this.first = -1;
    this.last = -1;
    const blank = first === -1;
    if (size > this.maxLineBytes) this.problem = this.tooLong(size);
    else if (!blank && (first !== OPEN_BRACE || last !== CLOSE_BRACE))
      this.problem = this.notJson(value, start, end);
    else {
      // A blank line is handed over too: the client skips it, and nothing is lost.
      if (!blank) this.options.lines.delivered++;
      return true;
    }
    return false;
  }

  private tooLong(size: number): Error {
    const { host, provider } = this.options;
    return limitError(
      `A line of the Ollama stream from ${host} (read so far)`,
      'record',
      size,
      this.maxLineBytes,
      provider,
    );
  }

  private notJson(value: Uint8Array, start: number, end: number): SyntaxError {
    const head = this.held[0] ?? value.subarray(start, end);
    const text = new TextDecoder().decode(head.subarray(0, 400));
    const shown = looksLikeHtml(text) ? bodyExcerpt(text) : `"${bodyExcerpt(text, 120)}"`;
    return new SyntaxError(
      `line ${this.lineNumber} of the response from ${this.options.host} is not a JSON object: ${shown} ` +
        '(ollama-js would skip it with a warning). Is the host an Ollama server, or a proxy that rewrites the response?',
    );
  }
}

/** One array of the pieces (the piece itself when there is one). */
function joined(pieces: Uint8Array[]): Uint8Array {
  if (pieces.length === 1) return pieces[0] as Uint8Array;
  let length = 0;
  for (const piece of pieces) length += piece.length;
  const whole = new Uint8Array(length);
  let offset = 0;
  for (const piece of pieces) {
    whole.set(piece, offset);
    offset += piece.length;
  }
  return whole;
}

/** JSON white space inside a line: space, tab, carriage return. */
const isBlank = (byte: number) => byte === 0x20 || byte === 0x09 || byte === 0x0d;

/** The first byte of bytes[start, end) that is not white space, or -1. Usually the first, `{`. */
function firstTextByte(bytes: Uint8Array, start: number, end: number): number {
  for (let index = start; index < end; index++) {
    const byte = bytes[index] as number;
    if (!isBlank(byte)) return byte;
  }
  return -1;
}

/** The last byte of bytes[start, end) that is not white space, or -1. Usually the last, `}`. */
function lastTextByte(bytes: Uint8Array, start: number, end: number): number {
  for (let index = end - 1; index >= start; index--) {
    const byte = bytes[index] as number;
    if (!isBlank(byte)) return byte;
  }
  return -1;
}
