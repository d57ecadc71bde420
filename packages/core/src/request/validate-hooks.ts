import { TokenwireError } from '../model/errors.js';
import { pricesProblem } from '../observe/cost.js';
import { closestName } from './did-you-mean.js';
import { requestProblem, settingProblem } from './request-problem.js';

const HOOK_NAMES = [
  'onRequest',
  'onFirstContent',
  'onRetry',
  'onFallback',
  'onStep',
  'onToolResult',
  'onFinish',
  'onError',
  'onWarning',
] as const;

/**
 * The first problem of a list of hooks (client `configuration` or per-request `invalid_request`):
 * each an object whose `on…` members are known hook names and functions.
 */
export function hooksProblem(hooks: unknown, where: 'configuration' | 'request'): TokenwireError | undefined {
  if (hooks === undefined) return undefined;
  const problem = where === 'configuration' ? settingProblem : requestProblem;
  if (!Array.isArray(hooks))
    return problem('hooks', 'must be a list of hook objects ({ onFinish, onError, … })', hooks);
  for (let index = 0; index < hooks.length; index++) {
    const hook: unknown = hooks[index];
    if (typeof hook !== 'object' || hook === null)
      return problem(`hooks[${index}]`, 'must be an object of hook functions', hook);
    for (const key of Object.keys(hook)) {
      const value = (hook as Record<string, unknown>)[key];
      const known = (HOOK_NAMES as readonly string[]).includes(key);
      if (!known && /^on[A-Z]/.test(key)) {
        const closest = closestName(key, HOOK_NAMES);
        const hint = closest === undefined ? '' : ` (did you mean ${closest}?)`;
        return problem(
          `hooks[${index}].${key}`,
          `is not a hook${hint}: the hooks are ${HOOK_NAMES.join(', ')}`,
        );
      }
      if (known && value !== undefined && typeof value !== 'function')
        return problem(`hooks[${index}].${key}`, 'must be a function', value);
    }
  }
  return undefined;
}

/** The `configuration` problem of `prices`, or undefined. */
export function findPricesProblem(prices: unknown): TokenwireError | undefined {
  if (prices === undefined) return undefined;
  const message = pricesProblem(prices);
  if (message === undefined) return undefined;
  return new TokenwireError({
    code: 'configuration',
    retryable: false,
    message: `Invalid configuration: ${message.replace(/\.$/, '')}. Nothing was sent.`,
  });
}

/** The `configuration` problem of `middleware`: a list of objects with `transformRequest` and/or `wrapStream` functions. */
export function middlewareProblem(middleware: unknown): TokenwireError | undefined {
  if (middleware === undefined) return undefined;
  if (!Array.isArray(middleware))
    return settingProblem(
      'middleware',
      'must be a list of { transformRequest?, wrapStream? } objects',
      middleware,
    );
  for (let index = 0; index < middleware.length; index++) {
    const layer: unknown = middleware[index];
    if (typeof layer !== 'object' || layer === null)
      return settingProblem(
        `middleware[${index}]`,
        'must be a { transformRequest?, wrapStream? } object',
        layer,
      );
    for (const key of ['transformRequest', 'wrapStream'] as const) {
      const value = (layer as Record<string, unknown>)[key];
      if (value !== undefined && typeof value !== 'function')
        return settingProblem(`middleware[${index}].${key}`, 'must be a function', value);
    }
  }
  return undefined;
}
