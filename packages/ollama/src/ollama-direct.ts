import { TokenwireError } from '@tokenwire/core';
import { type AdapterDelta, type ChunkStream, NDJSONDecoder } from '@tokenwire/core/adapter';
import {
  type BodyReads,
  bodyChunkStream,
  bodyExcerpt,
  EMPTY_CHUNK_STREAM,
  isPlainObject,
  limitError,
  looksLikeHtml,
} from '@tokenwire/core/internal';
import type { ChatResponse, Ollama } from 'ollama';
import { abortStream, untilAborted, withImageBytes } from './ollama-chat-stream.js';
import type { StreamExchange } from './ollama-fetch.js';
import type { OllamaStreamingChatRequest } from './ollama-messages.js';
import { createOllamaStreamState, translateOllamaChunk } from './ollama-stream.js';

/** What `openOllamaDirectStream` needs for one stream. */
export interface OllamaDirectStreamOptions {
  /** The client to send through, whose fetch is `exchange`'s (it hands the body over). */
  client: Ollama;
  exchange: StreamExchange;
  params: OllamaStreamingChatRequest;
  signal: AbortSignal;
  /** The host, named in errors. */
  host: string;
  provider: string;
  /** The longest line, in bytes (`maxBytes.record`). Default: no limit. */
  maxLineBytes?: number;
  /** False to leave the model's thinking out (`reasoning.includeThoughts: false`). Default true. */
  includeThoughts?: boolean;
}

/** What ollama-js throws when the body ends before `done` (see `normalizeOllamaError`). */
const TRUNCATED_MESSAGE = 'Did not receive done or success response in stream.';

/**
 * The direct transport: sends `chat({ stream: true })` through the client, so the request (host,
 * headers, images, the ollama.com key) and the `ResponseError` of an HTTP error stay ollama-js's,
 * but reads the 200 body itself. The exchange's fetch hands the untouched body over and gives the
 * client an empty one, whose stream this adapter never iterates.
 *
 * `chunks` are the body's network reads (one `reader.read()` per step); `translate` decodes a read
 * synchronously (core's `NDJSONDecoder`: UTF-8 across reads, BOM, CRLF, blank lines) into the
 * objects ollama-js would have yielded, and hands each to the same translator as the sdk transport.
 * What ollama-js did on the body is done here the same way: an `{"error": …}` line throws
 * `new Error(error)` (normalized to `server`), the body ending before `done` throws its "Did not
 * receive done" error (`invalid_response`, truncated); and as the sdk transport's body guard does,
 * a line that is not a JSON object is a `SyntaxError` and a line over `maxBytes.record` its limit
 * error. The deltas of the records before an error in the same read reach the consumer first.
 */
export async function openOllamaDirectStream(
  options: OllamaDirectStreamOptions,
): Promise<ChunkStream<Uint8Array>> {
  const { client, exchange, signal } = options;
  if (signal.aborted) return EMPTY_CHUNK_STREAM;
  const iterator = await untilAborted(client.chat(withImageBytes(options.params)), signal);
  if (iterator === undefined) return EMPTY_CHUNK_STREAM;
  const body = exchange.body;
  if (body === undefined) {
    abortStream(client, iterator);
    throw new Error('Missing body'); // what ollama-js throws for a 200 without a body
  }
  let stream: ChunkStream<Uint8Array> | undefined;
  const onAbort = () => stream?.close?.();
  stream = bodyChunkStream(body, new DirectBody(options), () => {
    signal.removeEventListener('abort', onAbort);
    abortStream(client, iterator);
  });
  if (signal.aborted) {
    onAbort();
    return EMPTY_CHUNK_STREAM;
  }
  signal.addEventListener('abort', onAbort, { once: true });
  return stream;
}

/** The decoding state of one direct body. */
class DirectBody implements BodyReads {
  private readonly decoder: NDJSONDecoder;
  private readonly state: ReturnType<typeof createOllamaStreamState>;
  private readonly records: unknown[] = [];
  private readonly maxLineBytes: number;
  private readonly host: string;
  private readonly provider: string;
  private finished = false;

  constructor(options: OllamaDirectStreamOptions) {
    this.provider = options.provider;
    this.host = options.host;
    this.maxLineBytes = options.maxLineBytes ?? Number.POSITIVE_INFINITY;
    this.decoder = new NDJSONDecoder({
      provider: options.provider,
      maxBufferSize: options.maxLineBytes,
      lineTooLong: (size) => this.tooLong(size),
    });
    this.state = createOllamaStreamState({ includeThoughts: options.includeThoughts });
  }

  /** Decodes one read and translates its records; true once the `done` line was translated. */
  push(bytes: Uint8Array, out: AdapterDelta[]): boolean {
    if (this.finished) return true;
    let problem: unknown;
    try {
      this.decoder.push(bytes, this.records);
    } catch (error) {
      problem = this.notJson(error);
    }
    problem = this.drain(out) ?? problem;
    if (problem !== undefined && !this.finished) throw problem;
    return this.finished;
  }

  /** The body ended: a last line without a newline, then the truncation error if `done` never came. */
  end(out: AdapterDelta[]): void {
    if (this.finished) return;
    try {
      this.decoder.end(this.records);
    } catch (error) {
      throw this.notJson(error);
    }
    const problem = this.drain(out);
    if (problem !== undefined) throw problem;
    if (!this.finished) throw new Error(TRUNCATED_MESSAGE);
  }

  /** Translates the decoded records up to `done` or an error line; returns that line's error. */
  private drain(out: AdapterDelta[]): Error | undefined {
    const records = this.records;
    let problem: Error | undefined;
    for (let index = 0; index < records.length; index++) {
      const record = records[index];
      if (!isPlainObject(record)) {
        problem = new SyntaxError(
          `a line of the response from ${this.host} is not a JSON object: "${bodyExcerpt(JSON.stringify(record) ?? '', 120)}". ` +
            'Is the host an Ollama server, or a proxy that rewrites the response?',
        );
        break;
      }
      // As ollama-js: `if ("error" in message) throw new Error(message.error)`.
      if ('error' in record) {
        problem = new Error(record.error as string);
        break;
      }
      const chunk = record as unknown as ChatResponse;
      translateOllamaChunk(chunk, this.state, out);
      if (chunk.done === true || (record as { status?: unknown }).status === 'success') {
        this.finished = true;
        break;
      }
    }
    records.length = 0;
    return problem;
  }

  private tooLong(size: number): TokenwireError {
    return limitError(
      `A line of the Ollama stream from ${this.host} (read so far)`,
      'record',
      size,
      this.maxLineBytes,
      this.provider,
    );
  }

  /**
   * The decoder's `invalid_response` for a line that is not JSON, as the `SyntaxError` the sdk
   * transport's body guard throws (the runtime makes it `invalid_response`, retryable before output).
   */
  private notJson(error: unknown): unknown {
    if (!TokenwireError.isInstance(error)) return error;
    const match = /^Malformed NDJSON line (\d+): ([\s\S]*)$/.exec(error.message);
    if (match === null) return error;
    const text = match[2] as string;
    const shown = looksLikeHtml(text) ? bodyExcerpt(text) : `"${bodyExcerpt(text, 120)}"`;
    return new SyntaxError(
      `line ${match[1]} of the response from ${this.host} is not a JSON object: ${shown} ` +
        '(ollama-js would skip it with a warning). Is the host an Ollama server, or a proxy that rewrites the response?',
      { cause: error },
    );
  }
}
