import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PartialJsonParser } from './partial-json.js';

/** True when `next` shows everything `previous` showed: strings and arrays grow, objects gain keys. */
function extendsValue(previous: unknown, next: unknown): boolean {
  if (previous === undefined) return true;
  if (typeof previous === 'string') return typeof next === 'string' && next.startsWith(previous);
  if (Array.isArray(previous)) {
    return (
      Array.isArray(next) &&
      next.length >= previous.length &&
      previous.every((item, index) => extendsValue(item, next[index]))
    );
  }
  if (typeof previous === 'object' && previous !== null) {
    return (
      typeof next === 'object' &&
      next !== null &&
      !Array.isArray(next) &&
      Object.entries(previous).every(
        ([key, value]) => key in next && extendsValue(value, (next as Record<string, unknown>)[key]),
      )
    );
  }
  return Object.is(previous, next);
}

function cut(text: string, cuts: number[]): string[] {
  const offsets = [...new Set(cuts.map((cutAt) => cutAt % (text.length + 1)))].sort((a, b) => a - b);
  const pieces: string[] = [];
  let start = 0;
  for (const offset of offsets) {
    pieces.push(text.slice(start, offset));
    start = offset;
  }
  pieces.push(text.slice(start));
  return pieces;
}

describe('PartialJsonParser', () => {
  it('shows an object as it streams: keys once their value starts, strings as they grow, numbers once complete', () => {
    const parser = new PartialJsonParser();
    const seen: unknown[] = [];
    for (const piece of ['{"ci', 'ty": "Par', 'is", "temp', 'erature": 2', '1.5, "tags": ["a", tr', 'ue]}']) {
      parser.push(piece);
      seen.push(structuredClone(parser.value));
    }
    expect(seen).toEqual([
      {},
      { city: 'Par' },
      { city: 'Paris' },
      { city: 'Paris' },
      { city: 'Paris', temperature: 21.5, tags: ['a'] },
      { city: 'Paris', temperature: 21.5, tags: ['a', true] },
    ]);
    expect(parser.complete).toBe(true);
  });

  it('decodes escapes cut anywhere, \\u sequences and surrogate pairs included', () => {
    const text = JSON.stringify({ text: 'line\n"quoted" \\ tab\t é 🙂 \u0001' });
    const parser = new PartialJsonParser();
    for (const character of text) parser.push(character);
    expect(parser.value).toEqual(JSON.parse(text));
  });

  it('skips a code fence or a sentence before the value, and what follows it', () => {
    const parser = new PartialJsonParser();
    parser.push('Here you go:\n```json\n{"ok": tr');
    parser.push('ue}\n```\nAnything else?');
    expect(parser.value).toEqual({ ok: true });
  });

  it('says whether a push changed the value', () => {
    const parser = new PartialJsonParser();
    expect([
      parser.push('{"a"'),
      parser.push(': '),
      parser.push('"x'),
      parser.push('y"'),
      parser.push(' '),
    ]).toEqual([true, false, true, true, false]);
  });

  it('ends with the parsed value, whatever the cuts, and every state extends the one before', () => {
    const root = fc.oneof(fc.dictionary(fc.string(), fc.jsonValue()), fc.array(fc.jsonValue()));
    fc.assert(
      fc.property(root, fc.array(fc.nat(), { maxLength: 30 }), fc.boolean(), (value, cuts, indent) => {
        const text = JSON.stringify(value, undefined, indent ? 2 : undefined);
        const parser = new PartialJsonParser();
        let previous: unknown;
        for (const piece of cut(text, cuts)) {
          parser.push(piece);
          expect(extendsValue(previous, parser.value)).toBe(true);
          previous = structuredClone(parser.value);
        }
        expect(parser.value).toEqual(JSON.parse(text));
        expect(parser.complete).toBe(true);
      }),
      { numRuns: 500 },
    );
  });
});
