import { TokenwireError } from '../model/errors.js';

/**
 * The size of a request as it will be serialized, in bytes, counted without building the JSON:
 * strings as UTF-8, bytes (images, files) as the base64 they are sent as. Stops counting once the
 * size passes `max`, so a huge request costs no more than `max` to measure. A first pass counts
 * every string at its most (3 bytes a unit); only a request that could be over `max` is counted
 * character by character.
 */
export function serializedSize(value: unknown, max: number): number {
  const atMost = measure(value, max, (text) => text.length * 3);
  return atMost <= max ? atMost : measure(value, max, utf8Length);
}

function measure(value: unknown, max: number, stringSize: (text: string) => number): number {
  let size = 0;
  const pending: unknown[] = [value];
  while (pending.length > 0 && size <= max) {
    const item = pending.pop();
    if (typeof item === 'string') size += stringSize(item) + 2;
    else if (typeof item === 'number' || typeof item === 'boolean') size += String(item).length;
    else if (ArrayBuffer.isView(item) || item instanceof ArrayBuffer)
      size += Math.ceil(item.byteLength / 3) * 4 + 2;
    else if (Array.isArray(item)) {
      size += 2 + item.length;
      for (const element of item) pending.push(element);
    } else if (isSerializedObject(item)) {
      for (const key of Object.keys(item)) {
        size += stringSize(key) + 4;
        pending.push((item as Record<string, unknown>)[key]);
      }
    }
  }
  return size;
}

/**
 * The `invalid_request` error of a request over `maxBytes.request` (default 32 MiB, Anthropic's
 * documented request limit, the tightest of the common providers), or undefined.
 */
export function requestSizeProblem(
  request: object,
  max: number,
  provider?: string,
): TokenwireError | undefined {
  const { signal: _signal, ...sent } = request as { signal?: unknown };
  const size = serializedSize(sent, max);
  if (size <= max) return undefined;
  return new TokenwireError({
    code: 'invalid_request',
    ...(provider === undefined ? {} : { provider }),
    retryable: false,
    message: `Invalid request: the request is over maxBytes.request (${max.toLocaleString('en')} bytes serialized; this one is larger). Send less (shorter messages, smaller or fewer images), or raise createTokenwire({ maxBytes: { request } }) if the provider accepts it. Nothing was sent.`,
  });
}

function isSerializedObject(value: unknown): value is object {
  return typeof value === 'object' && value !== null && !(value instanceof AbortSignal);
}

/** The UTF-8 length of a string (JSON escapes aside), without encoding it. */
function utf8Length(text: string): number {
  let length = text.length;
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index);
    // 2 bytes below U+0800, 3 above, 4 for a surrogate pair (2 units): one or two more than its units.
    if (code >= 0x80) length += code >= 0x800 && (code < 0xd800 || code > 0xdfff) ? 2 : 1;
  }
  return length;
}
