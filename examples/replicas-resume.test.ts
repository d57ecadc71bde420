import { parseSSE, type StreamEvent } from '@tokenwire/core';
import { openaiChatScenarios } from '@tokenwire/testing';
import { type Browser, chromium } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import { type CuttingProxy, startCuttingProxy } from './lib/cutting-proxy.js';
import { CHROMIUM_PATH } from './lib/global-setup.js';
import { type ReplicaCluster, startReplicaCluster } from './lib/replica-cluster.js';

const redisMissing = inject('redisMissing');
const chromiumMissing = inject('chromiumMissing');
const tokens = ['Once', ' upon', ' a', ' time', ' there', ' was', ' a', ' stream'];
const story = { payloads: openaiChatScenarios.textPayloads?.(tokens) ?? [] };
/** The sequence number of a `<streamId>:<seq>` event id. */
const seqOf = (lastEventId: string | undefined) => Number(/^[\w-]+:(\d+)$/.exec(lastEventId ?? '')?.[1]);

describe.skipIf(redisMissing !== undefined)(
  `a stream cut on replica A and resumed on B${redisMissing === undefined ? '' : ` (SKIPPED: ${redisMissing})`}`,
  () => {
    let cluster: ReplicaCluster;
    let proxy: CuttingProxy | undefined;

    beforeAll(async () => {
      cluster = await startReplicaCluster();
    });
    afterEach(async () => {
      await proxy?.close();
      proxy = undefined;
    });
    afterAll(async () => {
      await cluster?.close();
    });

    /** A load balancer: the first /chat goes to A and is cut after `cut` records, the others go to B. */
    async function balancer(cut: number): Promise<CuttingProxy> {
      let chats = 0;
      proxy = await startCuttingProxy((_index, request) => {
        if (!request.url?.startsWith('/chat')) return { target: cluster.a.url };
        return chats++ === 0 ? { target: cluster.a.url, cutAfterRecords: cut } : { target: cluster.b.url };
      });
      return proxy;
    }

    const tokensOf = (events: StreamEvent[]) =>
      events.flatMap((event) => (event.type === 'token' ? [event.content] : []));

    it('delivers every event exactly once, in order, to parseSSE, which reconnects by itself', async () => {
      // The answer is paced, so that part of it is still to come when the resume begins.
      cluster.replay.enqueue({ ...story, delayMs: 30 });
      const lb = await balancer(4); // retry:, start, "Once", " upon"
      const events: StreamEvent[] = [];
      for await (const event of parseSSE(await fetch(`${lb.url}/chat`), { reconnect: { delayMs: 10 } }))
        events.push(event);
      expect(tokensOf(events)).toEqual(tokens);
      expect(events.map((event) => event.type)).toEqual(['start', ...tokens.map(() => 'token'), 'finish']);
      expect(events.at(-1)).toMatchObject({ type: 'finish', reason: 'stop', content: tokens.join('') });
      const chats = lb.requests.filter((request) => request.path.startsWith('/chat'));
      expect(chats.map((request) => request.target)).toEqual([cluster.a.url, cluster.b.url]);
      // The id of the last record the client read before the cut: the 3rd at most (the 4th record is
      // `retry:`'s); a client may lose bytes that arrived just before the cut.
      expect(seqOf(chats[1]?.lastEventId)).toBeGreaterThanOrEqual(1);
      expect(seqOf(chats[1]?.lastEventId)).toBeLessThanOrEqual(3);
    });

    it('stops the upstream request held by A when Stop is pressed on B, and ends with finish cancelled', async () => {
      const { replay, b } = cluster;
      replay.enqueue({ ...story, stallAfter: 3 }); // role, "Once", " upon", then nothing
      const lb = await balancer(3); // retry:, start, "Once"
      const events = parseSSE(await fetch(`${lb.url}/chat`), { reconnect: { delayMs: 10 } });
      const seen: StreamEvent[] = [];
      // Read up to " upon", which came through B (A's connection was cut after "Once").
      for (let next = await events.next(); !next.done; next = await events.next()) {
        seen.push(next.value);
        if (next.value.type === 'token' && next.value.content === ' upon') break;
      }
      const closed = replay.waitForClientClose(5_000);
      const stop = await fetch(`${b.url}/cancel?id=${encodeURIComponent(events.lastEventId ?? '')}`, {
        method: 'POST',
      });
      expect(stop.status).toBe(204);
      await closed; // the replay server saw A close the provider connection
      for (let next = await events.next(); !next.done; next = await events.next()) seen.push(next.value);
      expect(tokensOf(seen)).toEqual(['Once', ' upon']);
      expect(seen.at(-1)).toMatchObject({ type: 'finish', reason: 'cancelled', content: 'Once upon' });
    });

    it.skipIf(chromiumMissing !== undefined)(
      `delivers every event exactly once, in order, to Chromium's EventSource${chromiumMissing === undefined ? '' : ` (SKIPPED: ${chromiumMissing})`}`,
      async () => {
        const browser: Browser = await chromium.launch({
          executablePath: CHROMIUM_PATH,
          args: [
            '--headless',
            '--no-sandbox',
            '--disable-gpu',
            '--disable-quic',
            '--no-first-run',
            '--disable-background-networking',
            '--disable-component-update',
            '--disable-sync',
          ],
        });
        try {
          cluster.replay.enqueue({ ...story, delayMs: 30 });
          const lb = await balancer(5); // retry:, start, "Once", " upon", " a"
          const page = await browser.newPage();
          await page.goto(`${lb.url}/page`);
          await page.waitForFunction(
            () => (window as unknown as { finish?: unknown }).finish !== undefined,
            null,
            {
              timeout: 15_000,
            },
          );
          const seen = await page.evaluate(() => {
            const state = window as unknown as {
              tokens: string[];
              opens: number;
              finish: { reason: string };
            };
            return { tokens: state.tokens, opens: state.opens, reason: state.finish.reason };
          });
          expect(seen).toEqual({ tokens, opens: 2, reason: 'stop' });
          const chats = lb.requests.filter((request) => request.path.startsWith('/chat'));
          expect(chats.map((request) => request.target)).toEqual([cluster.a.url, cluster.b.url]);
          expect(seqOf(chats[1]?.lastEventId)).toBeGreaterThanOrEqual(1);
          expect(seqOf(chats[1]?.lastEventId)).toBeLessThanOrEqual(4);
        } finally {
          await browser.close();
        }
      },
    );
  },
);
