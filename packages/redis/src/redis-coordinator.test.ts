import {
  type Adapter,
  createTokenwire,
  parseSSE,
  type StoredBatch,
  type StreamEvent,
  TokenwireError,
  toSSE,
} from '@tokenwire/core';
import { type RedisTestServer, startRedisServer } from '@tokenwire/testing/internal';
import { createClient } from 'redis';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { type RedisCoordinator, redisCoordinator } from './redis-coordinator.js';

let server: RedisTestServer;
const open: RedisCoordinator[] = [];

function replica(options: { commandTimeoutMs?: number; prefix?: string } = {}): RedisCoordinator {
  const coordinator = redisCoordinator({ url: server.url, ...options });
  open.push(coordinator);
  return coordinator;
}

beforeAll(async () => {
  server = await startRedisServer();
});

afterAll(async () => {
  await Promise.all(open.map((coordinator) => coordinator.close()));
  await server?.close();
});

let keys = 0;
const freshKey = () => `mock:model:${(++keys).toString(16).padStart(16, '0')}`;

async function collect(batches: AsyncIterable<StoredBatch>): Promise<{ seqs: number[]; texts: string[] }> {
  const seqs: number[] = [];
  const texts: string[] = [];
  for await (const batch of batches) {
    for (const record of batch.records) {
      seqs.push(record.seq);
      texts.push(record.text);
    }
  }
  return { seqs, texts };
}

describe('limits on Redis', () => {
  it('shares concurrent slots between replicas', async () => {
    const [a, b] = [replica(), replica()];
    const key = freshKey();
    const request = { key, limits: { concurrent: 3 }, tokens: 0, leaseMs: 30_000 };
    const taken = [await a.acquireSlot(request), await b.acquireSlot(request), await a.acquireSlot(request)];
    expect(taken.every((decision) => decision.granted)).toBe(true);
    expect(await b.acquireSlot(request)).toMatchObject({ granted: false, full: 'concurrent' });
    const first = taken[0] as { lease: string };
    await a.releaseSlot(key, first.lease, 0);
    expect(await b.acquireSlot(request)).toMatchObject({ granted: true });
  });

  it('takes back the slot of a replica that never released it once its lease lapses', async () => {
    const [a, b] = [replica(), replica()];
    const key = freshKey();
    const request = { key, limits: { concurrent: 1 }, tokens: 0, leaseMs: 150 };
    expect(await a.acquireSlot(request)).toMatchObject({ granted: true }); // a crashes holding it
    const refused = await b.acquireSlot(request);
    expect(refused).toMatchObject({ granted: false });
    await new Promise((resolve) => setTimeout(resolve, (refused as { retryInMs: number }).retryInMs + 5));
    expect(await b.acquireSlot(request)).toMatchObject({ granted: true });
  });

  it('counts requests and tokens per minute across replicas', async () => {
    const [a, b] = [replica(), replica()];
    const rpm = { key: freshKey(), limits: { requestsPerMinute: 2 }, tokens: 0, leaseMs: 30_000 };
    expect(await a.acquireSlot(rpm)).toMatchObject({ granted: true });
    expect(await b.acquireSlot(rpm)).toMatchObject({ granted: true });
    const refused = await a.acquireSlot(rpm);
    expect(refused).toMatchObject({ granted: false, full: 'window' });
    expect((refused as { retryInMs: number }).retryInMs).toBeLessThanOrEqual(60_000);
    const tpm = { key: freshKey(), limits: { tokensPerMinute: 1_000 }, tokens: 100, leaseMs: 30_000 };
    const granted = await a.acquireSlot(tpm);
    await a.releaseSlot(tpm.key, (granted as { lease: string }).lease, 950);
    expect(await b.acquireSlot(tpm)).toMatchObject({ granted: false });
  });

  it('holds a cooldown for every replica until it expires, keeping the longer of two', async () => {
    const [a, b] = [replica(), replica()];
    await a.setCooldown('key:openai:abc', 2_000);
    await b.setCooldown('key:openai:abc', 500);
    const left = await b.cooldownLeft('key:openai:abc');
    expect(left).toBeGreaterThan(500);
    expect(left).toBeLessThanOrEqual(2_000);
    expect(await b.cooldownLeft('key:openai:none')).toBe(0);
  });
});

