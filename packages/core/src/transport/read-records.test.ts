import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { TokenwireError } from '../model/errors.js';
import type { Adapter } from '../model/types.js';
import { createTokenwire } from '../runtime/create-tokenwire.js';
import { collectEvents } from '../runtime/scripted-adapter.test-helpers.js';
import { readNDJSON, readSSE, type SSERecord } from './read-records.js';

const encoder = new TextEncoder();

function streamOf(chunks: Uint8Array[]): ReadableStream<Uint8Array> {
  let index = 0;
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      const chunk = chunks[index++];
      if (chunk === undefined) controller.close();
      else controller.enqueue(chunk);
    },
  });
}

async function* iterableOf(chunks: Uint8Array[]): AsyncGenerator<Uint8Array> {
  for (const chunk of chunks) yield chunk;
}

function textChunks(...texts: string[]): ReadableStream<Uint8Array> {
  return streamOf(texts.map((text) => encoder.encode(text)));
}

/** Cuts bytes at the given positions (taken modulo the length), in order. */
function split(bytes: Uint8Array, cuts: number[]): Uint8Array[] {
  const positions = [...new Set(cuts.map((cut) => cut % (bytes.length + 1)))].sort((a, b) => a - b);
  const chunks: Uint8Array[] = [];
  let start = 0;
  for (const position of [...positions, bytes.length]) {
    chunks.push(bytes.subarray(start, position));
    start = position;
  }
  return chunks;
}

async function collect<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const values: T[] = [];
  for await (const value of iterable) values.push(value);
  return values;
}

/** A byte source that records whether it was closed before its end. */
function trackedSource(texts: string[]) {
  const state = { returned: false, cancelled: false };
  const iterable: AsyncIterable<Uint8Array> = {
    [Symbol.asyncIterator]() {
      let index = 0;
      return {
        next: async () => {
          const text = texts[index++];
          return text === undefined
            ? { done: true, value: undefined }
            : { done: false, value: encoder.encode(text) };
        },
        return: async () => {
          state.returned = true;
          return { done: true, value: undefined };
        },
      };
    },
  };
  let index = 0;
  const stream = new ReadableStream<Uint8Array>({
    pull(controller) {
      const text = texts[index++];
      if (text === undefined) controller.close();
      else controller.enqueue(encoder.encode(text));
    },
    cancel() {
      state.cancelled = true;
    },
  });
  return { state, iterable, stream };
}

