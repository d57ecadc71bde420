import Anthropic from '@anthropic-ai/sdk';
import { createReplayServer, type ReplayServer, scriptedReply } from '@tokenwire/testing';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { admin, createKey, type GovernedFixture, startGoverned } from './governance.test-helpers.js';

// Governance on the embedded store (PGlite in memory) and the in-memory coordinator: what a
// gateway with `auth: { masterKey }` and nothing else does. Real SDK clients, the replay server upstream.

let upstream: ReplayServer;
let fixture: GovernedFixture;
beforeAll(async () => {
  upstream = await createReplayServer();
  fixture = await startGoverned(upstream);
}, 60_000);
afterAll(async () => {
  await fixture.close();
  await upstream.close();
});

const openaiWith = (key: string) =>
  new OpenAI({ apiKey: key, baseURL: `${fixture.server.url}/v1`, maxRetries: 0 });
const anthropicWith = (key: string) =>
  new Anthropic({ apiKey: key, baseURL: fixture.server.url, maxRetries: 0 });

async function statusOf(promise: Promise<unknown>): Promise<{ status: number; error: unknown }> {
  try {
    await promise;
    return { status: 200, error: undefined };
  } catch (error) {
    return { status: (error as { status: number }).status, error: (error as { error: unknown }).error };
  }
}

describe('virtual keys', () => {
  it('serves a key made through the admin API, by Bearer (OpenAI) and x-api-key (Anthropic)', async () => {
    const { id, key } = await createKey(fixture.server, { metadata: { team: 'search' } });
    expect(key).toMatch(/^sk-tw-[\w-]{43}$/);
    expect(id).toMatch(/^key_[0-9a-f]{16}$/);
    upstream.enqueue(scriptedReply({ text: 'Hello there' }), scriptedReply({ text: 'Hi' }));
    const completion = await openaiWith(key).chat.completions.create({
      model: 'gpt-4o',
      messages: [{ role: 'user', content: 'Hi' }],
    });
    expect(completion.choices[0]?.message.content).toBe('Hello there');
    const message = await anthropicWith(key).messages.create({
      model: 'claude',
      max_tokens: 32,
      messages: [{ role: 'user', content: 'Hi' }],
    });
    expect(message.content).toEqual([{ type: 'text', text: 'Hi' }]);
    // Neither the key nor its hash leaves the admin API after creation.
    const listed = await admin(fixture.server, 'GET', '/admin/keys');
    expect(listed.text).not.toContain(key);
    expect(listed.text).not.toContain('"hash"');
    expect(listed.body.data).toEqual(
      expect.arrayContaining([expect.objectContaining({ id, metadata: { team: 'search' } })]),
    );
  });

  it('refuses unknown, revoked and expired keys in each dialect before the provider is called', async () => {
    const before = upstream.requests.length;
    const unknown = await statusOf(
      openaiWith('sk-tw-not-a-key-0123456789abcdefghijklmnopqrstuvwxyz0').models.list(),
    );
    expect(unknown.status).toBe(401);
    const { id, key } = await createKey(fixture.server);
    expect((await admin(fixture.server, 'DELETE', `/admin/keys/${id}`)).status).toBe(200);
    const revoked = await statusOf(
      anthropicWith(key).messages.create({
        model: 'claude',
        max_tokens: 8,
        messages: [{ role: 'user', content: 'x' }],
      }),
    );
    expect(revoked.status).toBe(401);
    expect(revoked.error).toEqual({
      type: 'error',
      error: { type: 'authentication_error', message: `The virtual key ${id} was revoked.` },
    });
    const expired = await createKey(fixture.server, { expiresAt: Date.now() - 1 });
    const answer = await statusOf(
      openaiWith(expired.key).chat.completions.create({
        model: 'gpt-4o',
        messages: [{ role: 'user', content: 'x' }],
      }),
    );
    expect(answer.status).toBe(401);
    expect(answer.error).toMatchObject({ type: 'authentication_error', code: 'authentication' });
    expect(upstream.requests.length).toBe(before);
  });

  it('refuses a model outside the key’s scope with 403, naming its models', async () => {
    const { key } = await createKey(fixture.server, { models: ['claude'] });
    const answer = await statusOf(
      openaiWith(key).chat.completions.create({
        model: 'gpt-4o',
        messages: [{ role: 'user', content: 'x' }],
      }),
    );
    expect(answer.status).toBe(403);
    expect(answer.error).toMatchObject({ type: 'permission_error', param: 'model' });
  });

  it('rotates a key: the new text is served, the old one refused at once', async () => {
    const { id, key } = await createKey(fixture.server);
    const rotated = await admin(fixture.server, 'POST', `/admin/keys/${id}/rotate`);
    expect(rotated.status).toBe(200);
    const next = String(rotated.body.key);
    expect(next).not.toBe(key);
    expect((await statusOf(openaiWith(key).models.list())).status).toBe(401);
    expect((await statusOf(openaiWith(next).models.list())).status).toBe(200);
  });

  it('keeps the admin API behind the master key', async () => {
    const { key } = await createKey(fixture.server);
    const response = await fetch(`${fixture.server.url}/admin/keys`, {
      headers: { authorization: `Bearer ${key}` },
    });
    expect(response.status).toBe(401);
    const bad = await admin(fixture.server, 'POST', '/admin/keys', { limits: { rpm: -1 } });
    expect(bad.status).toBe(400);
    expect(bad.body.error).toMatchObject({ param: 'limits.rpm' });
  });
});

