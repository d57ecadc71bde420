import type { Cost, StreamRequest, TokenwireHooks, Usage } from '@tokenwire/core';
import type { GatewayProblem } from '../gateway-problem.js';
import { windowEnd, windowStart } from './budget-window.js';
import type { KeyRecord, Reservation, SpendRow } from './gateway-store.js';
import type { GovernanceSettings } from './governor.js';
import { modelRefusal, storeDown } from './key-check.js';
import { estimateInputTokens, estimateUsd, priceOf } from './request-estimate.js';
import { newReservationId } from './virtual-keys.js';
import { withTimeout } from './with-timeout.js';

/** A request let through: the hooks that settle it when its stream ends. */
export interface Admission {
  hooks: TokenwireHooks;
}

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

const LEASE_MS = 30_000;

/** The limiter's key of a virtual key: its id, never its text. */
const slotKey = (key: KeyRecord) => `gateway:key:${key.id}`;

/**
 * Admits a request: the key's model scope, then its budget (a reservation of the estimate, one
 * statement), then its limits (one coordinator call: one Lua round trip on Redis). A refusal
 * comes before any provider is called, and gives back what was taken.
 */
export async function admit(
  settings: GovernanceSettings,
  key: KeyRecord,
  model: string,
  targets: string | string[],
  request: Omit<StreamRequest, 'model'>,
): Promise<Admission | GatewayProblem> {
  const at = Date.now();
  const refuse = (problem: GatewayProblem) => {
    record(settings, refusedRow(key, model, targets, at, problem));
    return problem;
  };
  const scope = modelRefusal(key, model);
  if (scope !== undefined) return refuse(scope);
  const inputTokens = estimateInputTokens(request);
  const reserved = await reserveBudget(settings, key, targets, request, inputTokens, at);
  if ('status' in reserved) return refuse(reserved);
  const reservation = reserved.reservation;
  const release = () => {
    if (reservation !== undefined)
      track(
        settings,
        settings.store.settle(reservation.id, 0).then(() => {}),
      );
  };
  const { rpm, tpm, concurrent } = key.limits;
  let lease: string | undefined;
  if (rpm !== undefined || tpm !== undefined || concurrent !== undefined) {
    try {
      const decision = await withTimeout(
        settings.coordinator.acquireSlot({
          key: slotKey(key),
          limits: { requestsPerMinute: rpm, tokensPerMinute: tpm, concurrent },
          tokens: inputTokens,
          leaseMs: LEASE_MS,
        }),
        settings.timeoutMs,
        'limiter',
      );
      if (!decision.granted) {
        release();
        return refuse(limitRefusal(key, decision.full, decision.retryInMs));
      }
      lease = decision.lease;
    } catch {
      if (settings.options.failOpen?.limits !== true) {
        release();
        return refuse(storeDown('limiter'));
      }
      settings.warn('the limiter failed; serving without per-key limits (failOpen.limits)');
    }
  }
  return { hooks: settlementHooks(settings, key, model, at, reservation, lease) };
}

async function reserveBudget(
  settings: GovernanceSettings,
  key: KeyRecord,
  targets: string | string[],
  request: Omit<StreamRequest, 'model'>,
  inputTokens: number,
  at: number,
): Promise<{ reservation: Reservation | undefined } | GatewayProblem> {
  const budget = key.budget;
  if (budget === null) return { reservation: undefined };
  const first = (typeof targets === 'string' ? targets : targets[0]) ?? '';
  const price = priceOf(settings.options.prices, first);
  if (price === undefined) {
    return {
      status: 403,
      code: 'permission',
      param: 'model',
      message:
        `The virtual key ${key.id} has a budget, and no price is known for '${first}': a budget cannot ` +
        "count what it cannot price. Add the model to the gateway's auth.prices, or use a priced model.",
    };
  }
  const outputTokens = request.maxTokens ?? settings.options.estimatedOutputTokens ?? 256;
  const start = windowStart(budget, at);
  const reservation: Reservation = {
    id: newReservationId(),
    keyId: key.id,
    windowStart: start,
    usd: estimateUsd(price, inputTokens, outputTokens),
    limitUsd: budget.usd,
    expiresAt: at + (settings.options.reservationTtlMs ?? 3_600_000),
  };
  let granted: boolean;
  try {
    granted =
      budget.usd > 0 &&
      (await withTimeout(settings.store.reserve(reservation), settings.timeoutMs, 'budget store'));
  } catch {
    if (settings.options.failOpen?.budgets !== true) return storeDown('budget store');
    settings.warn('the budget store failed; serving without a reservation (failOpen.budgets)');
    return { reservation: undefined };
  }
  if (granted) return { reservation };
  const end = windowEnd(budget, start);
  const problem: GatewayProblem = {
    status: 429,
    code: 'budget_exceeded',
    message:
      `The virtual key ${key.id} has spent its budget of $${budget.usd}` +
      (end === undefined ? '.' : ` for this ${budget.period}; it resets at ${new Date(end).toISOString()}.`),
  };
  if (end !== undefined) problem.retryAfterMs = end - at;
  return problem;
}

function limitRefusal(key: KeyRecord, full: 'concurrent' | 'window', retryInMs: number): GatewayProblem {
  const limit =
    full === 'concurrent'
      ? `its limit of ${key.limits.concurrent} streams at once`
      : 'its requests or tokens per minute';
  return {
    status: 429,
    code: 'rate_limit',
    message: `The virtual key ${key.id} has reached ${limit}. Try again later.`,
    retryAfterMs: Math.max(1, retryInMs),
  };
}

/** The hooks that settle a stream once, at its finish, error or cancel (a disconnect cancels it). */
function settlementHooks(
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
function track(settings: GovernanceSettings, promise: Promise<void>): void {
  const settling = promise.catch(() => {});
  settings.settling.add(settling);
  void settling.then(() => settings.settling.delete(settling));
}

function record(settings: GovernanceSettings, row: SpendRow): void {
  settings.spendLog.add(row);
  settings.metrics.record(row);
}

function refusedRow(
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
