import type { Adapter } from '../model/types.js';
import { warnThrough } from '../observe/hook-runner.js';
import type { TokenwireHooks } from '../observe/hook-types.js';
import type { StreamPlan } from '../runtime/stream-plan.js';
import type { Coordinator, ProviderLimits } from './coordinator.js';
import {
  DEFAULT_DEPLOYMENT_COOLDOWN_MS,
  type DeploymentGroup,
  type DeploymentTarget,
  deploymentAdapter,
  orderDeployments,
} from './deployments.js';
import { inMemoryCoordinator } from './in-memory-coordinator.js';
import { keyFingerprint } from './key-fingerprint.js';
import { limitedAdapter } from './limited-adapter.js';
import { SlotLimiter } from './slot-limiter.js';

/** What a client's coordination is made of, from its configuration. */
export interface CoordinationConfig {
  limits?: Record<string, ProviderLimits>;
  coordinator?: Coordinator;
  deployments?: Record<string, DeploymentGroup>;
  hooks?: readonly TokenwireHooks[];
  /** For tests: the random source of weighted choices. */
  random?: () => number;
}

type AdapterOf = (provider: string) => Promise<Adapter>;
type ParseModel = (model: unknown) => { provider: string; modelId: string };

/**
 * The limits, cooldowns and deployment groups of one client over its coordinator (in memory when
 * none is given). Absent from a client that configures none of them: it then costs nothing.
 */
export class Coordination {
  readonly limiter: SlotLimiter;
  private readonly limited = new Map<string, Promise<Adapter>>();
  private readonly groups = new Map<string, DeploymentTarget[]>();

  constructor(
    private readonly config: CoordinationConfig,
    private readonly adapterOf: AdapterOf,
  ) {
    const hooks = config.hooks ?? [];
    this.limiter = new SlotLimiter(config.coordinator ?? inMemoryCoordinator(), (event) =>
      warnThrough(hooks, event),
    );
  }

  /** The client's coordination, or undefined when it has no limits, coordinator or deployments. */
  static of(config: CoordinationConfig, adapterOf: AdapterOf): Coordination | undefined {
    const used =
      config.limits !== undefined || config.coordinator !== undefined || config.deployments !== undefined;
    return used ? new Coordination(config, adapterOf) : undefined;
  }

  /** A provider's adapter with the limiter around it (made once per provider). */
  adapter(provider: string): Promise<Adapter> {
    let adapter = this.limited.get(provider);
    if (adapter === undefined) {
      adapter = this.adapterOf(provider).then((inner) => {
        const fingerprint = keyFingerprint(provider, inner);
        return limitedAdapter(inner, {
          provider,
          limiter: this.limiter,
          limitsOf: (model) => this.config.limits?.[`${provider}/${model}`] ?? this.config.limits?.[provider],
          keyFingerprint: () => fingerprint,
        });
      });
      this.limited.set(provider, adapter);
      adapter.catch(() => this.limited.delete(provider));
    }
    return adapter;
  }

  /** The targets of a deployment group's name, or undefined when `model` names no group. */
  groupTargets(model: unknown, parseModel: ParseModel): DeploymentTarget[] | undefined {
    if (typeof model !== 'string') return undefined;
    const group = this.config.deployments?.[model];
    if (group === undefined) return undefined;
    let targets = this.groups.get(model);
    if (targets === undefined) {
      targets = group.deployments.map((deployment) =>
        this.deploymentTarget(model, group, deployment, parseModel),
      );
      this.groups.set(model, targets);
    }
    return targets;
  }

  /** Lets a stream of a group choose its deployment before its first attempt. */
  route(plan: StreamPlan, model: string, targets: DeploymentTarget[]): void {
    const group = this.config.deployments?.[model] as DeploymentGroup;
    // Falling back within the group replaces retrying the deployment that failed.
    plan.retries = { ...plan.retries, maxRetries: 0 };
    plan.targets = targets;
    // Each plan made of this one (the steps of a tool loop) orders its own targets.
    plan.route = async (routed) => {
      const own = routed.targets as DeploymentTarget[];
      routed.targets = await orderDeployments(own, group, this.limiter, this.config.random ?? Math.random);
    };
  }

  private deploymentTarget(
    name: string,
    group: DeploymentGroup,
    deployment: DeploymentGroup['deployments'][number],
    parseModel: ParseModel,
  ): DeploymentTarget {
    const { provider, modelId } = parseModel(deployment.model);
    let adapter: Promise<Adapter> | undefined;
    const target: DeploymentTarget = {
      provider,
      model: modelId,
      cooldownKey: `deployment:${name}:${provider}/${modelId}`,
      weight: deployment.weight ?? 1,
      inFlight: { count: 0 },
      adapter: () => {
        adapter ??= this.adapter(provider).then((inner) =>
          deploymentAdapter(inner, target, this.limiter, group.cooldownMs ?? DEFAULT_DEPLOYMENT_COOLDOWN_MS),
        );
        adapter.catch(() => {
          adapter = undefined;
        });
        return adapter;
      },
    };
    return target;
  }
}
