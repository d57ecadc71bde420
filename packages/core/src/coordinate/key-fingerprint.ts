import type { Adapter } from '../model/types.js';

/**
 * A fingerprint of the API key an adapter sends: the first 16 hex digits of SHA-256 over the
 * provider's name and the key, so limits and cooldowns are per key without the key ever being
 * stored (in Redis or anywhere). The key is the one of the adapter's vendor client (`client.apiKey`,
 * as the openai and anthropic SDKs expose it); an adapter without one is `'default'`.
 */
export async function keyFingerprint(provider: string, adapter: Adapter): Promise<string> {
  const key = apiKeyOf(adapter);
  if (key === undefined) return 'default';
  const digest = await globalThis.crypto.subtle.digest(
    'SHA-256',
    new TextEncoder().encode(`${provider}\u0000${key}`),
  );
  let hex = '';
  for (const byte of new Uint8Array(digest).subarray(0, 8)) hex += byte.toString(16).padStart(2, '0');
  return hex;
}

function apiKeyOf(adapter: Adapter): string | undefined {
  try {
    const client = (adapter as { client?: { apiKey?: unknown } }).client;
    return typeof client?.apiKey === 'string' && client.apiKey !== '' ? client.apiKey : undefined;
  } catch {
    return undefined; // building the client failed (no key): the request will say so
  }
}
