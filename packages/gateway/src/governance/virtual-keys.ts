import type * as NodeCrypto from 'node:crypto';

/**
 * Node's crypto, loaded when governance first needs it (not at import): a gateway without
 * governance runs where there is no `node:crypto`, such as a Worker without `nodejs_compat`.
 */
function nodeCrypto(): typeof NodeCrypto {
  const load = (globalThis as { process?: { getBuiltinModule?(name: string): unknown } }).process
    ?.getBuiltinModule;
  const crypto = load?.('node:crypto') as typeof NodeCrypto | undefined;
  if (crypto === undefined) {
    throw new Error(
      "The gateway's virtual keys need Node's crypto (node:crypto, Node 20.16+); on other runtimes, use auth: { tokens: [...] }.",
    );
  }
  return crypto;
}

/** Every virtual key starts with this. */
export const VIRTUAL_KEY_PREFIX = 'sk-tw-';

/** A new key's text: the prefix and 32 random bytes in base64url (256 bits). Shown once. */
export function newKeyText(): string {
  return VIRTUAL_KEY_PREFIX + nodeCrypto().randomBytes(32).toString('base64url');
}

/** A new key id, `key_` and 16 hex digits: what everything but the key's holder sees. */
export function newKeyId(): string {
  return `key_${nodeCrypto().randomBytes(8).toString('hex')}`;
}

/** A new reservation id. */
export function newReservationId(): string {
  return `res_${nodeCrypto().randomBytes(12).toString('hex')}`;
}

/**
 * The stored form of a key: HMAC-SHA256 under the server's pepper, hex. Without the pepper, a copy
 * of the database does not let anyone test guesses offline.
 */
export function hashKey(pepper: string, key: string): string {
  return nodeCrypto().createHmac('sha256', pepper).update(key).digest('hex');
}

/** The fingerprint shown beside a key's id: the first 12 hex digits of its hash. */
export function fingerprintOf(hash: string): string {
  return hash.slice(0, 12);
}

/** The default pepper, when none is configured: derived from the master key (rotating it then invalidates every key). */
export function derivedPepper(masterKey: string): string {
  return nodeCrypto().createHmac('sha256', masterKey).update('tokenwire gateway pepper v1').digest('hex');
}

/** Whether a credential looks like a virtual key (cheap test before any hashing). */
export function isVirtualKey(credential: string): boolean {
  return credential.startsWith(VIRTUAL_KEY_PREFIX) && credential.length > VIRTUAL_KEY_PREFIX.length + 20;
}
