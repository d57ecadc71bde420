import { ReadableStream as NodeReadableStream } from 'node:stream/web';
import { type AdapterDelta, deltasFromChunkStream } from '@tokenwire/core/adapter';
import { directStream } from '@tokenwire/core/internal';
import { bedrockConverseWire } from '@tokenwire/testing';
import { describe, expect, it } from 'vitest';
import { bedrockRecord } from './bedrock-records.js';
import { sdkRequire } from './bedrock-sdk-modules.js';
import { bedrockTranslator } from './bedrock-stream.js';
import { BEDROCK_EVENT_STREAM, type EventStreamMessage } from './bedrock-wire.js';

// The direct transport's body, framed by core with the AWS event-stream framing and turned into
// the SDK's events by `bedrockRecord`: the frames the replay server sends, split as a network may.
const frame = (payload: unknown) => bedrockConverseWire.encodeRecord(payload) as Uint8Array;
const textFrame = (text: string) => frame({ contentBlockDelta: { contentBlockIndex: 0, delta: { text } } });
const start = frame({ messageStart: { role: 'assistant' } });
const stop = frame({ messageStop: { stopReason: 'end_turn' } });
const metadata = frame({ metadata: { usage: { inputTokens: 3, outputTokens: 2, totalTokens: 5 } } });
const answer = [start, textFrame('Grüße, '), textFrame('世界'), stop, metadata];

function joined(parts: Uint8Array[]): Uint8Array {
  return Uint8Array.from(parts.flatMap((part) => [...part]));
}

interface Drained {
  deltas: AdapterDelta[];
  error: unknown;
  /** The runtime's async steps (one per network read). */
  steps: number;
}

/** Runs a direct stream over exactly these reads through the runtime's own loop (`deltasFromChunkStream`). */
async function drain(reads: Uint8Array[], maxRecordBytes = 100_000): Promise<Drained> {
  const translator = bedrockTranslator('bedrock', 'native');
  const state = translator.start({ model: 'test-model', messages: [] });
  const parts = {
    provider: 'bedrock',
    wire: BEDROCK_EVENT_STREAM,
    record: (message: EventStreamMessage) => bedrockRecord(message, 'bedrock'),
    translator,
  };
  const body = NodeReadableStream.from(reads) as ReadableStream<Uint8Array>;
  const stream = directStream(parts, { body, headers: new Headers() }, state, maxRecordBytes);
  let steps = 0;
  const counted = {
    ...stream,
    translate(bytes: Uint8Array, out: AdapterDelta[]) {
      steps++; // one per network read
      return stream.translate(bytes, out);
    },
  };
  const deltas: AdapterDelta[] = [];
  try {
    for await (const delta of deltasFromChunkStream(() => counted)) deltas.push(delta);
    return { deltas, error: undefined, steps };
  } catch (error) {
    return { deltas, error, steps };
  }
}

const text = (deltas: AdapterDelta[]) =>
  deltas.map((delta) => (delta.type === 'text' ? delta.delta : '')).join('');

