import { redisCoordinator } from '@tokenwire/redis';
import {
  createReplayServer,
  findSecrets,
  openaiChatScenarios,
  type ReplayServer,
  scriptedReply,
} from '@tokenwire/testing';
import {
  type PostgresTestServer,
  type RedisTestServer,
  startPostgresServer,
  startRedisServer,
} from '@tokenwire/testing/internal';
import OpenAI from 'openai';
import postgres from 'postgres';
import { createClient } from 'redis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { admin, createKey, type GovernedFixture, startGoverned } from './governance.test-helpers.js';
import { postgresStore } from './postgres-store.js';

// Two gateway replicas on one real Postgres and one real Redis (Debian's, installed when missing,
// started on loopback ports), each with its own store and coordinator clients, as two processes.

let database: PostgresTestServer;
let redis: RedisTestServer;
let upstream: ReplayServer;
let replicas: [GovernedFixture, GovernedFixture];
let sql: postgres.Sql;
/** Everything written to the console while the suite ran: the logs, searched for keys. */
const logged: string[] = [];
/** Every key text made by the suite, and every error body answered: searched at the end. */
const keys: string[] = [];
const bodies: string[] = [];
const originalConsole = { ...console };

function startReplica(): Promise<GovernedFixture> {
  return startGoverned(upstream, {
    store: postgresStore({ url: database.url }),
    coordinator: redisCoordinator({ url: redis.url, commandTimeoutMs: 500 }),
    storeTimeoutMs: 1_000,
  });
}

beforeAll(async () => {
  for (const method of ['log', 'warn', 'error', 'info', 'debug'] as const) {
    const original = console[method].bind(console);
    console[method] = (...args: unknown[]) => {
      logged.push(args.map(String).join(' '));
      original(...args);
    };
  }
  [database, redis, upstream] = await Promise.all([
    startPostgresServer(),
    startRedisServer(),
    createReplayServer(),
  ]);
  sql = postgres(database.url, { onnotice: () => {} });
  replicas = [await startReplica(), await startReplica()];
}, 300_000);
afterAll(async () => {
  Object.assign(console, originalConsole);
  await Promise.all(replicas.map((replica) => replica.close()));
  await sql.end();
  await Promise.all([upstream.close(), redis.close(), database.close()]);
}, 60_000);

const client = (replica: GovernedFixture, key: string) =>
  new OpenAI({ apiKey: key, baseURL: `${replica.server.url}/v1`, maxRetries: 0 });

async function newKey(settings: Record<string, unknown> = {}) {
  const made = await createKey(replicas[0].server, settings);
  keys.push(made.key);
  return made;
}

/** A chat request by fetch: its status and body (the error body is kept for the secret search). */
async function post(replica: GovernedFixture, key: string, stream = false, signal?: AbortSignal) {
  const response = await fetch(`${replica.server.url}/v1/chat/completions`, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: JSON.stringify({ model: 'gpt-4o', stream, messages: [{ role: 'user', content: 'Hi' }] }),
    ...(signal === undefined ? {} : { signal }),
  });
  if (response.status !== 200) bodies.push(await response.text());
  return response;
}

async function flushAll(): Promise<void> {
  await Promise.all(replicas.map((replica) => replica.gateway.flush()));
}

async function budgetOf(keyId: string) {
  const [row] = await sql`
    SELECT coalesce(sum(spent_usd), 0)::text AS spent, coalesce(sum(reserved_usd), 0)::text AS reserved,
           (SELECT count(*) FROM tokenwire_reservations WHERE key_id = ${keyId})::int AS reservations,
           (SELECT coalesce(sum(cost_usd), 0)::text FROM tokenwire_spend WHERE key_id = ${keyId}) AS logged,
           (SELECT count(*) FROM tokenwire_spend WHERE key_id = ${keyId})::int AS rows,
           coalesce(sum(spent_usd), 0) = (SELECT coalesce(sum(cost_usd), 0) FROM tokenwire_spend WHERE key_id = ${keyId}) AS balanced
      FROM tokenwire_budget_windows WHERE key_id = ${keyId}`;
  return row as {
    spent: string;
    reserved: string;
    reservations: number;
    logged: string;
    rows: number;
    balanced: boolean;
  };
}

