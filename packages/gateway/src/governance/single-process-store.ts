import type { BudgetState, GatewayStore, KeyRecord, Reservation } from './gateway-store.js';

/** Keys kept in memory by hash, at most (valid ones only: a flood of bad keys fills nothing). */
const MAX_CACHED_KEYS = 10_000;
/** How often settled spend is written to the database. */
const WRITE_MS = 1_000;

interface Window {
  spent: number;
  reserved: number;
  reservations: number;
  /** Settled since the last write. */
  unwritten: number;
}

/**
 * The hot path of a store only one process opens (PGlite): keys cached by hash (every change goes
 * through this object, so the cache is exact), budget windows and reservations in memory (decided
 * at once, no query), settled spend written to the database in batches. A crash loses reservations
 * only, whose streams died with the process; what had settled is written within `WRITE_MS`, or at
 * `flush()` and `close()`.
 */
export function singleProcessStore(inner: GatewayStore): GatewayStore {
  const keys = new Map<string, KeyRecord>();
  const windows = new Map<string, Window>();
  const loading = new Map<string, Promise<Window>>();
  const reservations = new Map<string, { slot: string; usd: number }>();
  let writing: Promise<void> = Promise.resolve();

  const forget = (id: string) => {
    for (const [hash, key] of keys) if (key.id === id) keys.delete(hash);
  };
  const windowOf = (keyId: string, windowStart: number): Window | Promise<Window> => {
    const slot = `${keyId}\u0000${windowStart}`;
    const window = windows.get(slot);
    if (window !== undefined) return window;
    let load = loading.get(slot);
    if (load === undefined) {
      // What a crashed run left reserved counts as spent: the sweep charges it at its estimate.
      load = inner.budgetState(keyId, windowStart).then((state) => {
        const loaded = {
          spent: state.spentUsd + state.reservedUsd,
          reserved: 0,
          reservations: 0,
          unwritten: 0,
        };
        windows.set(slot, loaded);
        loading.delete(slot);
        return loaded;
      });
      load.catch(() => loading.delete(slot));
      loading.set(slot, load);
    }
    return load;
  };
  const write = (): Promise<void> => {
    writing = writing.then(async () => {
      for (const [slot, window] of windows) {
        if (window.unwritten === 0) continue;
        const usd = window.unwritten;
        window.unwritten = 0;
        const [keyId, start] = slot.split('\u0000') as [string, string];
        try {
          await addSpend(inner, keyId, Number(start), usd);
        } catch (error) {
          window.unwritten += usd;
          throw error;
        }
      }
    });
    return writing;
  };
  const timer = setInterval(() => void write().catch(() => {}), WRITE_MS);
  (timer as { unref?: () => void }).unref?.();

  return {
    ...inner,
    async keyByHash(hash) {
      const cached = keys.get(hash);
      if (cached !== undefined) return cached;
      const key = await inner.keyByHash(hash);
      if (key !== undefined && keys.size < MAX_CACHED_KEYS) keys.set(hash, key);
      return key;
    },
    async revokeKey(id, at) {
      forget(id);
      return inner.revokeKey(id, at);
    },
    async replaceKeyHash(id, hash, fingerprint) {
      forget(id);
      return inner.replaceKeyHash(id, hash, fingerprint);
    },
    async reserve(reservation: Reservation) {
      const found = windowOf(reservation.keyId, reservation.windowStart);
      const window = found instanceof Promise ? await found : found;
      const { usd, limitUsd } = reservation;
      const fits =
        window.spent + window.reserved + usd <= limitUsd ||
        (window.reserved === 0 && window.spent < limitUsd);
      if (!fits) return false;
      window.reserved += usd;
      window.reservations++;
      reservations.set(reservation.id, { slot: `${reservation.keyId}\u0000${reservation.windowStart}`, usd });
      return true;
    },
    async settle(reservationId, usd) {
      const reservation = reservations.get(reservationId);
      if (reservation === undefined) return inner.settle(reservationId, usd);
      reservations.delete(reservationId);
      const window = windows.get(reservation.slot) as Window;
      window.reserved = Math.max(0, window.reserved - reservation.usd);
      window.reservations--;
      window.spent += usd;
      window.unwritten += usd;
      return true;
    },
    async budgetState(keyId, windowStart): Promise<BudgetState> {
      await write();
      const state = await inner.budgetState(keyId, windowStart);
      const window = windows.get(`${keyId}\u0000${windowStart}`);
      if (window === undefined) return state;
      return {
        ...state,
        reservedUsd: state.reservedUsd + window.reserved,
        reservations: state.reservations + window.reservations,
      };
    },
    flush: () => write(),
    async close() {
      clearInterval(timer);
      await write().catch(() => {});
      await inner.close();
    },
  };
}

/** Adds settled spend to a window: a reservation that always fits, settled at once (two statements, batched per window). */
async function addSpend(inner: GatewayStore, keyId: string, windowStart: number, usd: number): Promise<void> {
  const id = `spend_${windowStart}_${Math.random().toString(36).slice(2)}`;
  await inner.reserve({
    id,
    keyId,
    windowStart,
    usd: 0,
    limitUsd: Number.MAX_SAFE_INTEGER,
    expiresAt: Date.now() + 60_000,
  });
  await inner.settle(id, usd);
}
