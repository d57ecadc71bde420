// Base64 without Node's Buffer, which Workers and browsers lack: atob and btoa are on every runtime.

/**
 * The bytes of base64 in either alphabet (`+/` or `-_`), padded or not, as `Buffer.from(text,
 * 'base64')` reads it: other characters (whitespace, line breaks, anything else) are skipped, and a
 * last lone character, which holds no whole byte, is dropped. Never throws.
 */
export function base64ToBytes(base64: string): Uint8Array {
  let standard = base64
    .replace(/[^A-Za-z0-9+/_-]+/g, '')
    .replace(/-/g, '+')
    .replace(/_/g, '/');
  if (standard.length % 4 === 1) standard = standard.slice(0, -1);
  const binary = atob(standard + '='.repeat((4 - (standard.length % 4)) % 4));
  const bytes = new Uint8Array(binary.length);
  for (let index = 0; index < binary.length; index++) bytes[index] = binary.charCodeAt(index);
  return bytes;
}

/** The standard, padded base64 of `bytes`. */
export function bytesToBase64(bytes: Uint8Array): string {
  let binary = '';
  // String.fromCharCode takes its arguments on the stack: 32 KiB at a time.
  for (let start = 0; start < bytes.length; start += 0x8000) {
    binary += String.fromCharCode(...bytes.subarray(start, start + 0x8000));
  }
  return btoa(binary);
}

/** The standard, padded base64 of a string's UTF-8 bytes (`user:password` for Basic auth). */
export function utf8ToBase64(text: string): string {
  return bytesToBase64(new TextEncoder().encode(text));
}
