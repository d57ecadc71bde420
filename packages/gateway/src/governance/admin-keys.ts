import { isPlainObject } from '@tokenwire/core/internal';
import { RequestRefusal } from '../gateway-problem.js';
import type { KeyBudget, KeyLimits, KeyRecord } from './gateway-store.js';

/** What `POST /admin/keys` takes. */
export interface NewKeyRequest {
  models: string[] | null;
  expiresAt: number | null;
  budget: KeyBudget | null;
  limits: KeyLimits;
  metadata: Record<string, unknown>;
}

const FIELDS = ['models', 'expiresAt', 'budget', 'limits', 'metadata'];
const PERIODS = ['day', 'week', 'month'];

const positive = (value: unknown) => typeof value === 'number' && Number.isFinite(value) && value > 0;
const count = (value: unknown) => typeof value === 'number' && Number.isInteger(value) && value > 0;

/** The body of `POST /admin/keys`, checked; a `RequestRefusal` names the field at fault. */
export function newKeyRequest(body: unknown, hasPrices: boolean): NewKeyRequest {
  if (!isPlainObject(body)) throw new RequestRefusal(undefined, 'The body must be a JSON object.');
  const extra = Object.keys(body).find((field) => !FIELDS.includes(field));
  if (extra !== undefined)
    throw new RequestRefusal(extra, `Unknown field '${extra}'. Known: ${FIELDS.join(', ')}.`);
  return {
    models: modelsOf(body.models),
    expiresAt: expiryOf(body.expiresAt),
    budget: budgetOf(body.budget, hasPrices),
    limits: limitsOf(body.limits),
    metadata: metadataOf(body.metadata),
  };
}

function modelsOf(value: unknown): string[] | null {
  if (value === undefined || value === null) return null;
  if (!Array.isArray(value) || value.some((model) => typeof model !== 'string' || model === ''))
    throw new RequestRefusal('models', 'models must be a list of model names (the names clients send).');
  return [...value] as string[];
}

function expiryOf(value: unknown): number | null {
  if (value === undefined || value === null) return null;
  const at = typeof value === 'number' ? value : typeof value === 'string' ? Date.parse(value) : Number.NaN;
  if (!Number.isFinite(at))
    throw new RequestRefusal(
      'expiresAt',
      'expiresAt must be an ISO 8601 time or milliseconds since the epoch.',
    );
  return at;
}

function budgetOf(value: unknown, hasPrices: boolean): KeyBudget | null {
  if (value === undefined || value === null) return null;
  if (!isPlainObject(value) || !positive(value.usd))
    throw new RequestRefusal('budget.usd', 'budget must be { usd, period? } with usd a number above 0.');
  if (value.period !== undefined && !PERIODS.includes(value.period as string))
    throw new RequestRefusal('budget.period', `budget.period must be one of ${PERIODS.join(', ')}.`);
  if (!hasPrices)
    throw new RequestRefusal(
      'budget',
      "A budget needs prices: configure the gateway's auth.prices (the same as createTokenwire's prices).",
    );
  const budget: KeyBudget = { usd: value.usd as number };
  if (value.period !== undefined) budget.period = value.period as KeyBudget['period'];
  return budget;
}

function limitsOf(value: unknown): KeyLimits {
  if (value === undefined || value === null) return {};
  if (!isPlainObject(value))
    throw new RequestRefusal('limits', 'limits must be { rpm?, tpm?, concurrent? }.');
  const limits: KeyLimits = {};
  for (const [field, limit] of Object.entries(value)) {
    if (field !== 'rpm' && field !== 'tpm' && field !== 'concurrent')
      throw new RequestRefusal(
        `limits.${field}`,
        `Unknown field 'limits.${field}'. Known: rpm, tpm, concurrent.`,
      );
    if (!count(limit))
      throw new RequestRefusal(`limits.${field}`, `limits.${field} must be a whole number above 0.`);
    limits[field] = limit as number;
  }
  return limits;
}

function metadataOf(value: unknown): Record<string, unknown> {
  if (value === undefined || value === null) return {};
  if (!isPlainObject(value)) throw new RequestRefusal('metadata', 'metadata must be a JSON object.');
  return value;
}

/** A key as the admin API shows it: never its hash, never its text. */
export function publicKey(key: KeyRecord): Record<string, unknown> {
  return {
    id: key.id,
    fingerprint: key.fingerprint,
    models: key.models,
    expiresAt: key.expiresAt === null ? null : new Date(key.expiresAt).toISOString(),
    revokedAt: key.revokedAt === null ? null : new Date(key.revokedAt).toISOString(),
    createdAt: new Date(key.createdAt).toISOString(),
    metadata: key.metadata,
    limits: key.limits,
    budget: key.budget,
  };
}
