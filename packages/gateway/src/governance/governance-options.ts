import type { Coordinator, PriceSource } from '@tokenwire/core';
import type { GatewayStore } from './gateway-store.js';

/**
 * Governed auth: virtual keys (`sk-tw-…`) created through the admin API with the master key, each
 * scoped to models, with an expiry, limits and a budget, kept in `store`. Clients send a key as
 * `Authorization: Bearer` or `x-api-key`; the admin API and `/metrics` take the master key.
 */
export interface GovernedAuth {
  /** The admin API's bearer token (at least 32 characters); never a virtual key. */
  masterKey: string;
  /** Where keys, budgets and the spend log live. Default `pgliteStore()`: embedded, in memory. */
  store?: GatewayStore;
  /**
   * The server-side pepper keys are hashed with (HMAC-SHA256), at least 32 characters. Default
   * `TOKENWIRE_GATEWAY_PEPPER`, else one derived from `masterKey` (rotating the master key then
   * invalidates every key: set a pepper in production).
   */
  pepper?: string;
  /**
   * Holds per-key rpm, tpm and concurrency for every replica: `redisCoordinator()` from
   * `@tokenwire/redis` for many (one Lua round trip per request). Default `inMemoryCoordinator()`.
   */
  coordinator?: Coordinator;
  /**
   * Prices for budget estimates (the same `prices` as `createTokenwire`'s). A key with a budget is
   * refused (403) a model without a known price: never a silent $0. Default none.
   */
  prices?: PriceSource;
  /** Output tokens a budget estimate counts when the request sets no `max_tokens`. Default 256. */
  estimatedOutputTokens?: number;
  /**
   * What a store or coordinator outage lets through. Default all false: fail closed, a 503 in the
   * dialect's shape within `storeTimeoutMs`. `auth: true` serves keys this replica verified in the
   * last five minutes; `budgets: true` serves without a reservation; `limits: true` without limits.
   */
  failOpen?: { auth?: boolean; budgets?: boolean; limits?: boolean };
  /** The longest wait for the store or the coordinator before it counts as down, in ms. Default 2,000. */
  storeTimeoutMs?: number;
  /** How often spend rows are written (in batches, off the request path), in ms. Default 1,000. */
  spendFlushMs?: number;
  /**
   * How long a reservation may stay open before the sweep settles it at its estimate (its replica
   * crashed), in ms. Default one hour: longer than any stream.
   */
  reservationTtlMs?: number;
}

/** The problem with a governed `auth` option, or undefined. */
export function governedAuthProblem(auth: GovernedAuth): string | undefined {
  if (typeof auth.masterKey !== 'string' || auth.masterKey.length < 32)
    return 'auth.masterKey must be a string of at least 32 characters';
  if (auth.pepper !== undefined && (typeof auth.pepper !== 'string' || auth.pepper.length < 32))
    return 'auth.pepper must be a string of at least 32 characters';
  const known = new Set([
    'masterKey',
    'store',
    'pepper',
    'coordinator',
    'prices',
    'estimatedOutputTokens',
    'failOpen',
    'storeTimeoutMs',
    'spendFlushMs',
    'reservationTtlMs',
  ]);
  const extra = Object.keys(auth).find((key) => !known.has(key));
  return extra === undefined ? undefined : `Unknown field 'auth.${extra}'. Known: ${[...known].join(', ')}.`;
}
