import type { StreamRequest, TokenwireHooks } from '@tokenwire/core';
import type { GatewayProblem } from '../gateway-problem.js';
import { windowEnd, windowStart } from './budget-window.js';
import type { KeyRecord, Reservation } from './gateway-store.js';
import type { GovernanceSettings } from './governor.js';
import { modelRefusal, storeDown } from './key-check.js';
import { estimateInputTokens, estimateUsd, priceOf } from './request-estimate.js';
import { LEASE_MS, record, refusedRow, settlementHooks, slotKey, track } from './settlement.js';
import { newReservationId } from './virtual-keys.js';
import { withTimeout } from './with-timeout.js';

/** A request let through: the hooks that settle it when its stream ends. */
export interface Admission {
  hooks: TokenwireHooks;
}

/**
 * Admits a request: the key's model scope, then its budget (a reservation of the estimate, one
 * statement) and its limits (one coordinator call: one Lua round trip on Redis), both at once. A
 * refusal comes before any provider is called, and gives back what was taken.
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
  const [reserved, slot] = await Promise.all([
    reserveBudget(settings, key, targets, request, inputTokens, at),
    takeSlot(settings, key, inputTokens),
  ]);
  const reservation = 'status' in reserved ? undefined : reserved.reservation;
  const lease = 'status' in slot ? undefined : slot.lease;
  const problem = 'status' in reserved ? reserved : 'status' in slot ? slot : undefined;
  if (problem === undefined) return { hooks: settlementHooks(settings, key, model, at, reservation, lease) };
  // Refused by one of the two: the other gives back what it took.
  if (reservation !== undefined)
    track(
      settings,
      settings.store.settle(reservation.id, 0).then(() => {}),
    );
  if (lease !== undefined) track(settings, settings.coordinator.releaseSlot(slotKey(key), lease, 0));
  return refuse(problem);
}

/** A limiter slot for the key, when it has limits: one coordinator call. */
async function takeSlot(
  settings: GovernanceSettings,
  key: KeyRecord,
  inputTokens: number,
): Promise<{ lease: string | undefined } | GatewayProblem> {
  const { rpm, tpm, concurrent } = key.limits;
  if (rpm === undefined && tpm === undefined && concurrent === undefined) return { lease: undefined };
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
    if (decision.granted) return { lease: decision.lease };
    return limitRefusal(key, decision.full, decision.retryInMs);
  } catch {
    if (settings.options.failOpen?.limits !== true) return storeDown('limiter');
    settings.warn('the limiter failed; serving without per-key limits (failOpen.limits)');
    return { lease: undefined };
  }
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
