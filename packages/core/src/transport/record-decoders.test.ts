import { describe, expect, it } from 'vitest';
import { TokenwireError } from '../model/errors.js';
import { NDJSONDecoder, SSEDecoder } from './record-decoders.js';

const bytes = (text: string) => new TextEncoder().encode(text);

/** The bytes of `text` cut at the given byte offsets, as separate reads. */
function reads(text: string, cuts: number[]): Uint8Array[] {
  const all = bytes(text);
  const edges = [0, ...cuts, all.length];
  return edges.slice(1).map((end, index) => all.slice(edges[index], end));
}

describe('SSEDecoder', () => {
  it('returns the events each read completes, whatever the cuts, line ends and BOM', () => {
    const text = '\uFEFFevent: a\r\ndata: 你好\r\n\r\n: keep-alive\n\ndata: 1\ndata: 2\rid: 7\r\r';
    const cut = reads(text, [4, 21, 22, 30, 41]); // inside the BOM-adjacent name, inside 你, between \r and \n
    const comments: string[] = [];
    const decoder = new SSEDecoder({ onComment: (comment) => comments.push(comment) });
    const perRead = cut.map((read) => decoder.push(read).map((record) => record.data));
    expect(perRead.flat()).toEqual(['你好']);
    expect(decoder.end()).toEqual([{ event: undefined, data: '1\n2', id: '7' }]);
    expect(comments).toEqual(['keep-alive']);
  });

  it('gives several events of one read at once, and drops an event cut off at the end', () => {
    const decoder = new SSEDecoder();
    expect(decoder.push(bytes('data: a\n\ndata: b\n\ndata: c')).map((record) => record.data)).toEqual([
      'a',
      'b',
    ]);
    expect(decoder.end()).toEqual([]);
  });

  it('ends with invalid_response past maxBufferSize', () => {
    const decoder = new SSEDecoder({ maxBufferSize: 10, provider: 'acme' });
    expect(() => decoder.push(bytes(`data: ${'x'.repeat(50)}`))).toThrowError(
      /exceeded maxBufferSize \(10 characters\)/,
    );
  });
});

describe('NDJSONDecoder', () => {
  it('refuses a line over maxBufferSize that arrives whole in one read, after the lines before it', () => {
    const decoder = new NDJSONDecoder({
      maxBufferSize: 20,
      lineTooLong: (size) => new Error(`line of ${size}`),
    });
    const out: unknown[] = [];
    expect(() => decoder.push(bytes(`{"a":1}\n{"b":"${'x'.repeat(30)}"}\n{"c":3}\n`), out)).toThrow(
      'line of 38',
    );
    expect(out).toEqual([{ a: 1 }]);
  });

  it('parses the lines each read completes, and a last line without a newline at the end', () => {
    const decoder = new NDJSONDecoder();
    const out: unknown[] = [];
    for (const read of reads('{"a":"é"}\r\n\n{"b":2}\n{"c"', [7, 12])) decoder.push(read, out);
    expect(out).toEqual([{ a: 'é' }, { b: 2 }]);
    decoder.push(bytes(':3}'), out);
    decoder.end(out);
    expect(out).toEqual([{ a: 'é' }, { b: 2 }, { c: 3 }]);
  });

  it('keeps the lines before a malformed one, then throws invalid_response naming the line', () => {
    const decoder = new NDJSONDecoder({ provider: 'ollama' });
    const out: unknown[] = [];
    let thrown: unknown;
    try {
      decoder.push(bytes('{"ok":1}\nnot json\n{"never":1}\n'), out);
    } catch (error) {
      thrown = error;
    }
    expect(out).toEqual([{ ok: 1 }]);
    expect(TokenwireError.isInstance(thrown) && thrown.code).toBe('invalid_response');
    expect((thrown as Error).message).toBe('Malformed NDJSON line 2: not json');
  });
});
