import { describe, expect, it } from 'vitest';
import type { AdapterDelta } from '../model/types.js';
import { type BodyReads, bodyChunkStream, responseBody } from './direct-body.js';

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

/** Reads whose every chunk is one text delta; a chunk `stop` ends the response. */
function textReads(): BodyReads {
  const decoder = new TextDecoder();
  return {
    push(chunk, out) {
      const text = decoder.decode(chunk);
      if (text === 'stop') return true;
      out.push({ type: 'text', delta: text });
      return false;
    },
    end() {},
  };
}

describe('bodyChunkStream', () => {
  it('yields one chunk per network read and hands each to the reads', async () => {
    const { body } = bodyOf(['a', 'b', 'stop']);
    const stream = bodyChunkStream(body, textReads());
    const out: AdapterDelta[] = [];
    const results: boolean[] = [];
    for await (const read of stream.chunks) results.push(stream.translate(read, out) === true);
    expect(results).toEqual([false, false, true]);
    expect(out.map((delta) => (delta as { delta: string }).delta)).toEqual(['a', 'b']);
  });

  it('cancels the body once and calls onClose once, however often it is closed', async () => {
    const { body, state } = bodyOf(['a', 'b']);
    let onClose = 0;
    const stream = bodyChunkStream(body, textReads(), () => onClose++);
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
