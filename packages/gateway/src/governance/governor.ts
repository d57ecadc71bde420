import { type Coordinator, inMemoryCoordinator, registerSecret, type StreamRequest } from '@tokenwire/core';
import type { GatewayRequest } from '../exchange.js';
import type { GatewayProblem } from '../gateway-problem.js';
import { credentialOf } from '../static-auth.js';
import { type Admission, admit } from './admission.js';
import { GatewayMetrics } from './gateway-metrics.js';
import type { GatewayStore, KeyRecord } from './gateway-store.js';
import type { GovernedAuth } from './governance-options.js';
import { keyNotValid, keyRefusal, storeDown } from './key-check.js';
import { pgliteStore } from './pglite-store.js';
import { SpendLog } from './spend-log.js';
import { derivedPepper, hashKey, isVirtualKey } from './virtual-keys.js';
import { withTimeout } from './with-timeout.js';

/** How long `failOpen.auth` serves a key this replica verified, while the store is down. */
const LAST_KNOWN_GOOD_MS = 5 * 60_000;
/** Keys remembered for `failOpen.auth`, at most (the map starts over past it). */
const MAX_LAST_KNOWN = 10_000;
/** How often each replica sweeps lapsed reservations. */
const SWEEP_MS = 60_000;

/** The resolved settings every part of governance reads. */
export interface GovernanceSettings {
  store: GatewayStore;
  coordinator: Coordinator;
  options: GovernedAuth;
  pepper: string;
  timeoutMs: number;
  spendLog: SpendLog;
  metrics: GatewayMetrics;
  /** Settlements still writing: `flush()` waits for them. */
  settling: Set<Promise<void>>;
  warn(message: string): void;
}

/**
 * Governance of one gateway: authenticates virtual keys, admits requests against their scope,
 * limits and budget, and settles what each stream cost, once, however it ended.
 */
export class Governor {
  readonly settings: GovernanceSettings;
  private readonly lastKnownGood = new Map<string, { key: KeyRecord; at: number }>();
  private readonly ready: Promise<void>;
  private readonly sweeper: ReturnType<typeof setInterval>;
  private readonly ownsStore: boolean;
  private warned = false;

  constructor(options: GovernedAuth) {
    registerSecret(options.masterKey);
    const pepper = options.pepper ?? process.env.TOKENWIRE_GATEWAY_PEPPER ?? derivedPepper(options.masterKey);
    registerSecret(pepper);
    this.ownsStore = options.store === undefined;
    const store = options.store ?? pgliteStore();
    const warn = (message: string) => this.warn(message);
    this.settings = {
      store,
      coordinator: options.coordinator ?? inMemoryCoordinator(),
      options,
      pepper,
      timeoutMs: options.storeTimeoutMs ?? 2_000,
      spendLog: new SpendLog(store, options.spendFlushMs ?? 1_000, () =>
        warn('writing the spend log failed'),
      ),
      metrics: new GatewayMetrics(),
      settling: new Set(),
      warn,
    };
    this.ready = store.migrate();
    this.ready.catch(() => warn('migrating the store failed'));
    this.sweeper = setInterval(() => void this.sweep(), SWEEP_MS);
    (this.sweeper as { unref?: () => void }).unref?.();
  }

  /** Resolves once the store's schema is migrated; rejects (StoreUnavailable) when it cannot be. */
  whenReady(): Promise<void> {
    return this.storeCall(this.ready, 'key store');
  }

  /** Whether a request carries the master key (admin API, `/metrics`). */
  isMaster(request: GatewayRequest): boolean {
    const credential = credentialOf(request);
    return credential !== undefined && sameText(credential, this.settings.options.masterKey);
  }

  /** The valid key a request carries, or the problem (401, or 503 when the store is down). */
  async authenticate(request: GatewayRequest): Promise<KeyRecord | GatewayProblem> {
    const credential = credentialOf(request);
    if (credential === undefined || !isVirtualKey(credential)) return keyNotValid();
    const hash = hashKey(this.settings.pepper, credential);
    let key: KeyRecord | undefined;
    try {
      await this.whenReady();
      key = await this.storeCall(this.settings.store.keyByHash(hash), 'key store');
    } catch {
      const known = this.lastKnownGood.get(hash);
      if (this.settings.options.failOpen?.auth !== true || known === undefined) return storeDown('key store');
      if (Date.now() - known.at > LAST_KNOWN_GOOD_MS) return storeDown('key store');
      key = known.key;
    }
    if (key === undefined) return keyNotValid();
    const refusal = keyRefusal(key, Date.now());
    if (refusal !== undefined) return refusal;
    if (this.settings.options.failOpen?.auth === true) {
      if (this.lastKnownGood.size >= MAX_LAST_KNOWN) this.lastKnownGood.clear();
      this.lastKnownGood.set(hash, { key, at: Date.now() });
    }
    return key;
  }

  /** Admits a request of `key` for `model` (the client's name) resolved to `targets`, or refuses it. */
  admit(
    key: KeyRecord,
    model: string,
    targets: string | string[],
    request: Omit<StreamRequest, 'model'>,
  ): Promise<Admission | GatewayProblem> {
    return admit(this.settings, key, model, targets, request);
  }

  /** Waits for settlements in flight, then writes the spend rows queued. */
  async flush(): Promise<void> {
    while (this.settings.settling.size > 0) await Promise.all([...this.settings.settling]);
    await this.settings.spendLog.flush();
    await this.settings.store.flush?.();
  }

  /** Flushes, stops the timers, and closes the store when the gateway made it. */
  async close(): Promise<void> {
    clearInterval(this.sweeper);
    await this.flush();
    await this.settings.spendLog.close();
    if (this.ownsStore) await this.settings.store.close();
  }

  /** Settles reservations whose replica never did (crashed): at their estimate. */
  async sweep(): Promise<number> {
    try {
      return await this.storeCall(this.settings.store.sweepReservations(Date.now()), 'key store');
    } catch {
      return 0;
    }
  }

  private storeCall<Value>(promise: Promise<Value>, what: string): Promise<Value> {
    return withTimeout(promise, this.settings.timeoutMs, what);
  }

  /** One line per outage on stderr, never with a key in it. */
  private warn(message: string): void {
    if (this.warned) return;
    this.warned = true;
    console.warn(`tokenwire gateway: ${message}; see the README, "When the store is down".`);
    setTimeout(() => {
      this.warned = false;
    }, 60_000).unref?.();
  }
}

/** Compares in time that depends on the lengths only. */
export function sameText(left: string, right: string): boolean {
  let difference = left.length ^ right.length;
  const length = Math.max(left.length, right.length);
  for (let index = 0; index < length; index++) {
    difference |= (left.charCodeAt(index) | 0) ^ (right.charCodeAt(index) | 0);
  }
  return difference === 0;
}
