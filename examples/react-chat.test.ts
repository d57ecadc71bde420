import { createReplayServer, type ReplayServer } from '@tokenwire/testing';
import { type RedisTestServer, startRedisServer } from '@tokenwire/testing/internal';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import { type CuttingProxy, startCuttingProxy } from './lib/cutting-proxy.js';
import { CHROMIUM_PATH } from './lib/global-setup.js';
import { PARIS_WEATHER_CALL, replyScript } from './lib/replay-scripts.js';
import { type ExampleServer, startExampleServer } from './lib/start-example-server.js';

const missing = inject('chromiumMissing') ?? inject('redisMissing');
const title = missing === undefined ? 'in Chromium' : `in Chromium (SKIPPED: ${missing})`;
const COUNTING = Array.from({ length: 40 }, (_, index) => `${index + 1} `).join('');

describe.skipIf(missing !== undefined)(`react-chat/server.ts, two replicas and their pages, ${title}`, () => {
  let redis: RedisTestServer;
  let replay: ReplayServer;
  let replicas: [ExampleServer, ExampleServer];
  let proxy: CuttingProxy;
  /** Where the load balancer sends the API requests: replica 0 (A) or 1 (B). */
  let target = 0;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;

  beforeAll(async () => {
    [redis, replay] = await Promise.all([startRedisServer(), createReplayServer()]);
    const environment = (replica: string) => ({
      REPLICA: replica,
      PORT: '0',
      REDIS_URL: redis.url,
      OPENAI_BASE_URL: `${replay.url}/v1`,
      OPENAI_API_KEY: 'replay-key',
    });
    replicas = await Promise.all([
      startExampleServer('react-chat/server.ts', environment('A')),
      startExampleServer('react-chat/server.ts', environment('B')),
    ]);
    proxy = await startCuttingProxy(() => ({ target: (replicas[target] as ExampleServer).url }));
    browser = await chromium.launch({
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
  });
  afterEach(async () => {
    await context?.close();
    target = 0;
  });
  afterAll(async () => {
    await browser?.close();
    await proxy?.close();
    await Promise.all((replicas ?? []).map((replica) => replica.stop()));
    await Promise.all([replay?.close(), redis?.close()]);
  });

  async function open(path: string): Promise<void> {
    context = await browser.newContext();
    page = await context.newPage();
    await page.goto(`${proxy.url}${path}`);
  }
  const text = (selector: string) => page.locator(selector).allTextContents();
  const status = (value: string) => page.locator('#status', { hasText: value }).waitFor({ timeout: 15_000 });
  /** The API requests since `from`, with the replica that served each. */
  const apiRequests = (from: number) =>
    proxy.requests.slice(from).flatMap((request) =>
      request.path.startsWith('/api/')
        ? [
            {
              path: request.path,
              replica: request.target === replicas[0].url ? 'A' : 'B',
              lastEventId: request.lastEventId,
            },
          ]
        : [],
    );

  describe('useChat from @tokenwire/react', () => {
    it('streams a tool-calling answer: the call, its result, then the text', async () => {
      replay.enqueue(replyScript({ text: 'Let me check.', toolCalls: [PARIS_WEATHER_CALL] }, { delayMs: 5 }));
      replay.enqueue(replyScript({ text: 'It is 21 °C in Paris.' }, { delayMs: 5 }));
      await open('/');
      await page.click('#send');
      await status('ready');
      expect(await text('#messages li')).toEqual([
        'What is the weather in Paris?',
        'Let me check.get_weather({"city":"Paris"}) → {"city":"Paris","celsius":21}It is 21 °C in Paris.',
      ]);
      expect(await page.locator('.tool.output-available').count()).toBe(1);
    });

    it('Stop mid-answer closes the upstream connection', async () => {
      replay.enqueue(replyScript({ text: COUNTING }, { stallAfter: 6 }));
      await open('/');
      await page.click('#send');
      await page.locator('#messages li.assistant', { hasText: '1 2 3 4 5' }).waitFor({ timeout: 15_000 });
      const closed = replay.waitForClientClose(5_000);
      await page.click('#stop');
      await closed;
      await status('ready');
      expect(await text('#messages li.assistant')).toEqual(['1 2 3 4 5 ']);
    });

    it('a reload mid-answer resumes it on the other replica, every token exactly once', async () => {
      replay.enqueue(replyScript({ text: COUNTING }, { delayMs: 40 }));
      await open('/');
      const from = proxy.requests.length;
      const upstream = replay.requests.length;
      await page.click('#send');
      await page.locator('#messages li.assistant', { hasText: '1 2 3 ' }).waitFor({ timeout: 15_000 });
      target = 1; // A is no longer chosen: the reloaded page's requests go to B
      await page.reload();
      await status('ready');
      expect(await text('#messages li')).toEqual(['What is the weather in Paris?', COUNTING]);
      const requests = apiRequests(from);
      expect(requests[0]).toMatchObject({ path: '/api/chat', replica: 'A' });
      expect(requests.at(-1)).toMatchObject({ path: '/api/chat', replica: 'B' });
      expect(requests.at(-1)?.lastEventId).toMatch(/:0$/);
      expect(replay.requests.length - upstream).toBe(1); // resumed, not asked again
    });
  });

  describe('useChat from @tokenwire/react, stop and approvals across reloads', () => {
    it('Stop on an answer resumed after a reload closes the upstream connection held by the other replica', async () => {
      replay.enqueue(replyScript({ text: COUNTING }, { stallAfter: 6 }));
      await open('/');
      await page.click('#send');
      await page.locator('#messages li.assistant', { hasText: '1 2 3' }).waitFor({ timeout: 15_000 });
      target = 1;
      await page.reload();
      await page.locator('#messages li.assistant', { hasText: '1 2 3 4 5' }).waitFor({ timeout: 15_000 });
      const closed = replay.waitForClientClose(5_000);
      await page.click('#stop');
      await closed; // A's provider connection, closed through B's cancel
      await status('ready');
    });

    it('an approval survives a reload, and the tool runs once, on the replica that got the decision', async () => {
      const call = { id: 'call_delete_1', name: 'delete_file', arguments: '{"path":"old.txt"}' };
      replay.enqueue(replyScript({ toolCalls: [call] }, { delayMs: 5 }));
      replay.enqueue(replyScript({ text: 'Deleted old.txt.' }, { delayMs: 5 }));
      await open('/');
      await page.fill('#prompt', 'Delete old.txt');
      await page.click('#send');
      await status('awaiting-approval');
      target = 1;
      await page.reload();
      await status('awaiting-approval');
      expect(await text('.approval')).toEqual(['Run delete_file({"path":"old.txt"})? Approve Reject']);
      await page.click('#approve');
      await status('ready');
      expect(await text('#messages li.assistant')).toEqual([
        'delete_file({"path":"old.txt"}) → "deleted old.txt"',
        'Deleted old.txt.',
      ]);
      await page.reload(); // nothing left to resume or to send again
      await status('ready');
      const runs = replicas.map((replica) => replica.output().split('delete_file ran on').length - 1);
      expect(runs).toEqual([0, 1]);
    });
  });

  describe('useChat from @ai-sdk/react against toUIMessageStream', () => {
    it('shows the text, the tool call and its result', async () => {
      replay.enqueue(replyScript({ text: 'Checking.', toolCalls: [PARIS_WEATHER_CALL] }, { delayMs: 5 }));
      replay.enqueue(replyScript({ text: 'Sunny, 21 °C.' }, { delayMs: 5 }));
      await open('/ai-sdk');
      await page.click('#send');
      await status('ready');
      expect(await text('#messages li')).toEqual([
        'What is the weather in Paris?',
        'Checking.get_weather({"city":"Paris"}) → {"city":"Paris","celsius":21}Sunny, 21 °C.',
      ]);
    });

    it('Stop closes the upstream connection', async () => {
      replay.enqueue(replyScript({ text: COUNTING }, { stallAfter: 6 }));
      await open('/ai-sdk');
      await page.click('#send');
      await page.locator('#messages li.assistant', { hasText: '1 2 3 4 5' }).waitFor({ timeout: 15_000 });
      const closed = replay.waitForClientClose(5_000);
      await page.click('#stop');
      await closed;
      await status('ready');
    });

    it('a reload mid-answer resumes it on the other replica, every token exactly once', async () => {
      replay.enqueue(replyScript({ text: COUNTING }, { delayMs: 40 }));
      await open('/ai-sdk');
      const from = proxy.requests.length;
      const upstream = replay.requests.length;
      await page.click('#send');
      await page.locator('#messages li.assistant', { hasText: '1 2 3 ' }).waitFor({ timeout: 15_000 });
      target = 1;
      await page.reload();
      await page.locator('#messages li.assistant', { hasText: '39 40' }).waitFor({ timeout: 15_000 });
      await status('ready');
      expect(await text('#messages li')).toEqual(['What is the weather in Paris?', COUNTING]);
      const requests = apiRequests(from);
      // (The page's first request may be its resume on load, answered 204: nothing to resume.)
      expect(requests.find((request) => request.path === '/api/ui-chat')).toMatchObject({ replica: 'A' });
      expect(requests.at(-1)).toMatchObject({ replica: 'B' });
      expect(requests.at(-1)?.path).toMatch(/^\/api\/ui-chat\/stream\?streamId=/);
      expect(replay.requests.length - upstream).toBe(1);
    });

    it('an approval given with addToolApprovalResponse runs the tool once, and the answer goes on', async () => {
      const call = { id: 'call_delete_2', name: 'delete_file', arguments: '{"path":"draft.txt"}' };
      replay.enqueue(replyScript({ toolCalls: [call] }, { delayMs: 5 }));
      replay.enqueue(replyScript({ text: 'Deleted draft.txt.' }, { delayMs: 5 }));
      const before = replicas.map((replica) => replica.output().split('delete_file ran on').length);
      await open('/ai-sdk');
      await page.fill('#prompt', 'Delete draft.txt');
      await page.click('#send');
      await page.locator('#approve').waitFor({ timeout: 15_000 });
      await page.click('#approve');
      await page
        .locator('#messages li.assistant', { hasText: 'Deleted draft.txt.' })
        .waitFor({ timeout: 15_000 });
      await status('ready');
      expect(await text('#messages li.assistant')).toEqual([
        'delete_file({"path":"draft.txt"}) → "deleted draft.txt"Deleted draft.txt.',
      ]);
      const runs = replicas.map(
        (replica, index) => replica.output().split('delete_file ran on').length - (before[index] ?? 0),
      );
      expect(runs.reduce((sum, count) => sum + count, 0)).toBe(1);
    });
  });
});
