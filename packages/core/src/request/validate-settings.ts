import { TokenwireError } from '../model/errors.js';
import { hasUrlCredentials } from '../model/secret-headers.js';
import { unknownNameMessage } from './did-you-mean.js';
import { credentialedUrlProblem, isPlainObject, settingProblem } from './request-problem.js';
import { findCoordinationProblem } from './validate-coordination.js';
import { findPricesProblem, hooksProblem, middlewareProblem } from './validate-hooks.js';

const CREDENTIALED = 'carries credentials';

/** The longest timer Node keeps (about 24.8 days); a longer delay would fire at once. */
const LONGEST_TIMER_MS = 2_147_483_647;
const TIMEOUT_FIELDS = ['firstTokenMs', 'idleMs', 'totalMs'] as const;
const RETRY_FIELDS = ['maxRetries', 'initialDelayMs', 'maxDelayMs', 'maxRetryAfterMs'] as const;
const CONFIG_FIELDS = [
  'providers',
  'env',
  'retries',
  'timeouts',
  'loadModule',
  'secretHeaders',
  'maxBytes',
  'hooks',
  'prices',
  'middleware',
  'limits',
  'coordinator',
  'deployments',
] as const;

/** A `configuration` problem of `timeouts` (client or per stream), or undefined. */
export function findTimeoutsProblem(timeouts: unknown, path: string): TokenwireError | undefined {
  if (timeouts === undefined) return undefined;
  if (!isPlainObject(timeouts))
    return settingProblem(path, 'must be { firstTokenMs?, idleMs?, totalMs? }', timeouts);
  for (const key in timeouts) {
    if (!(TIMEOUT_FIELDS as readonly string[]).includes(key))
      return unknownSetting(`${path} field`, key, TIMEOUT_FIELDS);
    const value = timeouts[key];
    if (value !== undefined && !(typeof value === 'number' && value > 0 && value <= LONGEST_TIMER_MS)) {
      return settingProblem(
        `${path}.${key}`,
        `must be a number of milliseconds above 0 and up to ${LONGEST_TIMER_MS} (unset it for no limit)`,
        value,
      );
    }
  }
  return undefined;
}

/** A `configuration` problem of `retries` (a number of retries, or RetryOptions), or undefined. */
export function findRetriesProblem(retries: unknown): TokenwireError | undefined {
  if (retries === undefined) return undefined;
  if (typeof retries === 'number') return wholeNumberProblem(retries, 'retries');
  if (!isPlainObject(retries))
    return settingProblem('retries', 'must be a number of retries or RetryOptions', retries);
  for (const key in retries) {
    if (!(RETRY_FIELDS as readonly string[]).includes(key))
      return unknownSetting('retries field', key, RETRY_FIELDS);
    const value = retries[key];
    if (value === undefined) continue;
    const problem =
      key === 'maxRetries'
        ? wholeNumberProblem(value, 'retries.maxRetries')
        : typeof value === 'number' && value >= 0 && value <= LONGEST_TIMER_MS
          ? undefined
          : settingProblem(`retries.${key}`, 'must be a number of milliseconds of at least 0', value);
    if (problem !== undefined) return problem;
  }
  return undefined;
}

/** A `configuration` problem of a `createTokenwire` configuration, or undefined. */
export function findConfigProblem(config: unknown): TokenwireError | undefined {
  if (!isPlainObject(config)) return settingProblem('the configuration', 'must be an object', config);
  for (const key in config) {
    if (!(CONFIG_FIELDS as readonly string[]).includes(key))
      return unknownSetting('configuration field', key, CONFIG_FIELDS);
  }
  if (config.providers !== undefined && !isPlainObject(config.providers)) {
    return settingProblem(
      'providers',
      'must be an object of provider names to adapters or settings',
      config.providers,
    );
  }
  for (const name in config.providers as Record<string, unknown> | undefined) {
    const entry = (config.providers as Record<string, unknown>)[name];
    if (!isPlainObject(entry))
      return settingProblem(`providers.${name}`, 'must be an Adapter or a settings object', entry);
  }
  if (config.env !== undefined && (typeof config.env !== 'object' || config.env === null)) {
    return settingProblem('env', 'must be an object of environment variables (a Worker’s env)', config.env);
  }
  if (config.loadModule !== undefined && typeof config.loadModule !== 'function') {
    return settingProblem(
      'loadModule',
      'must be a function (packageName) => Promise<module>',
      config.loadModule,
    );
  }
  const { secretHeaders } = config;
  if (
    secretHeaders !== undefined &&
    !(Array.isArray(secretHeaders) && secretHeaders.every((name) => typeof name === 'string'))
  ) {
    return settingProblem('secretHeaders', 'must be a list of header names', secretHeaders);
  }
  return (
    findRetriesProblem(config.retries) ??
    findTimeoutsProblem(config.timeouts, 'timeouts') ??
    findMaxBytesProblem(config.maxBytes) ??
    hooksProblem(config.hooks, 'configuration') ??
    findPricesProblem(config.prices) ??
    middlewareProblem(config.middleware) ??
    findCoordinationProblem(config)
  );
}

