import { TokenwireError } from '../model/errors.js';
import { unknownNameMessage } from './did-you-mean.js';
import { isPlainObject, settingProblem } from './request-problem.js';

const LIMIT_FIELDS = ['concurrent', 'requestsPerMinute', 'tokensPerMinute'] as const;
const GROUP_FIELDS = ['deployments', 'strategy', 'cooldownMs'] as const;
const COORDINATOR_METHODS = ['acquireSlot', 'releaseSlot', 'setCooldown', 'cooldownLeft', 'appendRecords'];

/** A `configuration` problem of `limits`, `coordinator` or `deployments`, or undefined. */
export function findCoordinationProblem(config: Record<string, unknown>): TokenwireError | undefined {
  return (
    limitsProblem(config.limits) ??
    coordinatorProblem(config.coordinator) ??
    deploymentsProblem(config.deployments)
  );
}

function limitsProblem(limits: unknown): TokenwireError | undefined {
  if (limits === undefined) return undefined;
  if (!isPlainObject(limits))
    return settingProblem(
      'limits',
      "must be an object of provider names (or 'provider/model') to limits",
      limits,
    );
  for (const name in limits) {
    const entry = limits[name];
    if (!isPlainObject(entry))
      return settingProblem(
        `limits.${name}`,
        'must be { concurrent?, requestsPerMinute?, tokensPerMinute? }',
        entry,
      );
    for (const key in entry) {
      if (!(LIMIT_FIELDS as readonly string[]).includes(key))
        return unknown(`limits.${name} field`, key, LIMIT_FIELDS);
      const value = entry[key];
      if (value !== undefined && !(Number.isSafeInteger(value) && (value as number) >= 1))
        return settingProblem(`limits.${name}.${key}`, 'must be a whole number of at least 1', value);
    }
  }
  return undefined;
}

function coordinatorProblem(coordinator: unknown): TokenwireError | undefined {
  if (coordinator === undefined) return undefined;
  const complete =
    typeof coordinator === 'object' &&
    coordinator !== null &&
    COORDINATOR_METHODS.every((name) => typeof (coordinator as Record<string, unknown>)[name] === 'function');
  return complete
    ? undefined
    : settingProblem(
        'coordinator',
        'must be a Coordinator, e.g. inMemoryCoordinator() or redisCoordinator({ url }) from @tokenwire/redis',
        coordinator,
      );
}

function deploymentsProblem(deployments: unknown): TokenwireError | undefined {
  if (deployments === undefined) return undefined;
  if (!isPlainObject(deployments))
    return settingProblem(
      'deployments',
      'must be an object of model names to deployment groups',
      deployments,
    );
  for (const name in deployments) {
    const group = deployments[name];
    const path = `deployments.${name}`;
    if (!isPlainObject(group))
      return settingProblem(path, 'must be { deployments, strategy?, cooldownMs? }', group);
    for (const key in group)
      if (!(GROUP_FIELDS as readonly string[]).includes(key))
        return unknown(`${path} field`, key, GROUP_FIELDS);
    const list = group.deployments;
    if (!Array.isArray(list) || list.length === 0)
      return settingProblem(
        `${path}.deployments`,
        "must be a non-empty list of { model: 'provider/model', weight? }",
        list,
      );
    for (const [index, entry] of list.entries()) {
      const model = isPlainObject(entry) ? entry.model : undefined;
      if (typeof model !== 'string' || model.indexOf('/') <= 0)
        return settingProblem(
          `${path}.deployments[${index}].model`,
          "must be a 'provider/model' string",
          model,
        );
      const weight = (entry as Record<string, unknown>).weight;
      if (weight !== undefined && !(typeof weight === 'number' && weight > 0 && Number.isFinite(weight)))
        return settingProblem(`${path}.deployments[${index}].weight`, 'must be a number above 0', weight);
    }
    if (group.strategy !== undefined && group.strategy !== 'weighted' && group.strategy !== 'least-busy')
      return settingProblem(`${path}.strategy`, "must be 'weighted' or 'least-busy'", group.strategy);
    const cooldownMs = group.cooldownMs;
    if (cooldownMs !== undefined && !(Number.isSafeInteger(cooldownMs) && (cooldownMs as number) >= 1))
      return settingProblem(
        `${path}.cooldownMs`,
        'must be a whole number of milliseconds of at least 1',
        cooldownMs,
      );
  }
  return undefined;
}

function unknown(what: string, key: string, known: readonly string[]): TokenwireError {
  return new TokenwireError({
    code: 'configuration',
    message: `Invalid configuration: ${unknownNameMessage(what, key, known)} Nothing was sent.`,
  });
}
