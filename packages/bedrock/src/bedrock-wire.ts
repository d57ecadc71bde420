import { TokenwireError } from '@tokenwire/core';
import type { RecordDecoder, RecordDecoderOptions, WireFraming } from '@tokenwire/core/adapter';
import { limitError } from '@tokenwire/core/internal';
import { sdkRequire } from './bedrock-sdk-modules.js';

/** One AWS event-stream message as the SDK's `EventStreamCodec.decode` gives it: typed headers and the raw body. */
export interface EventStreamMessage {
  headers: Record<string, { value: unknown } | undefined>;
  body: Uint8Array;
}

interface MessageCodec {
  decode(frame: Uint8Array): EventStreamMessage;
}

/** The length field that leads each frame (a 4-byte big-endian total length). */
const LENGTH_BYTES = 4;
/** A frame without headers or body: the prelude (length, headers length, their CRC) and the message CRC. */
const SMALLEST_FRAME = 16;

let codec: MessageCodec | undefined;

/** The SDK's own `EventStreamCodec` (from the `@smithy/core` it loaded), made when the first body is read. */
function messageCodec(): MessageCodec {
  if (codec !== undefined) return codec;
  const { EventStreamCodec } = sdkRequire('@smithy/core/event-streams') as {
    EventStreamCodec: new (
      toUtf8: (bytes: Uint8Array) => string,
      fromUtf8: (text: string) => Uint8Array,
    ) => MessageCodec;
  };
  const decoder = new TextDecoder();
  const encoder = new TextEncoder();
  codec = new EventStreamCodec(
    (bytes) => decoder.decode(bytes),
    (text) => encoder.encode(text),
  );
  return codec;
}

/**
 * The AWS event stream (`application/vnd.amazon.eventstream`) as a core `WireFraming`: each read's
 * bytes are cut into frames by their length prelude and every whole frame is decoded, CRCs checked,
 * by the SDK's own `EventStreamCodec` (required from the SDK's dependencies: core and this package
 * gain none). A frame longer than `maxBytes.record` is refused as soon as its length arrives, a
 * frame the codec cannot read is `invalid_response`, and so is a body that ends inside a frame.
 */
export const BEDROCK_EVENT_STREAM: WireFraming<EventStreamMessage> = {
  name: 'AWS event stream',
  decoder: (options) => new EventStreamFrames(options),
};

/** The frames of one body. A frame cut by a read waits, its reads held, until its last byte arrived. */
class EventStreamFrames implements RecordDecoder<EventStreamMessage> {
  private readonly codec = messageCodec();
  private held: Uint8Array[] = [];
  private heldBytes = 0;
  /** The bytes the held frame needs: its length once known, else the length field's. */
  private needed = LENGTH_BYTES;

  constructor(private readonly options: RecordDecoderOptions) {}

  push(bytes: Uint8Array, out: EventStreamMessage[]): void {
    let buffer = bytes;
    if (this.heldBytes > 0) {
      this.held.push(bytes);
      this.heldBytes += bytes.length;
      if (this.heldBytes < this.needed) return;
      buffer = joined(this.held, this.heldBytes);
      this.held = [];
      this.heldBytes = 0;
    }
    let offset = 0;
    this.needed = LENGTH_BYTES;
    while (buffer.length - offset >= LENGTH_BYTES) {
      const length = this.frameLength(buffer, offset);
      if (buffer.length - offset < length) {
        this.needed = length;
        break;
      }
      out.push(this.decode(buffer.subarray(offset, offset + length)));
      offset += length;
    }
    if (offset < buffer.length) {
      this.held.push(buffer.slice(offset)); // a copy: the rest of the read is not kept alive
      this.heldBytes = buffer.length - offset;
    }
  }

  end(): boolean {
    if (this.heldBytes === 0) return false;
    const { provider } = this.options;
    const frame = this.needed === LENGTH_BYTES ? 'a frame' : `a frame of ${this.needed}`;
    throw new TokenwireError({
      code: 'invalid_response',
      provider,
      retryable: true, // like the truncation it is, when nothing had reached the user
      message: `The ${provider} stream ended inside an AWS event-stream frame (${this.heldBytes} bytes of ${frame} arrived): it was cut off (truncated stream).`,
    });
  }

  /** The length of the frame at `offset`, refused when over `maxBytes.record` or too short to be a frame. */
  private frameLength(buffer: Uint8Array, offset: number): number {
    const length = bigEndianUint32(buffer, offset);
    const { provider, maxRecordBytes } = this.options;
    if (maxRecordBytes !== undefined && length > maxRecordBytes) {
      throw limitError('A Bedrock event-stream frame', 'record', length, maxRecordBytes, provider);
    }
    if (length < SMALLEST_FRAME) throw this.malformed(`a frame length of ${length} bytes`);
    return length;
  }

  private decode(frame: Uint8Array): EventStreamMessage {
    try {
      return this.codec.decode(frame);
    } catch (error) {
      throw this.malformed(error instanceof Error ? error.message : String(error), error);
    }
  }

  private malformed(what: string, cause?: unknown): TokenwireError {
    const { provider } = this.options;
    return new TokenwireError({
      code: 'invalid_response',
      provider,
      retryable: true,
      message: `The ${provider} stream is not a readable AWS event stream (${what}): the response was damaged or is not Bedrock's.`,
      cause,
    });
  }
}

function bigEndianUint32(bytes: Uint8Array, offset: number): number {
  const high = bytes[offset] as number;
  const rest = ((bytes[offset + 1] as number) << 16) | ((bytes[offset + 2] as number) << 8);
  return high * 0x1000000 + (rest | (bytes[offset + 3] as number));
}

function joined(parts: Uint8Array[], length: number): Uint8Array {
  const whole = new Uint8Array(length);
  let offset = 0;
  for (const part of parts) {
    whole.set(part, offset);
    offset += part.length;
  }
  return whole;
}