describe('readSSE', () => {
  it('yields one record per event with its event name, data and id', async () => {
    const body = textChunks('event: delta\nid: 7\ndata: {"a":1}\n\ndata: plain\n\n');
    expect(await collect(readSSE(body))).toEqual([
      { event: 'delta', data: '{"a":1}', id: '7' },
      { event: undefined, data: 'plain', id: undefined },
    ]);
  });

  it('joins multi-line data with \\n', async () => {
    const body = textChunks('data: first\ndata:second\ndata:  third\n\n');
    expect(await collect(readSSE(body))).toEqual([
      { event: undefined, data: 'first\nsecond\n third', id: undefined },
    ]);
  });

  it('accepts \\r\\n and \\r line ends, also split between chunks', async () => {
    const body = textChunks('event: a\r\ndata: 1\r', '\n\r', '\nevent: b\rdata: 2\r\r', 'data: 3\r', '\r');
    expect(await collect(readSSE(body))).toEqual([
      { event: 'a', data: '1', id: undefined },
      { event: 'b', data: '2', id: undefined },
      { event: undefined, data: '3', id: undefined },
    ]);
  });

  it('drops comments and passes them to onComment', async () => {
    const comments: string[] = [];
    const body = textChunks(': keep-alive\n\ndata: x\n: inside\n\n');
    const records = await collect(readSSE(body, { onComment: (comment) => comments.push(comment) }));
    expect(records).toEqual([{ event: undefined, data: 'x', id: undefined }]);
    expect(comments).toEqual(['keep-alive', 'inside']);
  });

  it('ignores unknown fields and retry lines', async () => {
    const body = textChunks('retry: 100\nfoo: bar\ndata: x\n\n');
    expect(await collect(readSSE(body))).toEqual([{ event: undefined, data: 'x', id: undefined }]);
  });

  it('decodes a UTF-8 character split across chunks', async () => {
    const bytes = encoder.encode('data: 你好🙂\n\n');
    // 你 is bytes 6..8 and 🙂 bytes 12..15: both cuts fall inside a character.
    const chunks = [bytes.subarray(0, 7), bytes.subarray(7, 13), bytes.subarray(13)];
    expect(await collect(readSSE(iterableOf(chunks)))).toEqual([
      { event: undefined, data: '你好🙂', id: undefined },
    ]);
  });

  it('does not yield an event cut off before its blank line', async () => {
    const body = textChunks('data: whole\n\ndata: cut');
    expect(await collect(readSSE(body))).toEqual([{ event: undefined, data: 'whole', id: undefined }]);
  });

  it('cancels a ReadableStream body when the consumer stops early', async () => {
    const { state, stream } = trackedSource(['data: 1\n\n', 'data: 2\n\n', 'data: 3\n\n']);
    for await (const record of readSSE(stream)) {
      expect(record.data).toBe('1');
      break;
    }
    expect(state.cancelled).toBe(true);
    expect(stream.locked).toBe(false);
  });

  it('calls return() on an async iterable body when the consumer stops early', async () => {
    const { state, iterable } = trackedSource(['data: 1\n\n', 'data: 2\n\n']);
    for await (const _record of readSSE(iterable)) break;
    expect(state.returned).toBe(true);
  });

  it('does not cancel a body that ended', async () => {
    const { state, stream } = trackedSource(['data: 1\n\n']);
    await collect(readSSE(stream));
    expect(state.cancelled).toBe(false);
    expect(stream.locked).toBe(false);
  });

  it('throws invalid_response when an event exceeds maxBufferSize', async () => {
    const body = textChunks(`data: ${'x'.repeat(100)}`, 'x\n\n');
    await expect(collect(readSSE(body, { maxBufferSize: 50, provider: 'acme' }))).rejects.toMatchObject({
      code: 'invalid_response',
      provider: 'acme',
    });
  });

  it('yields the same records for any split of the bytes', async () => {
    const line = fc.string({ unit: 'grapheme', maxLength: 12 }).filter((text) => !/[\r\n]/.test(text));
    const record = fc.record({
      event: fc.option(line, { nil: undefined }),
      dataLines: fc.array(line, { minLength: 1, maxLength: 3 }),
      id: fc.option(
        line.filter((text) => !text.includes('\0')),
        { nil: undefined },
      ),
      comment: fc.boolean(),
    });
    await fc.assert(
      fc.asyncProperty(
        fc.array(record, { maxLength: 6 }),
        fc.constantFrom('\n', '\r\n', '\r'),
        fc.array(fc.nat(), { maxLength: 12 }),
        fc.boolean(),
        async (records, lineEnd, cuts, asReadableStream) => {
          const text = records
            .map((entry) => {
              const lines = [
                ...(entry.comment ? [': note'] : []),
                ...(entry.event === undefined ? [] : [`event: ${entry.event}`]),
                ...(entry.id === undefined ? [] : [`id: ${entry.id}`]),
                ...entry.dataLines.map((data) => `data: ${data}`),
              ];
              return lines.map((each) => each + lineEnd).join('') + lineEnd;
            })
            .join('');
          const expected: SSERecord[] = records.map((entry) => ({
            event: entry.event === '' ? undefined : entry.event,
            data: entry.dataLines.join('\n'),
            id: entry.id,
          }));
          const bytes = encoder.encode(text);
          const chunks = split(bytes, cuts);
          const body = asReadableStream ? streamOf(chunks) : iterableOf(chunks);
          expect(await collect(readSSE(streamOf([bytes])))).toEqual(expected);
          expect(await collect(readSSE(body))).toEqual(expected);
        },
      ),
      { numRuns: 200 },
    );
  });
});

