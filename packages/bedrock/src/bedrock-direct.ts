import type { ConverseStreamOutput } from '@aws-sdk/client-bedrock-runtime';
import { TokenwireError } from '@tokenwire/core';
import type { AdapterDelta, ChunkStream } from '@tokenwire/core/adapter';
import { limitError } from '@tokenwire/core/internal';
import { bedrockStreamError } from './bedrock-errors.js';
import { sdkRequire } from './bedrock-sdk-modules.js';

/** An event-stream message as `EventStreamCodec.decode` gives it: typed headers and the raw body. */
interface FrameMessage {
  headers: Record<string, { value: unknown } | undefined>;
  body: Uint8Array;
}
interface FrameCodec {
  decode(frame: Uint8Array): FrameMessage;
}

/** The raw HTTP body the SDK received (a Node `IncomingMessage`), read by the direct transport. */
export interface RawBody extends AsyncIterable<Uint8Array> {
  destroy(): void;
}

/** Options of `openBedrockDirectStream`. */
export interface BedrockDirectOptions {
  provider: string;
  /** `maxBytes.record`: a longer event-stream frame is `invalid_response`. */
  maxRecordBytes: number | undefined;
  /** The translator over one event as the SDK would yield it; true at the terminal record. */
  translateEvent(event: ConverseStreamOutput, out: AdapterDelta[]): boolean;
  /** Deltas due at the end of the body. */
  end(out: AdapterDelta[]): void;
}

const decoder = new TextDecoder();
let codec: FrameCodec | undefined;

/** The SDK's own `EventStreamCodec` (from the `@smithy/core` it loaded), made once. */
function frameCodec(): FrameCodec {
  if (codec !== undefined) return codec;
  const { EventStreamCodec } = sdkRequire('@smithy/core/event-streams') as {
    EventStreamCodec: new (
      toUtf8: (bytes: Uint8Array) => string,
      fromUtf8: (text: string) => Uint8Array,
    ) => FrameCodec;
  };
  const encoder = new TextEncoder();
  codec = new EventStreamCodec(
    (bytes) => decoder.decode(bytes),
    (text) => encoder.encode(text),
  );
  return codec;
}

/**
 * The `transport: 'direct'` body reader. The SDK sent the request (signing, endpoint, retries off,
 * its exception classes for non-2xx answers) and a command middleware took the raw 200 body before
 * the SDK's deserializer read it; this reads it: one async step per network read, the AWS
 * event-stream frames cut by their length prelude and decoded (CRCs checked) by the SDK's own
 * `EventStreamCodec`, every frame handled synchronously as the SDK's unmarshaller does:
 * - `:message-type: event` is `{ [:event-type]: JSON body }`, the SDK's union member, given to the
 *   unchanged translator (a `redactedContent` blob stays base64 text, which the translator passes on);
 * - `:message-type: exception` throws the `TokenwireError` of that in-band exception;
 * - `:message-type: error` throws a `server` error with its `:error-code` and `:error-message`;
 * - a body that is not JSON throws `JSON.parse`'s `SyntaxError` (core's `invalid_response`).
 */
export function openBedrockDirectStream(
  body: RawBody,
  options: BedrockDirectOptions,
): ChunkStream<Uint8Array> {
  const framing = new FrameReader(options);
  return {
    chunks: body,
    translate: (bytes, out) => framing.push(bytes, out),
    end: (out) => framing.end(out),
    close: () => body.destroy(),
  };
}

/** Cuts a byte stream into event-stream frames: a 4-byte big-endian total length leads each. */
class FrameReader {
  private pending: Uint8Array = new Uint8Array(0);
  private finished = false;
  /**
   * The error of a frame that followed others in the same read. The runtime drops what `out` holds
   * when `translate` throws, so the read first ends the stream (returns true) with the deltas of the
   * frames before it, and `end()`, which the runtime calls next, throws it: the same deltas, then
   * the same error, as when the SDK yields one event per step.
   */
  private error: unknown;
  private hasError = false;

  constructor(private readonly options: BedrockDirectOptions) {}

  /** One network read: translates every frame it completed; true once the response is over. */
  push(bytes: Uint8Array, out: AdapterDelta[]): boolean {
    if (this.finished) return true;
    const before = out.length;
    try {
      return this.frames(bytes, out);
    } catch (error) {
      this.finished = true;
      if (out.length === before) throw error;
      this.error = error;
      this.hasError = true;
      return true;
    }
  }

  /** The body ended: throws the error kept from the last read, else the translator's end. */
  end(out: AdapterDelta[]): void {
    if (this.hasError) {
      this.hasError = false;
      throw this.error;
    }
    this.options.end(out);
  }

  private frames(bytes: Uint8Array, out: AdapterDelta[]): boolean {
    let buffer = this.pending.length === 0 ? bytes : concat(this.pending, bytes);
    while (buffer.length >= 4) {
      const length = new DataView(buffer.buffer, buffer.byteOffset, 4).getUint32(0, false);
      const limit = this.options.maxRecordBytes;
      if (limit !== undefined && length > limit) {
        throw limitError('A Bedrock event-stream frame', 'record', length, limit, this.options.provider);
      }
      if (buffer.length < length) break;
      const frame = buffer.subarray(0, length);
      buffer = buffer.subarray(length);
      if (this.handle(frameCodec().decode(frame), out)) {
        this.finished = true;
        return true;
      }
    }
    this.pending = buffer.length === 0 ? new Uint8Array(0) : buffer.slice();
    return false;
  }

  private handle(message: FrameMessage, out: AdapterDelta[]): boolean {
    const header = (name: string) => {
      const value = message.headers[name]?.value;
      return typeof value === 'string' ? value : undefined;
    };
    const type = header(':message-type');
    if (type === 'event') {
      const eventType = header(':event-type') ?? 'unknown';
      const event = { [eventType]: JSON.parse(decoder.decode(message.body)) } as ConverseStreamOutput;
      return this.options.translateEvent(event, out);
    }
    if (type === 'exception') {
      throw bedrockStreamError(
        header(':exception-type') ?? 'exception',
        parsed(message.body),
        this.options.provider,
      );
    }
    throw new TokenwireError({
      code: 'server',
      provider: this.options.provider,
      message: `The Bedrock stream reported an error ${header(':error-code') ?? '(no code)'}: ${header(':error-message') ?? 'no message'}`,
    });
  }
}

function parsed(body: Uint8Array): unknown {
  try {
    return JSON.parse(decoder.decode(body));
  } catch {
    return { message: decoder.decode(body) };
  }
}

function concat(first: Uint8Array, second: Uint8Array): Uint8Array {
  const joined = new Uint8Array(first.length + second.length);
  joined.set(first, 0);
  joined.set(second, first.length);
  return joined;
}
