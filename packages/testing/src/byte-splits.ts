/**
 * How the replay server cuts a response body into separate writes: at given byte offsets, or at
 * random boundaries (which land inside multi-byte UTF-8 characters as often as not).
 */
export type ByteSplit =
  | number[]
  | 'random'
  | 'inside-characters'
  | { min: number; max: number; seed?: number };

/** A small seeded PRNG (mulberry32), so a failing random split can be replayed with its seed. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let value = state;
    value = Math.imul(value ^ (value >>> 15), value | 1);
    value ^= value + Math.imul(value ^ (value >>> 7), value | 61);
    return ((value ^ (value >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * The byte offsets (strictly between 0 and the body length, ascending, unique) at which `body` is
 * cut. `'random'` means pieces of 1–12 bytes with a random seed; `{ min, max, seed }` pieces of
 * min–max bytes; `'inside-characters'` cuts before every UTF-8 continuation byte, so every
 * multi-byte character is split; an array lists absolute offsets into the whole body.
 */
export function cutOffsets(body: Uint8Array, split: ByteSplit | undefined): number[] {
  const length = body.length;
  if (split === undefined || length <= 1) return [];
  if (split === 'inside-characters') {
    const offsets: number[] = [];
    body.forEach((byte, index) => {
      if ((byte & 0xc0) === 0x80) offsets.push(index);
    });
    return offsets;
  }
  if (Array.isArray(split)) {
    return [...new Set(split.filter((offset) => offset > 0 && offset < length))].sort((a, b) => a - b);
  }
  const { min, max, seed } = split === 'random' ? { min: 1, max: 12, seed: undefined } : split;
  const low = Math.max(1, Math.floor(min));
  const high = Math.max(low, Math.floor(max));
  const random = seededRandom(seed ?? Math.floor(Math.random() * 2 ** 32));
  const offsets: number[] = [];
  for (let offset = 0; ; ) {
    offset += low + Math.floor(random() * (high - low + 1));
    if (offset >= length) return offsets;
    offsets.push(offset);
  }
}