describe('the stream store on Redis', () => {
  it('gives a reader on another replica every record after its id, once, in order, then follows live', async () => {
    const [a, b] = [replica(), replica()];
    const id = `stream-${freshKey()}`;
    await a.appendRecords(
      id,
      [1, 2, 3].map((seq) => ({ seq, text: `r${seq}` })),
      60_000,
    );
    const read = collect(b.readRecords(id, 1, new AbortController().signal));
    await a.appendRecords(id, [{ seq: 4, text: 'r4' }], 60_000);
    await a.appendRecords(id, [{ seq: 5, text: 'r5' }], 60_000);
    await a.endStream(id, 60_000);
    expect(await read).toEqual({ seqs: [2, 3, 4, 5], texts: ['r2', 'r3', 'r4', 'r5'] });
    expect(await b.hasStream(id)).toBe(true);
  });

  it('forgets a stream retainMs after its end', async () => {
    const a = replica();
    const id = `stream-${freshKey()}`;
    await a.appendRecords(id, [{ seq: 1, text: 'r1' }], 60_000);
    await a.endStream(id, 100);
    expect(await a.hasStream(id)).toBe(true);
    while (await a.hasStream(id)) await new Promise((resolve) => setTimeout(resolve, 20));
    expect(await collect(a.readRecords(id, 0, new AbortController().signal))).toEqual({
      seqs: [],
      texts: [],
    });
  });

  it('says so when the records after an id were trimmed (maxRecordsPerStream)', async () => {
    const a = redisCoordinator({ url: server.url, maxRecordsPerStream: 10 });
    open.push(a);
    const id = `stream-${freshKey()}`;
    // MAXLEN ~ trims whole nodes of 100 entries: 500 records leave far fewer than 500.
    await a.appendRecords(
      id,
      Array.from({ length: 500 }, (_unused, index) => ({ seq: index + 1, text: 'r' })),
      60_000,
    );
    await a.endStream(id, 60_000);
    await expect(collect(a.readRecords(id, 0, new AbortController().signal))).rejects.toMatchObject({
      code: 'connection',
      message: expect.stringContaining('were trimmed (maxRecordsPerStream)'),
    });
  });

  it('tells the replica running a stream that another one cancelled it', async () => {
    const [a, b] = [replica(), replica()];
    const id = `stream-${freshKey()}`;
    let heard = () => {};
    const cancelled = new Promise<void>((resolve) => {
      heard = resolve;
    });
    const stopListening = await a.onCancel(id, () => heard()); // subscribed once it resolves
    await b.cancelStream(id);
    await cancelled;
    stopListening();
  });
});

describe('Redis trouble', () => {
  it('fails each command within commandTimeoutMs while Redis is down, and works again after it restarts', async () => {
    const coordinator = replica({ commandTimeoutMs: 300 });
    const request = { key: freshKey(), limits: { concurrent: 1 }, tokens: 0, leaseMs: 30_000 };
    expect(await coordinator.acquireSlot(request)).toMatchObject({ granted: true });
    await server.kill();
    const failure = await coordinator.acquireSlot(request).catch((error: unknown) => error);
    expect(TokenwireError.isInstance(failure)).toBe(true);
    expect(failure).toMatchObject({ code: 'connection' });
    await server.start();
    // The client reconnects by itself; the restarted server is empty, so the slot is free again.
    let decision = await coordinator.acquireSlot(request).catch(() => undefined);
    while (decision === undefined) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      decision = await coordinator.acquireSlot(request).catch(() => undefined);
    }
    expect(decision).toMatchObject({ granted: true });
  });

  it('keeps a resumable stream running for its reader while Redis is down, and ends it', async () => {
    const coordinator = replica({ commandTimeoutMs: 300 });
    let open = () => {};
    const opened = new Promise<void>((resolve) => {
      open = resolve;
    });
    const adapter: Adapter = {
      name: 'mock',
      async *stream() {
        yield { type: 'text', delta: 'before' };
        await opened;
        yield { type: 'text', delta: ' after' };
        yield { type: 'finish', reason: 'stop' };
      },
    };
    const stream = createTokenwire({ providers: { mock: adapter }, retries: 0 }).stream({
      model: 'mock/m',
      messages: [{ role: 'user', content: 'Hi' }],
    });
    const storeErrors: unknown[] = [];
    const events = parseSSE(toSSE(stream, { coordinator, onStoreError: (error) => storeErrors.push(error) }));
    const seen: StreamEvent[] = [];
    for (let next = await events.next(); !next.done; next = await events.next()) {
      seen.push(next.value);
      if (next.value.type === 'token') break; // "before" is stored; now Redis goes away
    }
    await server.kill();
    open();
    for (let next = await events.next(); !next.done; next = await events.next()) seen.push(next.value);
    expect(seen.at(-1)).toMatchObject({ type: 'finish', reason: 'stop', content: 'before after' });
    // The reader had its events before the store's write of them failed: wait for that report
    // while Redis is still down (started again first, a late write could succeed instead).
    await vi.waitFor(() => expect(storeErrors.length).toBeGreaterThan(0), { timeout: 10_000 });
    await server.start();
    expect(storeErrors[0]).toMatchObject({ code: 'connection' });
  });

  it('takes a node-redis client of yours and leaves it open on close()', async () => {
    const client = createClient({ url: server.url });
    await client.connect();
    const coordinator = redisCoordinator({ client, prefix: 'mine:' });
    await coordinator.setCooldown('x', 1_000);
    expect(Number(await client.sendCommand(['PTTL', 'mine:cooldown:x']))).toBeGreaterThan(0);
    await coordinator.close();
    expect(await client.sendCommand(['PING'])).toBe('PONG');
    client.destroy();
  });
});