describe('budgets and the spend log', () => {
  it('refuses a key whose budget is spent, in the dialect’s 429, and logs one row per request', async () => {
    const { id, key } = await createKey(fixture.server, { budget: { usd: 0.05 } });
    const client = openaiWith(key);
    let served = 0;
    for (let index = 0; index < 20; index++) {
      upstream.enqueue(scriptedReply({ text: 'Hello, world!' }));
      const answer = await statusOf(
        client.chat.completions.create({ model: 'gpt-4o', messages: [{ role: 'user', content: 'Hi' }] }),
      );
      if (answer.status === 429) {
        expect(answer.error).toMatchObject({ type: 'rate_limit_error', code: 'budget_exceeded' });
        break;
      }
      expect(answer.status).toBe(200);
      served++;
    }
    expect(served).toBeGreaterThan(1);
    // The refused request left its reply queued: another key takes it.
    await openaiWith((await createKey(fixture.server)).key).chat.completions.create({
      model: 'gpt-4o',
      messages: [{ role: 'user', content: 'Hi' }],
    });
    await fixture.gateway.flush();
    const state = await admin(fixture.server, 'GET', `/admin/keys/${id}`);
    const budget = state.body.budgetState as { spentUsd: number; reservedUsd: number; reservations: number };
    expect(budget.spentUsd).toBeGreaterThanOrEqual(0.05);
    expect(budget).toMatchObject({ reservedUsd: 0, reservations: 0 });
    const spend = await admin(fixture.server, 'GET', `/admin/spend?keyId=${id}`);
    const rows = spend.body.data as Array<{ status: string; costUsd: number; provider: string }>;
    expect(rows.map((row) => row.status)).toEqual([...Array(served).fill('finished'), 'refused']);
    const settled = rows.reduce((sum, row) => sum + row.costUsd, 0);
    expect(settled).toBeCloseTo(budget.spentUsd, 12);
    expect(rows[0]).toMatchObject({ provider: 'openai', model: 'gpt-4o' });
  });

  it('settles a stream the upstream stops answering, once the idle timeout ends it', async () => {
    const timing = await startGoverned(upstream, {}, { idleMs: 300 });
    try {
      const { id, key } = await createKey(timing.server, { budget: { usd: 1 } });
      upstream.enqueue({ ...scriptedReply({ text: 'Hello, world, and more' }), stallAfter: 3 });
      const response = await fetch(`${timing.server.url}/v1/chat/completions`, {
        method: 'POST',
        headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
        body: JSON.stringify({ model: 'gpt-4o', stream: true, messages: [{ role: 'user', content: 'Hi' }] }),
      });
      expect(await response.text()).toContain('"error"');
      await timing.gateway.flush();
      const spend = await admin(timing.server, 'GET', `/admin/spend?keyId=${id}`);
      expect(spend.body.data).toEqual([expect.objectContaining({ status: 'error', errorCode: 'timeout' })]);
      const state = await admin(timing.server, 'GET', `/admin/keys/${id}`);
      expect(state.body.budgetState).toMatchObject({ reservedUsd: 0, reservations: 0 });
    } finally {
      await timing.close();
    }
  });

  it('refuses a budgeted key a model without a price, instead of counting it as $0', async () => {
    const { key } = await createKey(fixture.server, { budget: { usd: 1 } });
    const answer = await statusOf(
      openaiWith(key).chat.completions.create({ model: 'free', messages: [{ role: 'user', content: 'x' }] }),
    );
    expect(answer.status).toBe(403);
  });

  it('logs a stream without a known price with no cost (null), never $0', async () => {
    const { id, key } = await createKey(fixture.server);
    upstream.enqueue(scriptedReply({ text: 'Hello' }));
    await openaiWith(key).chat.completions.create({
      model: 'free',
      messages: [{ role: 'user', content: 'x' }],
    });
    await fixture.gateway.flush();
    const spend = await admin(fixture.server, 'GET', `/admin/spend?keyId=${id}`);
    expect(spend.body.data).toEqual([
      expect.objectContaining({
        status: 'finished',
        costUsd: null,
        costEstimated: false,
        deployment: 'openai/unpriced',
      }),
    ]);
  });

  it('serves /metrics in Prometheus text, by key id, model and provider', async () => {
    const { id, key } = await createKey(fixture.server);
    upstream.enqueue(scriptedReply({ text: 'Hello' }));
    await openaiWith(key).chat.completions.create({
      model: 'gpt-4o',
      messages: [{ role: 'user', content: 'x' }],
    });
    await fixture.gateway.flush();
    const metrics = await admin(fixture.server, 'GET', '/metrics');
    expect(metrics.status).toBe(200);
    expect(metrics.text).toContain(
      `tokenwire_gateway_requests_total{key_id="${id}",model="gpt-4o",provider="openai",status="finished"} 1`,
    );
    expect(metrics.text).toContain('tokenwire_gateway_cost_usd_total');
    expect(metrics.text).not.toContain(key);
  });
});
