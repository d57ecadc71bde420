import { describe, expect, it } from 'vitest';
import { TokenwireError } from '../model/errors.js';
import type { AdapterDelta } from '../model/types.js';
import { bodyChunkStream, responseBody, SSEBodyReads } from './direct-body.js';
import type { SSERecord } from './read-records.js';

const bytes = (text: string) => new TextEncoder().encode(text);

/** A body that gives the given reads, one per `read()`, and counts its cancels. */
function bodyOf(reads: string[]) {
  const state = { cancelled: 0 };
  let index = 0;
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      const read = reads[index++];
      if (read === undefined) controller.close();
      else controller.enqueue(bytes(read));
    },
    cancel() {
      state.cancelled++;
    },
  });
  return { body, state };
}

/** SSE reads whose records become text deltas; `stop` is the terminal record, `fail` throws. */
function textReads(maxRecordBytes?: number) {
  const seen: SSERecord[] = [];
  const reads = new SSEBodyReads({
    provider: 'acme',
    maxRecordBytes,
    onRecord(record, out) {
      seen.push(record);
      if (record.data === 'fail') throw new Error('an in-band error');
      if (record.data === 'stop') return true;
      out.push({ type: 'text', delta: record.data });
      return false;
    },
  });
  return { reads, seen };
}

describe('SSEBodyReads', () => {
  it('translates every record a read completes in one call, and nothing after the terminal record', () => {
    const { reads, seen } = textReads();
    const out: AdapterDelta[] = [];
    expect(reads.push(bytes('data: a\n\ndata: b\n\ndata: c'), out)).toBe(false);
    expect(out).toEqual([
      { type: 'text', delta: 'a' },
      { type: 'text', delta: 'b' },
    ]);
    expect(reads.push(bytes('\n\ndata: stop\n\ndata: after\n\n'), out)).toBe(true);
    expect(reads.finished).toBe(true);
    expect(reads.push(bytes('data: later\n\n'), out)).toBe(true);
    expect(seen.map((record) => record.data)).toEqual(['a', 'b', 'c', 'stop']);
  });

  it('keeps the deltas of the records before one that throws', () => {
    const { reads } = textReads();
    const out: AdapterDelta[] = [];
    expect(() => reads.push(bytes('data: kept\n\ndata: fail\n\ndata: never\n\n'), out)).toThrow(
      'an in-band error',
    );
    expect(out).toEqual([{ type: 'text', delta: 'kept' }]);
  });

  it('names maxBytes.record for an event over it, whole in one read or across reads', () => {
    const whole = textReads(64).reads;
    expect(() => whole.push(bytes(`data: ${'x'.repeat(65)}\n\n`), [])).toThrow(
      'An SSE event of the acme stream is 65 characters, over maxBytes.record (64)',
    );
    const across = textReads(64).reads;
    let thrown: unknown;
    try {
      for (let read = 0; read < 4; read++) across.push(bytes(read === 0 ? 'data: ' : 'y'.repeat(30)), []);
    } catch (error) {
      thrown = error;
    }
    expect(TokenwireError.isInstance(thrown) && thrown.code).toBe('invalid_response');
    expect((thrown as Error).message).toMatch(
      /read so far\) is \d+ characters, over maxBytes\.record \(64\)/,
    );
  });

  it('gives the last complete event at the end of the body and drops one cut off', () => {
    const { reads } = textReads();
    const out: AdapterDelta[] = [];
    reads.push(bytes('data: last\r\n\r'), out);
    expect(out).toEqual([]);
    reads.end(out);
    expect(out).toEqual([{ type: 'text', delta: 'last' }]);
    const cut = textReads().reads;
    cut.push(bytes('data: cut'), out);
    cut.end(out);
    expect(out).toHaveLength(1);
  });
});

describe('bodyChunkStream', () => {
  it('yields one chunk per network read and hands each to the reads', async () => {
    const { body } = bodyOf(['data: a\n\n', 'data: b\n\ndata: stop\n\n']);
    const { reads } = textReads();
    const stream = bodyChunkStream(body, reads);
    const out: AdapterDelta[] = [];
    const results: boolean[] = [];
    for await (const read of stream.chunks) results.push(stream.translate(read, out) === true);
    expect(results).toEqual([false, true]);
    expect(out.map((delta) => (delta as { delta: string }).delta)).toEqual(['a', 'b']);
  });

  it('cancels the body once and calls onClose once, however often it is closed', async () => {
    const { body, state } = bodyOf(['data: a\n\n', 'data: b\n\n']);
    let onClose = 0;
    const stream = bodyChunkStream(body, textReads().reads, () => onClose++);
    const iterator = stream.chunks[Symbol.asyncIterator]();
    await iterator.next();
    await iterator.return?.();
    stream.close?.();
    await Promise.resolve();
    expect({ cancelled: state.cancelled, onClose }).toEqual({ cancelled: 1, onClose: 1 });
  });

  it('refuses a response without a body, naming the provider and the status', () => {
    expect(() => responseBody(new Response(null, { status: 204 }), 'acme')).toThrow(
      'The acme API answered 204 without a body to stream.',
    );
  });
});
