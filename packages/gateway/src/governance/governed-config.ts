import type { PriceSource } from '@tokenwire/core';
import { unknownNameMessage } from '@tokenwire/core/internal';
import type { GovernedAuth } from './governance-options.js';
import { pgliteStore } from './pglite-store.js';
import { postgresStore } from './postgres-store.js';

// Governed `auth` in the CLI's file: secrets and URLs by the names of the variables that hold them,
// never in the file itself.

const FIELDS = [
  'masterKeyEnv',
  'pepperEnv',
  'postgresUrlEnv',
  'dataDir',
  'redisUrlEnv',
  'failOpen',
  'storeTimeoutMs',
  'spendFlushMs',
  'estimatedOutputTokens',
];

/** Governed auth read from a file, and the Redis URL the CLI makes the coordinator from. */
export interface GovernedFileAuth {
  auth: GovernedAuth;
  redisUrl?: string;
}

function invalid(message: string): Error {
  return new Error(`Invalid gateway configuration: ${message}`);
}

function variable(value: unknown, field: string, environment: Record<string, string | undefined>): string {
  const text = typeof value === 'string' ? environment[value] : undefined;
  if (text === undefined || text === '')
    throw invalid(
      `auth.${field} names ${String(value)}, which is not set: set it, or name another variable.`,
    );
  return text;
}

function positiveInteger(value: unknown, field: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value <= 0)
    throw invalid(`auth.${field} must be a whole number above 0.`);
  return value;
}

/**
 * `auth` with `masterKeyEnv`: virtual keys on Postgres (`postgresUrlEnv`) or the embedded store
 * (`dataDir`, or in memory), per-key limits on Redis (`redisUrlEnv`), budgets priced by `prices`.
 */
export function governedFileAuth(
  value: Record<string, unknown>,
  environment: Record<string, string | undefined>,
  prices: PriceSource | undefined,
): GovernedFileAuth {
  const extra = Object.keys(value).find((field) => !FIELDS.includes(field));
  if (extra !== undefined)
    throw invalid(
      unknownNameMessage(
        'field',
        `auth.${extra}`,
        FIELDS.map((field) => `auth.${field}`),
      ),
    );
  if (value.postgresUrlEnv !== undefined && value.dataDir !== undefined)
    throw invalid('auth takes postgresUrlEnv (Postgres) or dataDir (the embedded store), not both.');
  if (value.dataDir !== undefined && (typeof value.dataDir !== 'string' || value.dataDir === ''))
    throw invalid('auth.dataDir must be the path of a folder.');
  const auth: GovernedAuth = {
    masterKey: variable(value.masterKeyEnv, 'masterKeyEnv', environment),
    store:
      value.postgresUrlEnv !== undefined
        ? postgresStore({ url: variable(value.postgresUrlEnv, 'postgresUrlEnv', environment) })
        : pgliteStore(value.dataDir === undefined ? {} : { dataDir: value.dataDir as string }),
  };
  if (value.pepperEnv !== undefined) auth.pepper = variable(value.pepperEnv, 'pepperEnv', environment);
  if (prices !== undefined) auth.prices = prices;
  if (value.failOpen !== undefined) auth.failOpen = failOpenOf(value.failOpen);
  for (const field of ['storeTimeoutMs', 'spendFlushMs', 'estimatedOutputTokens'] as const) {
    if (value[field] !== undefined) auth[field] = positiveInteger(value[field], field);
  }
  const governed: GovernedFileAuth = { auth };
  if (value.redisUrlEnv !== undefined)
    governed.redisUrl = variable(value.redisUrlEnv, 'redisUrlEnv', environment);
  return governed;
}

function failOpenOf(value: unknown): NonNullable<GovernedAuth['failOpen']> {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw invalid('auth.failOpen must be { auth?, budgets?, limits? }, each true or false.');
  for (const [field, flag] of Object.entries(value)) {
    if (!['auth', 'budgets', 'limits'].includes(field) || typeof flag !== 'boolean')
      throw invalid(`auth.failOpen.${field} must be auth, budgets or limits, set to true or false.`);
  }
  return value as NonNullable<GovernedAuth['failOpen']>;
}