describe('two replicas, one Postgres, one Redis', () => {
  it('holds a key to 2 streams open upstream across both replicas', async () => {
    const { key } = await newKey({ limits: { concurrent: 2 } });
    const stallAfter = openaiChatScenarios.text.recordsBeforeOutput + 1;
    upstream.enqueue(
      { payloads: openaiChatScenarios.text.payloads, stallAfter },
      { payloads: openaiChatScenarios.text.payloads, stallAfter },
    );
    const controller = new AbortController();
    // Ten streams at once, five per replica: two are served (and stall), eight refused with 429.
    const answers = await Promise.all(
      Array.from({ length: 10 }, (_, index) =>
        post(replicas[index % 2] as GovernedFixture, key, true, controller.signal),
      ),
    );
    expect(answers.map((answer) => answer.status).sort()).toEqual([
      200, 200, 429, 429, 429, 429, 429, 429, 429, 429,
    ]);
    expect(upstream.openResponses).toBe(2);
    expect(upstream.peakOpenResponses).toBe(2);
    controller.abort();
    await upstream.waitForClientClose();
    await upstream.waitForClientClose();
    await flushAll();
    // Both slots came back: the next stream is served, on either replica.
    upstream.enqueue({ payloads: openaiChatScenarios.text.payloads });
    expect((await post(replicas[1], key)).status).toBe(200);
  });

  it('refuses a $0.05 key on both replicas once it is spent, before the provider is called', async () => {
    const { id, key } = await newKey({ budget: { usd: 0.05 } });
    let served = 0;
    for (let index = 0; index < 40; index++) {
      upstream.enqueue(scriptedReply({ text: 'Hello, world!' }));
      const answer = await post(replicas[index % 2] as GovernedFixture, key);
      if (answer.status === 429) break;
      expect(answer.status).toBe(200);
      await answer.text();
      served++;
      await flushAll();
    }
    expect(served).toBeGreaterThan(2);
    // The refused request left its reply queued; the next one takes it.
    const before = upstream.requests.length;
    for (const replica of replicas) {
      const answer = await post(replica, key);
      expect(answer.status).toBe(429);
      expect(JSON.parse(bodies.at(-1) as string).error).toMatchObject({
        code: 'budget_exceeded',
        type: 'rate_limit_error',
      });
    }
    expect(upstream.requests.length).toBe(before);
    await flushAll();
    const budget = await budgetOf(id);
    expect(Number(budget.spent)).toBeGreaterThanOrEqual(0.05);
    expect(budget.balanced).toBe(true);
    await (await post(replicas[0], (await newKey()).key)).text(); // takes the queued reply
  });

  it('settles 200 streams, a third of them cancelled mid-way, to exactly their logged cost', async () => {
    const { id, key } = await newKey({ budget: { usd: 1000 } });
    const stallAfter = openaiChatScenarios.text.recordsBeforeOutput + 1;
    for (let index = 0; index < 200; index++) {
      const replica = replicas[index % 2] as GovernedFixture;
      if (index % 3 === 0) {
        // The real openai SDK reads the first chunk, then leaves: a client that disconnects mid-way.
        upstream.enqueue({ payloads: openaiChatScenarios.text.payloads, stallAfter });
        const stream = await client(replica, key).chat.completions.create({
          model: 'gpt-4o',
          stream: true,
          messages: [{ role: 'user', content: 'Hi' }],
        });
        for await (const _chunk of stream) break;
        await upstream.waitForClientClose();
      } else if (index % 3 === 1) {
        upstream.enqueue(scriptedReply({ text: `Answer number ${index}` }));
        await client(replica, key).chat.completions.create({
          model: 'gpt-4o',
          messages: [{ role: 'user', content: 'Hi' }],
        });
      } else {
        upstream.enqueue(scriptedReply({ text: 'Half an answer', error: { message: 'upstream broke' } }));
        const answer = await post(replica, key, true);
        await answer.text();
      }
    }
    await flushAll();
    const budget = await budgetOf(id);
    // Spend equals the sum of the settled costs, exactly (numeric), and nothing stays reserved.
    expect(budget).toMatchObject({ reservations: 0, rows: 200, balanced: true });
    expect(Number(budget.reserved)).toBe(0);
    expect(Number(budget.spent)).toBeGreaterThan(0);
    const statuses =
      await sql`SELECT status, count(*)::int AS n FROM tokenwire_spend WHERE key_id = ${id} GROUP BY status ORDER BY status`;
    expect(statuses.map((row) => [row.status, row.n])).toEqual([
      ['cancelled', 67],
      ['error', 66],
      ['finished', 67],
    ]);
    const unpriced =
      await sql`SELECT count(*)::int AS n FROM tokenwire_spend WHERE key_id = ${id} AND (cost_usd IS NULL OR cost_usd = 0)`;
    expect(unpriced[0]?.n).toBe(0);
  });

  it('refuses a revoked key at once on every replica', async () => {
    const { id, key } = await newKey();
    for (const replica of replicas) expect((await client(replica, key).models.list()).data).toBeDefined();
    expect((await admin(replicas[1].server, 'DELETE', `/admin/keys/${id}`)).status).toBe(200);
    for (const replica of replicas) {
      const answer = await fetch(`${replica.server.url}/v1/models`, {
        headers: { authorization: `Bearer ${key}` },
      });
      expect(answer.status).toBe(401);
      bodies.push(await answer.text());
    }
  });

  it('refuses an expired key on every replica once its time has come', async () => {
    const expiresAt = Date.now() + 1_500;
    const { key } = await newKey({ expiresAt });
    await new Promise((resolve) => setTimeout(resolve, expiresAt - Date.now() + 10));
    for (const replica of replicas) {
      const answer = await post(replica, key);
      expect(answer.status).toBe(401);
      expect(JSON.parse(bodies.at(-1) as string).error.message).toContain('expired');
    }
  });

  it('fails closed, quickly, while Redis is down; serves again once it is back', async () => {
    const { key } = await newKey({ limits: { rpm: 1000 } });
    await redis.kill();
    const started = Date.now();
    const answer = await post(replicas[0], key);
    expect(answer.status).toBe(503);
    expect(Date.now() - started).toBeLessThan(3_000);
    await redis.start();
    upstream.enqueue(scriptedReply({ text: 'back' }));
    await expect
      .poll(async () => (await post(replicas[0], key)).status, { timeout: 10_000, interval: 200 })
      .toBe(200);
  });

  it('never lets a key’s text into logs, error bodies, spend rows, metrics, hook events, the database or Redis', async () => {
    await flushAll();
    expect(keys.length).toBeGreaterThan(5);
    const surfaces: Record<string, unknown> = { logged, bodies };
    surfaces.spend = (await admin(replicas[0].server, 'GET', '/admin/spend?limit=10000')).text;
    surfaces.keys = (await admin(replicas[0].server, 'GET', '/admin/keys')).text;
    surfaces.metrics = await Promise.all(
      replicas.map(async (replica) => (await admin(replica.server, 'GET', '/metrics')).text),
    );
    surfaces.hooks = replicas.flatMap((replica) => replica.hookEvents);
    const tables = [
      'tokenwire_keys',
      'tokenwire_budget_windows',
      'tokenwire_reservations',
      'tokenwire_spend',
    ];
    surfaces.database = await Promise.all(
      tables.map((table) => sql.unsafe(`SELECT row_to_json(t)::text AS row FROM ${table} t`)),
    );
    const redisClient = createClient({ url: redis.url });
    await redisClient.connect();
    const redisKeys = await redisClient.keys('*');
    surfaces.redis = [
      redisKeys,
      await Promise.all(redisKeys.map((name) => redisClient.dump(name).then(String, () => ''))),
    ];
    await redisClient.quit();
    expect(findSecrets(surfaces, keys)).toEqual([]);
    // The search finds what it looks for: the ids are there.
    expect(JSON.stringify(surfaces.database)).toContain('key_');
  });

  it('fails closed, quickly, while Postgres is down: a 503 in the dialect’s shape, no provider called', async () => {
    const { key } = await newKey();
    await sql.end();
    await database.close();
    const before = upstream.requests.length;
    for (const replica of replicas) {
      const started = Date.now();
      const answer = await post(replica, key);
      expect(answer.status).toBe(503);
      expect(JSON.parse(bodies.at(-1) as string).error).toMatchObject({
        code: 'store_unavailable',
        type: 'server_error',
      });
      expect(Date.now() - started).toBeLessThan(4_000);
    }
    expect(upstream.requests.length).toBe(before);
    expect(findSecrets({ logged, bodies }, keys)).toEqual([]);
  });
});
