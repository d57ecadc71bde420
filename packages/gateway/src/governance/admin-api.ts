import { type GatewayAnswer, type GatewayRequest, jsonAnswer } from '../exchange.js';
import { RequestRefusal } from '../gateway-problem.js';
import { readJsonBody } from '../request-body.js';
import { newKeyRequest, publicKey } from './admin-keys.js';
import { windowStart } from './budget-window.js';
import type { KeyRecord, SpendQuery } from './gateway-store.js';
import type { Governor } from './governor.js';
import { fingerprintOf, hashKey, newKeyId, newKeyText } from './virtual-keys.js';

/** The admin API's body limit: a key's settings are small. */
const ADMIN_BODY_BYTES = 64 * 1024;

const adminError = (status: number, message: string, param?: string) =>
  jsonAnswer(status, { error: { message, type: 'invalid_request_error', param: param ?? null } });

/**
 * The admin API and `/metrics`, behind the master key: `POST /admin/keys`, `GET /admin/keys`,
 * `GET|DELETE /admin/keys/:id`, `POST /admin/keys/:id/rotate`, `GET /admin/spend?keyId=&from=&to=`.
 * Undefined for a path that is not its own.
 */
export async function adminAnswer(
  governor: Governor,
  request: GatewayRequest,
): Promise<GatewayAnswer | undefined> {
  const { method, path } = request;
  if (path !== '/metrics' && path !== '/admin' && !path.startsWith('/admin/')) return undefined;
  if (!governor.isMaster(request))
    return {
      ...adminError(401, 'The admin API and /metrics take the master key as "Authorization: Bearer".'),
      closeConnection: true,
    };
  try {
    await governor.whenReady();
    if (path === '/metrics' && method === 'GET') return await metricsAnswer(governor);
    if (path === '/admin/keys' && method === 'POST') return await createKey(governor, request);
    if (path === '/admin/keys' && method === 'GET')
      return jsonAnswer(200, { data: (await governor.settings.store.listKeys()).map(publicKey) });
    if (path === '/admin/spend' && method === 'GET') return await spendAnswer(governor, request.query);
    const match = /^\/admin\/keys\/(key_[0-9a-f]+)(\/rotate)?$/.exec(path);
    if (match !== null) return await keyAnswer(governor, method, match[1] as string, match[2] !== undefined);
    return adminError(404, `${method} ${path} is not a route of the admin API.`);
  } catch (error) {
    if (error instanceof RequestRefusal) return adminError(error.status, error.message, error.param);
    return adminError(503, "The gateway's store is unavailable; try again shortly.");
  }
}

async function metricsAnswer(governor: Governor): Promise<GatewayAnswer> {
  const metrics = await governor.settings.metrics.text();
  if (metrics === undefined)
    return adminError(501, '/metrics needs prom-client: run `pnpm add prom-client`.');
  return { status: 200, headers: { 'content-type': metrics.contentType }, body: metrics.body };
}

async function createKey(governor: Governor, request: GatewayRequest): Promise<GatewayAnswer> {
  const { store, options, pepper } = governor.settings;
  const body = newKeyRequest(await readJsonBody(request, ADMIN_BODY_BYTES), options.prices !== undefined);
  const key = newKeyText();
  const hash = hashKey(pepper, key);
  const record: KeyRecord = {
    id: newKeyId(),
    hash,
    fingerprint: fingerprintOf(hash),
    ...body,
    revokedAt: null,
    createdAt: Date.now(),
  };
  await store.createKey(record);
  // The only answer that ever holds the key's text: `no-store` keeps it out of caches.
  return jsonAnswer(201, { ...publicKey(record), key }, { 'cache-control': 'no-store' });
}

async function keyAnswer(
  governor: Governor,
  method: string,
  id: string,
  rotate: boolean,
): Promise<GatewayAnswer> {
  const { store, pepper } = governor.settings;
  if (rotate && method === 'POST') {
    const key = newKeyText();
    const hash = hashKey(pepper, key);
    if (!(await store.replaceKeyHash(id, hash, fingerprintOf(hash))))
      return adminError(404, `No valid key ${id}: it does not exist or was revoked.`);
    return jsonAnswer(200, { id, key, fingerprint: fingerprintOf(hash) }, { 'cache-control': 'no-store' });
  }
  if (method === 'DELETE') {
    if (!(await store.revokeKey(id, Date.now())))
      return adminError(404, `No valid key ${id}: it does not exist or was revoked already.`);
    return jsonAnswer(200, { id, revoked: true });
  }
  if (method === 'GET' && !rotate) {
    const record = await store.keyById(id);
    if (record === undefined) return adminError(404, `No key ${id}.`);
    const budget =
      record.budget === null ? null : await store.budgetState(id, windowStart(record.budget, Date.now()));
    return jsonAnswer(200, { ...publicKey(record), budgetState: budget });
  }
  return adminError(405, `${method} is not served on /admin/keys/${id}${rotate ? '/rotate' : ''}.`);
}

async function spendAnswer(governor: Governor, queryText: string): Promise<GatewayAnswer> {
  const params = new URLSearchParams(queryText);
  const query: SpendQuery = {};
  const keyId = params.get('keyId');
  if (keyId !== null && keyId !== '') query.keyId = keyId;
  for (const field of ['from', 'to'] as const) {
    const value = params.get(field);
    if (value === null || value === '') continue;
    const at = /^\d+$/.test(value) ? Number(value) : Date.parse(value);
    if (!Number.isFinite(at))
      throw new RequestRefusal(field, `${field} must be an ISO 8601 time or milliseconds.`);
    query[field] = at;
  }
  const limit = params.get('limit');
  if (limit !== null) query.limit = Math.min(10_000, Math.max(1, Number.parseInt(limit, 10) || 1000));
  await governor.flush();
  const rows = await governor.settings.store.readSpend(query);
  return jsonAnswer(200, { data: rows.map((row) => ({ ...row, at: new Date(row.at).toISOString() })) });
}
