/**
 * Makes V8 flatten a rope string in place: ToNumber reads it whole. Text built with `+=` is a rope
 * of 32-byte nodes, several times the size of the text, and a deep rope is slow to read once
 * (JSON.parse of a 5,000-piece tool argument). Callers flatten when the text appended since the
 * last flatten exceeds an eighth of the whole, so each character is copied about eight times.
 */
export function flatten(text: string): void {
  // Stored so that the optimizing compiler cannot drop the conversion as unused.
  sink.value = Number(text);
}

const sink = { value: 0 };

/** True when text that grew by `appended` characters to `length` should be flattened now. */
export function shouldFlatten(appended: number, length: number): boolean {
  return appended > 256 && appended * 8 > length;
}
