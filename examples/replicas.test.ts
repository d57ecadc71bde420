import { redisCoordinator } from '@tokenwire/redis';
import { openaiChatScenarios } from '@tokenwire/testing';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { type ReplicaCluster, startReplicaCluster } from './lib/replica-cluster.js';

const redisMissing = inject('redisMissing');
const title = redisMissing === undefined ? '' : ` (SKIPPED: ${redisMissing})`;
const tokens = ['Once', ' upon', ' a', ' time'];
const story = { payloads: openaiChatScenarios.textPayloads?.(tokens) ?? [] };

describe.skipIf(redisMissing !== undefined)(`two replica processes on one Redis${title}`, () => {
  let cluster: ReplicaCluster;

  beforeAll(async () => {
    cluster = await startReplicaCluster();
  });
  afterAll(async () => {
    await cluster?.close();
  });

  it('never has more than `concurrent: 3` streams of a key open at the provider, over 20 streams on two replicas', async () => {
    const { replay, a, b, json } = cluster;
    const before = replay.requests.length;
    // Each answer takes a while (the server paces its records), so that streams overlap.
    for (let index = 0; index < 20; index++) replay.enqueue({ ...story, delayMs: 40 });
    const runs = Array.from({ length: 20 }, (_unused, index) => json(index % 2 === 0 ? a : b, '/run'));
    const outcomes = await Promise.all(runs);
    expect(outcomes.map((outcome) => outcome.content)).toEqual(Array(20).fill(tokens.join('')));
    expect(new Set(outcomes.map((outcome) => outcome.replica))).toEqual(new Set(['A', 'B']));
    expect(replay.requests.length - before).toBe(20);
    expect(replay.peakOpenResponses).toBeLessThanOrEqual(3);
  });

  it("keeps replica B from sending to a key for the 2 s of a 429's retry-after that A got", async () => {
    const { replay, a, b, json } = cluster;
    replay.enqueue({ status: 429, headers: { 'retry-after': '2' } }, story);
    const before = replay.requests.length;
    expect(await json(a, '/run')).toMatchObject({ type: 'error', code: 'rate_limit' });
    const limitedAt = Date.now();
    // B waits for the cooldown: with a first-token limit of 1 s it gives up before sending anything.
    const held = await json(b, '/run?firstTokenMs=1000');
    expect(held).toMatchObject({ type: 'error', code: 'rate_limit' });
    expect(held.message).toMatch(
      /waited 1000 ms \(timeouts.firstTokenMs\) for the openai key's cooldown after a 429/,
    );
    expect(held.message).toContain('Nothing was sent.');
    expect(replay.requests.length - before).toBe(1);
    expect(await json(b, '/run')).toMatchObject({ type: 'finish', content: tokens.join('') });
    expect(Date.now() - limitedAt).toBeGreaterThanOrEqual(1_900);
    expect(replay.requests.length - before).toBe(2);
  });

  it('moves the traffic of a deployment answering 503 to the other one on every replica, and back after the cooldown', async () => {
    const { east, west, a, b, json, redis } = cluster;
    east.enqueue({ status: 503 });
    west.enqueue(story, story);
    expect(await json(a, '/run?model=chat')).toMatchObject({ replica: 'A', provider: 'west' });
    expect(await json(b, '/run?model=chat')).toMatchObject({ replica: 'B', provider: 'west' });
    expect([east.requests.length, west.requests.length]).toEqual([1, 2]);
    const observer = redisCoordinator({ url: redis.url });
    try {
      while ((await observer.cooldownLeft('deployment:chat:east/gpt-4.1')) > 0)
        await new Promise((resolve) => setTimeout(resolve, 50));
    } finally {
      await observer.close();
    }
    east.enqueue(story);
    expect(await json(b, '/run?model=chat')).toMatchObject({ replica: 'B', provider: 'east' });
    expect([east.requests.length, west.requests.length]).toEqual([2, 2]);
  });

  it('lets limited streams through with a warning while Redis is down, and enforces limits again after it restarts', async () => {
    const { replay, a, b, json, redis } = cluster;
    await redis.kill();
    replay.enqueue(story, story);
    const during = await Promise.all([json(a, '/run'), json(b, '/run')]);
    expect(during.map((outcome) => outcome.content)).toEqual([tokens.join(''), tokens.join('')]);
    expect(a.output()).toContain('A warning coordinator_unavailable');
    await redis.start();
    for (const replica of [a, b])
      while ((await fetch(`${replica.url}/health`)).status !== 200)
        await new Promise((resolve) => setTimeout(resolve, 50));
    for (let index = 0; index < 6; index++) replay.enqueue({ ...story, delayMs: 40 });
    const peakBefore = replay.peakOpenResponses;
    const after = await Promise.all(
      Array.from({ length: 6 }, (_unused, index) => json(index % 2 ? a : b, '/run')),
    );
    expect(after.map((outcome) => outcome.type)).toEqual(Array(6).fill('finish'));
    expect(Math.max(peakBefore, replay.peakOpenResponses)).toBeLessThanOrEqual(3);
    // Both replica processes are still up: no crash, no unhandled rejection.
    expect(a.output()).not.toMatch(/Unhandled|exited/);
    expect((await fetch(`${b.url}/health`)).status).toBe(200);
  });
});