const MAX_BYTES_FIELDS = ['toolArguments', 'record', 'errorMessage', 'request'] as const;

/** A `configuration` problem of `maxBytes`, or undefined. */
function findMaxBytesProblem(maxBytes: unknown): TokenwireError | undefined {
  if (maxBytes === undefined) return undefined;
  if (!isPlainObject(maxBytes))
    return settingProblem(
      'maxBytes',
      'must be { toolArguments?, record?, errorMessage?, request? }',
      maxBytes,
    );
  for (const key in maxBytes) {
    if (!(MAX_BYTES_FIELDS as readonly string[]).includes(key))
      return unknownSetting('maxBytes field', key, MAX_BYTES_FIELDS);
    const value = maxBytes[key];
    if (value !== undefined && !(Number.isSafeInteger(value) && (value as number) >= 64)) {
      return settingProblem(`maxBytes.${key}`, 'must be a whole number of at least 64', value);
    }
  }
  return undefined;
}

/**
 * How an adapter setting is checked: a `typeof` name, `'headers'` (an object of strings), `'url'`
 * (an absolute http(s) URL), a list of allowed values, or `'any'`.
 */
export type SettingKind =
  | 'string'
  | 'number'
  | 'boolean'
  | 'object'
  | 'function'
  | 'headers'
  | 'url'
  | 'any'
  | readonly string[];

/**
 * Checks an adapter's settings against the kinds of its known settings: an unknown key is a
 * `configuration` error that names it and the closest known one (`baseUrl` → "did you mean
 * baseURL?"); a value of the wrong kind names the setting and what it must be. `adapter` and
 * `provider`, which core adds, are always known. Returns the problem, or undefined.
 */
export function checkSettings(
  settings: unknown,
  kinds: Readonly<Record<string, SettingKind>>,
  provider: string,
): TokenwireError | undefined {
  if (settings === undefined) return undefined;
  if (!isPlainObject(settings))
    return settingProblem(`the settings of provider '${provider}'`, 'must be an object', settings);
  for (const key in settings) {
    if (key === 'adapter' || key === 'provider') continue;
    const kind = kinds[key];
    if (kind === undefined) {
      const message = unknownNameMessage(`setting of provider '${provider}'`, key, Object.keys(kinds));
      return new TokenwireError({
        code: 'configuration',
        provider,
        message: `Invalid configuration: ${message} Nothing was sent.`,
      });
    }
    const value = settings[key];
    if (value === undefined || kind === 'any') continue;
    const rule = settingRule(value, kind);
    if (rule === CREDENTIALED) return credentialedUrlProblem(key, provider); // never quoted
    if (rule !== undefined) return settingProblem(`${key} (provider '${provider}')`, rule, value, provider);
  }
  return undefined;
}

function settingRule(value: unknown, kind: SettingKind): string | undefined {
  if (typeof kind !== 'string') {
    return kind.includes(value as string) ? undefined : `must be one of ${kind.join(', ')}`;
  }
  switch (kind) {
    case 'headers':
      return isPlainObject(value) && Object.values(value).every((entry) => typeof entry === 'string')
        ? undefined
        : 'must be an object of header names to strings';
    case 'url':
      if (typeof value === 'string' && hasUrlCredentials(value)) return CREDENTIALED; // first: never quoted
      return typeof value === 'string' && /^https?:\/\/[^\s/]/i.test(value)
        ? undefined
        : 'must be an absolute http(s) URL';
    case 'object':
      return typeof value === 'object' && value !== null ? undefined : 'must be an object';
    case 'number':
      return typeof value === 'number' && Number.isFinite(value) ? undefined : 'must be a finite number';
    default:
      return typeof value === kind ? undefined : `must be a ${kind}`;
  }
}

function wholeNumberProblem(value: unknown, path: string): TokenwireError | undefined {
  return Number.isSafeInteger(value) && (value as number) >= 0
    ? undefined
    : settingProblem(path, 'must be a whole number of at least 0', value);
}

function unknownSetting(what: string, key: string, known: readonly string[]): TokenwireError {
  return new TokenwireError({
    code: 'configuration',
    message: `Invalid configuration: ${unknownNameMessage(what, key, known)} Nothing was sent.`,
  });
}
