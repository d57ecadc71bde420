/** Small helpers the per-protocol request validators share. */

/** True for a plain object (not an array, not null). */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** True for a string that is not empty. */
export function isText(value: unknown): value is string {
  return typeof value === 'string' && value !== '';
}

/** True for a string holding valid JSON. */
export function isJsonText(value: unknown): boolean {
  if (typeof value !== 'string') return false;
  try {
    JSON.parse(value);
    return true;
  } catch {
    return false;
  }
}

/** True when `value` is base64 text (no `data:` prefix). */
export function isBase64(value: unknown): boolean {
  return typeof value === 'string' && value.length > 0 && /^[A-Za-z0-9+/]+={0,2}$/.test(value);
}

/** True for a `data:image/…;base64,…` URL or an http(s) URL. */
export function isImageUrl(value: unknown): boolean {
  if (typeof value !== 'string') return false;
  const data = /^data:image\/[a-z+.-]+;base64,(.+)$/.exec(value);
  return data === null ? /^https?:\/\//.test(value) : isBase64(data[1]);
}

/** True for a `data:<media type>;base64,…` URL of any media type (a file's bytes). */
export function isDataUrl(value: unknown): boolean {
  if (typeof value !== 'string') return false;
  const data = /^data:[a-z0-9][\w.+-]*\/[\w.+-]+;base64,(.+)$/i.exec(value);
  return data !== null && isBase64(data[1]);
}

/** A list of problems, each prefixed with where it was found. */
export class Problems {
  readonly list: string[] = [];
  add(where: string, problem: string): void {
    this.list.push(`${where}: ${problem}`);
  }
  check(condition: boolean, where: string, problem: string): boolean {
    if (!condition) this.add(where, problem);
    return condition;
  }
  /** Checks the `model` and `stream: true` fields of a streaming request body. */
  checkStreamingModel(body: Record<string, unknown>): void {
    this.check(isText(body.model), 'model', 'missing');
    this.check(body.stream === true, 'stream', 'must be true');
  }
  /**
   * Calls `visit` with each element of the array `items` (found at `where`) that is an object, and
   * reports the others. Returns false, after reporting it, when `items` is not a non-empty array.
   */
  eachRecord(
    items: unknown,
    where: string,
    visit: (item: Record<string, unknown>, at: string, index: number) => void,
  ): boolean {
    if (!Array.isArray(items) || items.length === 0) {
      this.add(where, 'missing or empty');
      return false;
    }
    items.forEach((item: unknown, index) => {
      const at = `${where}[${index}]`;
      if (isRecord(item)) visit(item, at, index);
      else this.add(at, 'not an object');
    });
    return true;
  }
}