describe('readNDJSON', () => {
  it('yields each parsed line, skipping blank lines and accepting \\r\\n', async () => {
    const body = textChunks('{"a":1}\r\n\n  \r\n[2,', '3]\n"four"\n');
    expect(await collect(readNDJSON(body))).toEqual([{ a: 1 }, [2, 3], 'four']);
  });

  it('parses a last line without a newline', async () => {
    expect(await collect(readNDJSON(textChunks('1\n{"done":', 'true}')))).toEqual([1, { done: true }]);
  });

  it('decodes a UTF-8 character split across chunks', async () => {
    const bytes = encoder.encode('{"text":"你好🙂"}\n');
    // 你 is bytes 9..11 and 🙂 bytes 15..18: both cuts fall inside a character.
    const chunks = [bytes.subarray(0, 11), bytes.subarray(11, 17), bytes.subarray(17)];
    expect(await collect(readNDJSON(iterableOf(chunks)))).toEqual([{ text: '你好🙂' }]);
  });

  it('throws invalid_response with the line number and the start of a malformed line', async () => {
    const body = textChunks(`{"ok":true}\n\n{"broken": ${'x'.repeat(300)}\n{"never":1}\n`);
    const seen: unknown[] = [];
    let thrown: unknown;
    try {
      for await (const value of readNDJSON(body, { provider: 'ollama' })) seen.push(value);
    } catch (error) {
      thrown = error;
    }
    expect(seen).toEqual([{ ok: true }]);
    expect(TokenwireError.isInstance(thrown)).toBe(true);
    expect((thrown as TokenwireError).toJSON()).toMatchObject({
      code: 'invalid_response',
      provider: 'ollama',
      message: `Malformed NDJSON line 3: {"broken": ${'x'.repeat(189)}`,
    });
    expect((thrown as TokenwireError).cause).toMatchObject({ name: 'SyntaxError' }); // a sanitized copy
  });

  it('throws invalid_response when a line exceeds maxBufferSize', async () => {
    const body = textChunks('{"a":"', 'x'.repeat(100));
    await expect(collect(readNDJSON(body, { maxBufferSize: 50 }))).rejects.toMatchObject({
      code: 'invalid_response',
    });
  });

  it('cancels a ReadableStream body when the consumer stops early', async () => {
    const { state, stream } = trackedSource(['1\n2\n', '3\n']);
    for await (const value of readNDJSON(stream)) {
      expect(value).toBe(1);
      break;
    }
    expect(state.cancelled).toBe(true);
    expect(stream.locked).toBe(false);
  });

  it('calls return() on an async iterable body when the consumer stops early', async () => {
    const { state, iterable } = trackedSource(['1\n', '2\n']);
    for await (const _value of readNDJSON(iterable)) break;
    expect(state.returned).toBe(true);
  });

  it('yields the same values for any split of the bytes', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(fc.jsonValue(), fc.boolean()), { maxLength: 8 }),
        fc.constantFrom('\n', '\r\n'),
        fc.boolean(),
        fc.array(fc.nat(), { maxLength: 12 }),
        fc.boolean(),
        async (entries, lineEnd, finalNewline, cuts, asReadableStream) => {
          const lines = entries.flatMap(([value, blankBefore]) => [
            ...(blankBefore ? [''] : []),
            JSON.stringify(value),
          ]);
          const text = lines.join(lineEnd) + (finalNewline ? lineEnd : '');
          const expected = entries.map(([value]) => JSON.parse(JSON.stringify(value)));
          const bytes = encoder.encode(text);
          const chunks = split(bytes, cuts);
          const body = asReadableStream ? streamOf(chunks) : iterableOf(chunks);
          expect(await collect(readNDJSON(streamOf([bytes])))).toEqual(expected);
          expect(await collect(readNDJSON(body))).toEqual(expected);
        },
      ),
      { numRuns: 200 },
    );
  });
});

describe('readNDJSON in a hand-written adapter', () => {
  // The README's custom-adapter way: stream() reads the body with readNDJSON. A malformed line
  // before any output is a broken response like a cut one: the runtime retries it.
  const bodies = ['{"text":"Hi"\n', '{"text":"Hi"}\n{"done":true}\n'];
  const calls: number[] = [];
  const adapter: Adapter = {
    name: 'lines',
    async *stream() {
      const body = streamOf([encoder.encode(bodies[Math.min(calls.length, 1)] as string)]);
      calls.push(calls.length);
      for await (const line of readNDJSON(body, { provider: 'lines' })) {
        const record = line as { text?: string; done?: boolean };
        if (record.text !== undefined) yield { type: 'text', delta: record.text };
        if (record.done === true) yield { type: 'finish', reason: 'stop' };
      }
    },
  };

  it('retries a malformed line before any output, then finishes', async () => {
    const tokenwire = createTokenwire({ providers: { lines: adapter }, retries: { initialDelayMs: 1 } });
    const events = await collectEvents(
      tokenwire.stream({ model: 'lines/m', messages: [{ role: 'user', content: 'Hi' }] }),
    );
    expect(calls).toEqual([0, 1]);
    expect(events.at(-1)).toMatchObject({ type: 'finish', content: 'Hi' });
  });

  it('marks the malformed line retryable invalid_response', async () => {
    const reading = readNDJSON(streamOf([encoder.encode('not json\n')]), { provider: 'lines' });
    await expect(reading.next()).rejects.toMatchObject({ code: 'invalid_response', retryable: true });
  });
});