describe('the AWS event-stream framing', () => {
  it('decodes frames split at every byte, one step per read, and finishes at metadata', async () => {
    const bytes = joined(answer);
    const drained = await drain([...bytes].map((byte) => Uint8Array.of(byte)));
    expect(drained.error).toBeUndefined();
    expect(text(drained.deltas)).toBe('Grüße, 世界');
    expect(drained.deltas.at(-1)).toMatchObject({ type: 'finish', reason: 'stop', rawReason: 'end_turn' });
    expect(drained.steps).toBe(bytes.length);
  });

  it('translates every frame of one read in that step and reads nothing after the terminal record', async () => {
    const drained = await drain([joined([...answer, textFrame('ignored')]), textFrame('also ignored')]);
    expect(drained.error).toBeUndefined();
    expect(drained.steps).toBe(1);
    expect(text(drained.deltas)).toBe('Grüße, 世界');
  });

  it('ends with a retryable invalid_response for a body cut inside a frame, after the whole frames', async () => {
    const last = textFrame('never whole');
    const drained = await drain([joined([start, textFrame('kept')]), last.subarray(0, 10)]);
    expect(text(drained.deltas)).toBe('kept');
    expect(drained.error).toMatchObject({ code: 'invalid_response', retryable: true });
    expect((drained.error as Error).message).toContain(`10 bytes of a frame of ${last.length} arrived`);
    expect((drained.error as Error).message).toContain('cut off');
  });

  it('says a body that stops inside the length prelude was cut off too', async () => {
    const drained = await drain([start, textFrame('kept').subarray(0, 3)]);
    expect(drained.error).toMatchObject({ code: 'invalid_response' });
    expect((drained.error as Error).message).toContain('3 bytes of a frame arrived');
  });

  it('refuses a frame over maxBytes.record as soon as its length arrives', async () => {
    const long = textFrame('x'.repeat(2_000));
    const drained = await drain([long.subarray(0, 4), long.subarray(4)], 1_000);
    expect(drained.steps).toBe(1);
    expect(drained.error).toMatchObject({ code: 'invalid_response' });
    expect((drained.error as Error).message).toContain('maxBytes.record');
  });

  it('refuses a damaged frame (its CRC does not match) as invalid_response, after the frames before it', async () => {
    const damaged = textFrame('damaged');
    damaged[damaged.length - 1] = (damaged.at(-1) as number) ^ 0xff;
    const drained = await drain([joined([start, textFrame('kept'), damaged])]);
    expect(text(drained.deltas)).toBe('kept');
    expect(drained.error).toMatchObject({ code: 'invalid_response' });
    expect((drained.error as Error).message).toContain('not a readable AWS event stream');
  });

  it('refuses a length too short to be a frame instead of waiting for it', async () => {
    const drained = await drain([Uint8Array.of(0, 0, 0, 0, 1, 2, 3, 4)]);
    expect(drained.error).toMatchObject({ code: 'invalid_response' });
    expect((drained.error as Error).message).toContain('a frame length of 0 bytes');
  });
});

describe('the messages of the event stream, as the SDK unmarshals them', () => {
  it('throws an in-band exception frame as its error, keeping its code, after the deltas before it', async () => {
    const exception = bedrockConverseWire.encodeInBandError?.({
      type: 'throttlingException',
      message: 'Too many tokens, please wait.',
    }) as Uint8Array;
    const drained = await drain([joined([start, textFrame('partial'), exception])]);
    expect(text(drained.deltas)).toBe('partial');
    expect(drained.error).toMatchObject({ code: 'rate_limit', provider: 'bedrock' });
    expect((drained.error as Error).message).toContain('ThrottlingException: Too many tokens, please wait.');
  });

  it('throws an error message as a server error with its code and message', async () => {
    const { EventStreamCodec } = sdkRequire('@smithy/core/event-streams') as {
      EventStreamCodec: new (
        toUtf8: (bytes: Uint8Array) => string,
        fromUtf8: (text: string) => Uint8Array,
      ) => { encode(message: { headers: object; body: Uint8Array }): Uint8Array };
    };
    const codec = new EventStreamCodec(
      (bytes) => new TextDecoder().decode(bytes),
      (value) => new TextEncoder().encode(value),
    );
    const string = (value: string) => ({ type: 'string', value });
    const error = codec.encode({
      headers: {
        ':message-type': string('error'),
        ':error-code': string('InternalFailure'),
        ':error-message': string('Something broke.'),
      },
      body: new Uint8Array(0),
    });
    const drained = await drain([start, error]);
    expect(drained.error).toMatchObject({ code: 'server' });
    expect((drained.error as Error).message).toBe(
      'The Bedrock stream reported an error InternalFailure: Something broke.',
    );
  });

  it('throws JSON.parse’s SyntaxError for an event whose body is not JSON', async () => {
    const drained = await drain([joined([start, textFrame('kept'), frame('{"broken": ')])]);
    expect(text(drained.deltas)).toBe('kept');
    expect(drained.error).toBeInstanceOf(SyntaxError);
  });

  it('keeps a redactedContent blob as the base64 text of the wire', async () => {
    const redacted = frame({
      contentBlockDelta: { contentBlockIndex: 0, delta: { reasoningContent: { redactedContent: 'AQID' } } },
    });
    const drained = await drain([joined([start, redacted, stop, metadata])]);
    expect(drained.deltas).toContainEqual({ type: 'reasoning', delta: '', redactedData: 'AQID' });
  });
});
