import type { TokenwireConfig } from '@tokenwire/core';
import { findConfigProblem, unknownNameMessage } from '@tokenwire/core/internal';
import type { GatewayAuth, GatewayOptions, ListenOptions } from './gateway-types.js';
import { governedFileAuth } from './governance/governed-config.js';
import { authProblem } from './static-auth.js';

// The CLI's configuration file: createTokenwire's configuration (plain JSON) plus the gateway's own
// fields, each checked with its path like every tokenwire setting.

/** The gateway's own fields of the file; every other field is createTokenwire's. */
const GATEWAY_FIELDS = ['models', 'auth', 'port', 'host', 'maxBodyBytes'] as const;

/** The tokenwire configuration fields a JSON file can hold (hooks, middleware, adapters are code). */
const TOKENWIRE_FIELDS = [
  'providers',
  'retries',
  'timeouts',
  'secretHeaders',
  'maxBytes',
  'prices',
  'limits',
  'deployments',
] as const;

/** A configuration file, read and checked. */
export interface GatewayConfig {
  tokenwire: TokenwireConfig;
  gateway: Omit<GatewayOptions, 'tokenwire'>;
  listen: ListenOptions;
  /** With governed auth and `redisUrlEnv`: the Redis the CLI holds per-key limits on. */
  redisUrl?: string;
}

/** `auth` in a file: the tokens, or the name of a variable holding them comma-separated (kept out of the file). */
interface FileAuth {
  tokens?: string[];
  tokensEnv?: string;
}

function invalid(message: string): Error {
  return new Error(`Invalid gateway configuration: ${message}`);
}

function modelsOf(value: unknown): Record<string, string | string[]> {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw invalid('models must be an object of model names to tokenwire model strings.');
  for (const [name, target] of Object.entries(value)) {
    const list = typeof target === 'string' ? [target] : target;
    if (
      !Array.isArray(list) ||
      list.length === 0 ||
      !list.every((item) => typeof item === 'string' && item !== '')
    )
      throw invalid(
        `models.${name} must be a tokenwire model string ('provider/model', or a deployment group) or a non-empty list of them.`,
      );
  }
  return value as Record<string, string | string[]>;
}

function authOf(value: unknown, environment: Record<string, string | undefined>): GatewayAuth {
  const auth = value as FileAuth;
  if (typeof auth !== 'object' || auth === null)
    throw invalid(
      'auth must be { "tokens": [...] }, { "tokensEnv": "NAME" }, or { "masterKeyEnv": "NAME", … } for virtual keys.',
    );
  const extra = Object.keys(auth).find((key) => key !== 'tokens' && key !== 'tokensEnv');
  if (extra !== undefined)
    throw invalid(unknownNameMessage('field', `auth.${extra}`, ['auth.tokens', 'auth.tokensEnv']));
  let tokens = auth.tokens;
  if (auth.tokensEnv !== undefined) {
    const text = typeof auth.tokensEnv === 'string' ? environment[auth.tokensEnv] : undefined;
    if (text === undefined || text.trim() === '')
      throw invalid(
        `auth.tokensEnv names ${String(auth.tokensEnv)}, which is not set: set it to the tokens, comma-separated.`,
      );
    tokens = [...(tokens ?? []), ...text.split(',').map((token) => token.trim())];
  }
  const problem = authProblem({ tokens });
  if (problem !== undefined) throw invalid(`${problem}.`);
  return { tokens: tokens as string[] };
}

function integerIn(value: unknown, name: string, min: number, max: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max)
    throw invalid(`${name} must be an integer from ${min} to ${max} (got ${JSON.stringify(value)}).`);
  return value;
}

/**
 * Checks a parsed configuration file and splits it into createTokenwire's configuration, the
 * gateway's options and where to listen. Throws an Error naming the field at fault.
 */
export function parseGatewayConfig(
  value: unknown,
  environment: Record<string, string | undefined> = process.env,
): GatewayConfig {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw invalid('the file must hold one JSON object.');
  const known: readonly string[] = [...GATEWAY_FIELDS, ...TOKENWIRE_FIELDS];
  const fields = value as Record<string, unknown>;
  for (const key of Object.keys(fields))
    if (!known.includes(key)) throw invalid(unknownNameMessage('field', key, known));
  const { models, auth, port, host, maxBodyBytes, ...tokenwire } = fields;
  const problem = findConfigProblem(tokenwire);
  if (problem !== undefined) throw new Error(problem.message);
  const config: GatewayConfig = { tokenwire: tokenwire as TokenwireConfig, gateway: {}, listen: {} };
  // A deployment group's name is a model clients may ask for, as in createTokenwire.
  const groups = Object.keys((tokenwire as TokenwireConfig).deployments ?? {});
  const aliases = models === undefined ? {} : modelsOf(models);
  for (const group of groups) aliases[group] ??= group;
  if (Object.keys(aliases).length > 0) config.gateway.models = aliases;
  if (typeof auth === 'object' && auth !== null && 'masterKeyEnv' in auth) {
    const governed = governedFileAuth(auth as Record<string, unknown>, environment, config.tokenwire.prices);
    config.gateway.auth = governed.auth;
    if (governed.redisUrl !== undefined) config.redisUrl = governed.redisUrl;
  } else if (auth !== undefined) config.gateway.auth = authOf(auth, environment);
  if (maxBodyBytes !== undefined)
    config.gateway.maxBodyBytes = integerIn(maxBodyBytes, 'maxBodyBytes', 1024, 2 ** 31);
  if (port !== undefined) config.listen.port = integerIn(port, 'port', 0, 65535);
  if (host !== undefined) {
    if (typeof host !== 'string' || host === '') throw invalid('host must be a host name or address.');
    config.listen.host = host;
  }
  return config;
}
