import type { GatewayProblem } from '../gateway-problem.js';
import type { KeyRecord } from './gateway-store.js';

const NOT_VALID =
  'The virtual key is not valid: check the key your client sends (keys are shown once, when created).';

/** 401 for a credential that is not a valid virtual key; the message never quotes it. */
export function keyNotValid(): GatewayProblem {
  return { status: 401, code: 'authentication', message: NOT_VALID };
}

/** Why a stored key may not be used now (revoked, expired), or undefined. */
export function keyRefusal(key: KeyRecord, now: number): GatewayProblem | undefined {
  if (key.revokedAt !== null)
    return { status: 401, code: 'authentication', message: `The virtual key ${key.id} was revoked.` };
  if (key.expiresAt !== null && now >= key.expiresAt) {
    const when = new Date(key.expiresAt).toISOString();
    return { status: 401, code: 'authentication', message: `The virtual key ${key.id} expired at ${when}.` };
  }
  return undefined;
}

/** 403 for a model outside the key's scope, naming the models it may use. */
export function modelRefusal(key: KeyRecord, model: string): GatewayProblem | undefined {
  if (key.models === null || key.models.includes(model)) return undefined;
  return {
    status: 403,
    code: 'permission',
    param: 'model',
    message: `The virtual key ${key.id} may not use the model '${model}'. Its models: ${key.models.join(', ') || 'none'}.`,
  };
}

/** 503 when the store or coordinator is down and the gateway fails closed. */
export function storeDown(what: string): GatewayProblem {
  return {
    status: 503,
    code: 'store_unavailable',
    message: `The gateway's ${what} is unavailable, so the request was refused before reaching a provider. Try again shortly.`,
    retryAfterMs: 1000,
  };
}
