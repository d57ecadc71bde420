import { TokenwireError } from '@tokenwire/core';

/**
 * How many NDJSON lines reached the ollama client, and how many chunks it yielded: the two
 * counts that reveal a line the client skipped.
 *
 * Why: ollama-js splits the body on `\n` and `JSON.parse`s each line; on a line that is not JSON it
 * only calls `console.warn('invalid json: ', line)` and goes on, so the caller would get a stream
 * with a hole and no error. Its only public seam below the parser is `fetch`. Validating every line
 * there with a second `JSON.parse` would cost about 0.4 µs per chunk (a quarter of the client's own
 * cost), so instead the body wrapper counts the non-blank lines it hands over (a byte scan for
 * `\n`), the adapter counts the chunks the client yields, and the two must agree: the client reads
 * the body again only after it has yielded every line of the previous read, and the stream ends
 * with the `done` line, so a difference at either point is a skipped line.
 */
export class NdjsonLineCount {
  /** Non-blank lines handed to the client, counted when their read is handed over. */
  delivered = 0;
  /** Chunks the client yielded; the adapter increments it per chunk. */
  received = 0;

  /** The error for a skipped line, or undefined when the counts agree. */
  check(provider: string): TokenwireError | undefined {
    if (this.received === this.delivered) return undefined;
    const missing = this.delivered - this.received;
    return new TokenwireError({
      code: 'invalid_response',
      provider,
      message:
        `The Ollama server sent ${missing === 1 ? 'a line' : `${missing} lines`} that ${missing === 1 ? 'is' : 'are'} not JSON, ` +
        "which the ollama client skips (it logs 'invalid json: …'); the stream is stopped instead of " +
        'losing data. Is the host an Ollama server, or a proxy that rewrites the response?',
    });
  }
}

/** Options of `createOllamaStreamFetch`. */
export interface OllamaStreamFetchOptions {
  /** The fetch to wrap. Default `globalThis.fetch`. */
  fetch?: typeof globalThis.fetch;
  /** Also aborts the request, even before the response headers arrive (the client cannot). */
  signal?: AbortSignal;
  /** Counts lines of successful responses; see `NdjsonLineCount`. */
  lines: NdjsonLineCount;
  /** Provider name used in errors. Default 'ollama'. */
  provider?: string;
}

/**
 * A `fetch` for a per-stream `new Ollama({ fetch })`: it aborts the request with `signal` and
 * counts the lines of a successful response body, failing the body's next read with an
 * `invalid_response` error once the client has skipped a line. Error responses pass untouched,
 * so the client still builds its `ResponseError`.
 */
export function createOllamaStreamFetch(options: OllamaStreamFetchOptions): typeof globalThis.fetch {
  const baseFetch = options.fetch ?? globalThis.fetch;
  const { signal: extraSignal, lines } = options;
  const provider = options.provider ?? 'ollama';
  return async (input, init) => {
    let signal = init?.signal ?? undefined;
    if (extraSignal !== undefined) signal = signal ? AbortSignal.any([signal, extraSignal]) : extraSignal;
    const response = await baseFetch(input, signal === undefined ? init : { ...init, signal });
    if (!response.ok || response.body === null) return response;
    return new Response(countedBody(response.body, lines, provider), {
      status: response.status,
      statusText: response.statusText,
      headers: response.headers,
    });
  };
}

const NEWLINE = 0x0a;

/** Passes the body through unchanged, counting its non-blank lines and checking the client's count. */
function countedBody(
  source: ReadableStream<Uint8Array>,
  lines: NdjsonLineCount,
  provider: string,
): ReadableStream<Uint8Array> {
  const reader = source.getReader();
  // Whether the line begun in an earlier read (not yet ended by `\n`) has a non-blank byte.
  let openLineHasText = false;
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        // The client reads again only after yielding every line of the previous read.
        const skipped = lines.check(provider);
        if (skipped !== undefined) {
          controller.error(skipped);
          void reader.cancel(skipped).catch(() => {});
          return;
        }
        const { done, value } = await reader.read();
        if (done) {
          // The client parses a last line without a newline too.
          if (openLineHasText) lines.delivered++;
          openLineHasText = false;
          controller.close();
          return;
        }
        let start = 0;
        let newline = value.indexOf(NEWLINE);
        while (newline !== -1) {
          if (openLineHasText || hasText(value, start, newline)) lines.delivered++;
          openLineHasText = false;
          start = newline + 1;
          newline = value.indexOf(NEWLINE, start);
        }
        if (!openLineHasText && start < value.length) openLineHasText = hasText(value, start, value.length);
        controller.enqueue(value);
      },
      cancel(reason) {
        return reader.cancel(reason);
      },
    },
    // Pull only when the client reads: that moment is when the counts must agree.
    { highWaterMark: 0 },
  );
}

/**
 * Whether bytes[start, end) hold anything but JSON whitespace (a blank line is skipped by the
 * client too). Usually decided by the first byte, `{`.
 */
function hasText(bytes: Uint8Array, start: number, end: number): boolean {
  for (let index = start; index < end; index++) {
    const byte = bytes[index] as number;
    if (byte !== 0x20 && byte !== 0x09 && byte !== 0x0d) return true;
  }
  return false;
}
