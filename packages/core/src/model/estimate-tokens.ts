/**
 * Token estimation for providers and moments without exact counts. Cheap by design: about four
 * characters per token for Latin text and one token per CJK (or other wide) character. Counts
 * are kept in quarter-token units so chunk estimates add up to the estimate of the whole text.
 */

/** Estimated size of `text` in quarter tokens (4 units = 1 token). */
export function estimateQuarterTokens(text: string): number {
  let units = 0;
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index);
    // CJK, kana, hangul and other characters above U+2E80 are roughly one token each.
    // A surrogate pair is counted once, on its high half.
    if (code < 0x2e80) units += 1;
    else if (code < 0xdc00 || code > 0xdfff) units += 4;
  }
  return units;
}

/** Estimated number of tokens in `text` (rounded up). */
export function estimateTokens(text: string): number {
  return Math.ceil(estimateQuarterTokens(text) / 4);
}
