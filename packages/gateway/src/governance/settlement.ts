import type { Cost, TokenwireHooks, Usage } from '@tokenwire/core';
import type { GatewayProblem } from '../gateway-problem.js';
import type { KeyRecord, Reservation, SpendRow } from './gateway-store.js';
import type { GovernanceSettings } from './governor.js';
import { withTimeout } from './with-timeout.js';

/** How a stream ended, as its settlement needs it. */
interface Ending {
  status: 'finished' | 'cancelled' | 'error';
  usage: Usage;
  cost: Cost | undefined;
  provider: string;
  deployment: string;
  latencyMs: number;
  errorCode: string | null;
}

/** How long a limiter slot is held without renewal (a crashed replica's slot lapses after it). */
export const LEASE_MS = 30_000;

/** The limiter's key of a virtual key: its id, never its text. */
export const slotKey = (key: KeyRecord) => `gateway:key:${key.id}`;

/** The hooks that settle a stream once, at its finish, error or cancel (a disconnect cancels it). */
export function settlementHooks(
  settings: GovernanceSettings,
  key: KeyRecord,
  model: string,
  at: number,
  reservation: Reservation | undefined,
  lease: string | undefined,
): TokenwireHooks {
  const renew =
    lease === undefined
      ? undefined
      : setInterval(() => {
          settings.coordinator.renewSlot(slotKey(key), lease, LEASE_MS).catch(() => {});
        }, LEASE_MS / 3);
  (renew as { unref?: () => void } | undefined)?.unref?.();
  let ended = false;
  const end = (ending: Ending) => {
    if (ended) return;
    ended = true;
    clearInterval(renew);
    track(settings, settle(settings, key, model, at, reservation, lease, ending));
  };
  return {
    onFinish: (event) =>
      end({
        status: event.event.reason === 'cancelled' ? 'cancelled' : 'finished',
        usage: event.usage,
        cost: event.cost,
        provider: event.provider,
        deployment: `${event.provider}/${event.model}`,
        latencyMs: event.durationMs,
        errorCode: null,
      }),
    onError: (event) =>
      end({
        status: 'error',
        usage: event.partial.usage,
        cost: event.cost ?? event.partial.cost,
        provider: event.provider,
        deployment: `${event.provider}/${event.model}`,
        latencyMs: event.durationMs,
        errorCode: event.error.code,
      }),
  };
}

async function settle(
  settings: GovernanceSettings,
  key: KeyRecord,
  model: string,
  at: number,
  reservation: Reservation | undefined,
  lease: string | undefined,
  ending: Ending,
): Promise<void> {
  if (lease !== undefined) {
    const released = settings.coordinator.releaseSlot(slotKey(key), lease, ending.usage.outputTokens);
    // A lease the limiter lost lapses by itself (LEASE_MS): nothing else to do.
    await withTimeout(released, settings.timeoutMs, 'limiter').catch(() => {});
  }
  const known = ending.cost?.total;
  // No price for what answered (a fallback, say): the reservation's estimate is charged, never $0.
  const charged = known ?? reservation?.usd ?? null;
  if (reservation !== undefined) {
    try {
      await withTimeout(
        settings.store.settle(reservation.id, charged ?? 0),
        settings.timeoutMs,
        'budget store',
      );
    } catch {
      settings.warn('settling a budget failed; the sweep settles it at its estimate');
    }
  }
  record(settings, {
    keyId: key.id,
    at,
    model,
    provider: ending.provider,
    deployment: ending.deployment,
    inputTokens: ending.usage.inputTokens,
    outputTokens: ending.usage.outputTokens,
    cachedInputTokens: ending.usage.cachedInputTokens ?? 0,
    reasoningTokens: ending.usage.reasoningTokens ?? 0,
    costUsd: charged,
    costEstimated: known === undefined && charged !== null,
    latencyMs: ending.latencyMs,
    status: ending.status,
    errorCode: ending.errorCode,
  });
}

/** Keeps a settlement in `settings.settling` until it is done, so `flush()` can wait for it. */
export function track(settings: GovernanceSettings, promise: Promise<void>): void {
  const settling = promise.catch(() => {});
  settings.settling.add(settling);
  void settling.then(() => settings.settling.delete(settling));
}

export function record(settings: GovernanceSettings, row: SpendRow): void {
  settings.spendLog.add(row);
  settings.metrics.record(row);
}

export function refusedRow(
  key: KeyRecord,
  model: string,
  targets: string | string[],
  at: number,
  problem: GatewayProblem,
): SpendRow {
  const first = (typeof targets === 'string' ? targets : targets[0]) ?? '';
  return {
    keyId: key.id,
    at,
    model,
    provider: first.slice(0, Math.max(0, first.indexOf('/'))),
    deployment: first,
    inputTokens: 0,
    outputTokens: 0,
    cachedInputTokens: 0,
    reasoningTokens: 0,
    costUsd: 0,
    costEstimated: false,
    latencyMs: 0,
    status: 'refused',
    errorCode: problem.code,
  };
}
