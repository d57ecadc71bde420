import type { Adapter, AdapterContext, ChatRequest, ChunkStream } from '../model/types.js';
import { normalizeAdapterError } from '../runtime/normalize-error.js';
import type { StreamTarget } from '../runtime/stream-plan.js';
import { deltasFromChunkStream } from '../transport/chunk-stream.js';
import type { SlotLimiter } from './slot-limiter.js';

/** One deployment of a model: a `'provider/model'` (the provider configured with its own key and URL) and its weight. */
export interface Deployment {
  /** `'provider/model'`, e.g. `'azure-eastus/gpt-4.1'` with `azure-eastus` in `providers`. */
  model: string;
  /** Its share of the traffic, relative to the others of its group. Default 1. */
  weight?: number;
}

/**
 * A model name that stands for several deployments (regions, keys, providers). Each stream takes
 * one out of cooldown — by weight, or the least busy — and falls back to the others of the group on
 * retryable errors (the group's own order of preference: no retries of the failing one). A
 * deployment that fails with a retryable error is put in cooldown for `cooldownMs`, for every replica.
 */
export interface DeploymentGroup {
  deployments: Deployment[];
  /**
   * `'weighted'` (default): a weighted random choice. `'least-busy'`: the deployment with the fewest
   * streams in flight on this replica, ties broken by weight.
   */
  strategy?: 'weighted' | 'least-busy';
  /** How long a failing deployment is skipped, in milliseconds. Default 30,000. */
  cooldownMs?: number;
}

/** The default cooldown of a failing deployment. */
export const DEFAULT_DEPLOYMENT_COOLDOWN_MS = 30_000;

/** A group's deployments as stream targets, with what routing needs of each. */
export interface DeploymentTarget extends StreamTarget {
  cooldownKey: string;
  weight: number;
  /** Streams of this replica using the deployment now. */
  inFlight: { count: number };
}

/**
 * The targets of a group, in the order of this stream's choice: the chosen deployment first, then
 * the others out of cooldown by weight, then those in cooldown (a last resort when all are).
 */
export async function orderDeployments(
  targets: DeploymentTarget[],
  group: DeploymentGroup,
  limiter: SlotLimiter,
  random: () => number,
): Promise<DeploymentTarget[]> {
  const cooling = await Promise.all(targets.map((target) => limiter.cooldownLeft(target.cooldownKey)));
  const ready = targets.filter((_target, index) => cooling[index] === 0);
  const resting = targets.filter((_target, index) => (cooling[index] as number) > 0);
  const ordered: DeploymentTarget[] = [];
  while (ready.length > 0) {
    const index =
      group.strategy === 'least-busy' && ordered.length === 0
        ? leastBusy(ready)
        : weightedPick(ready, random);
    ordered.push(...ready.splice(index, 1));
  }
  return [...ordered, ...resting];
}

function weightedPick(targets: DeploymentTarget[], random: () => number): number {
  const total = targets.reduce((sum, target) => sum + target.weight, 0);
  let point = random() * total;
  for (let index = 0; index < targets.length; index++) {
    point -= (targets[index] as DeploymentTarget).weight;
    if (point < 0) return index;
  }
  return targets.length - 1;
}

function leastBusy(targets: DeploymentTarget[]): number {
  let best = 0;
  for (let index = 1; index < targets.length; index++) {
    const target = targets[index] as DeploymentTarget;
    const chosen = targets[best] as DeploymentTarget;
    const fewer = target.inFlight.count < chosen.inFlight.count;
    const tie = target.inFlight.count === chosen.inFlight.count && target.weight > chosen.weight;
    if (fewer || tie) best = index;
  }
  return best;
}

/**
 * An adapter for one deployment: counts its streams in flight, and when opening fails with a
 * retryable error (a 503, a 429, a refused connection) puts the deployment in cooldown.
 */
export function deploymentAdapter(
  adapter: Adapter,
  target: DeploymentTarget,
  limiter: SlotLimiter,
  cooldownMs: number,
): Adapter {
  // Stored before the stream falls back, so that no replica picks the deployment meanwhile.
  const failed = async (error: unknown) => {
    const normalized = normalizeAdapterError(
      error,
      target.provider,
      adapter.normalizeError?.bind(adapter),
      true,
    );
    if (normalized.retryable) await limiter.cooldown(target.cooldownKey, cooldownMs);
  };
  const counted = (context: AdapterContext) => {
    target.inFlight.count++;
    context.signal.addEventListener('abort', () => target.inFlight.count--, { once: true });
  };
  const wrapped: Adapter = {
    name: adapter.name,
    async *stream(request: ChatRequest, context: AdapterContext) {
      counted(context);
      let started = false;
      try {
        for await (const delta of adapter.stream(request, context)) {
          started = true;
          yield delta;
        }
      } catch (error) {
        if (!started && !context.signal.aborted) await failed(error);
        throw error;
      }
    },
  };
  if (adapter.normalizeError !== undefined) wrapped.normalizeError = adapter.normalizeError.bind(adapter);
  if (adapter.endpoint !== undefined) wrapped.endpoint = adapter.endpoint.bind(adapter);
  const open = adapter.open?.bind(adapter);
  if (open !== undefined) {
    const openCounted = async (request: ChatRequest, context: AdapterContext): Promise<ChunkStream> => {
      counted(context);
      try {
        return await open(request, context);
      } catch (error) {
        if (!context.signal.aborted) await failed(error);
        throw error;
      }
    };
    wrapped.open = openCounted;
    wrapped.stream = (request, context) =>
      deltasFromChunkStream(() => openCounted(request, context), context.signal);
  }
  return wrapped;
}
