import { createReplayServer, type ReplayServer } from '@tokenwire/testing';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { CHROMIUM_PATH } from './lib/global-setup.js';
import { replayEnvironment } from './lib/replay-environment.js';
import { PARIS_WEATHER_CALL, replyScript } from './lib/replay-scripts.js';
import { type ExampleServer, startExampleServer } from './lib/start-example-server.js';

const chromiumMissing = inject('chromiumMissing');
const title = chromiumMissing === undefined ? 'in Chromium' : `in Chromium (SKIPPED: ${chromiumMissing})`;

describe.skipIf(chromiumMissing !== undefined)(`sse-server.ts and its page, ${title}`, () => {
  let replay: ReplayServer;
  let server: ExampleServer;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    replay = await createReplayServer();
    server = await startExampleServer('sse-server.ts', { ...replayEnvironment(replay.url), PORT: '0' });
    browser = await chromium.launch({
      executablePath: CHROMIUM_PATH,
      // No outside network here: without the background-networking flags Chromium's own
      // connections are refused and slow everything down.
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
    page = await browser.newPage();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    await replay?.close();
  });

  const text = (id: string) => page.locator(`#${id}`).textContent();

  it('renders the streamed text and the tool call as they arrive', async () => {
    replay.enqueue(
      replyScript({ text: 'Let me check Paris.', toolCalls: [PARIS_WEATHER_CALL] }, { delayMs: 20 }),
    );
    await page.goto(server.url);
    await page.click('#send');
    await page.locator('#status', { hasText: 'finish' }).waitFor({ timeout: 10_000 });
    expect(await text('answer')).toBe('Let me check Paris.');
    expect(await text('tool-calls')).toBe('get_weather({"city":"Paris"})');
    expect(await page.locator('#tool-calls li.complete').count()).toBe(1);
    expect(await text('status')).toBe('finish: tool_calls, 14 tokens');
    expect(replay.requests.at(-1)?.body).toMatchObject({ model: 'gpt-4.1-mini', stream: true });
  });

  it('Stop cancels the upstream stream: the replay server sees its connection closed', async () => {
    const counting = Array.from({ length: 50 }, (_, index) => `${index + 1} `).join('');
    replay.enqueue(replyScript({ text: counting }, { stallAfter: 6 }));
    await page.goto(server.url);
    await page.click('#send');
    await page.locator('#answer', { hasText: '1 2 3 4 5' }).waitFor({ timeout: 10_000 });
    const closed = replay.waitForClientClose(5_000);
    await page.click('#stop');
    await closed;
    expect(await text('status')).toBe('stopped');
    expect(await text('answer')).toBe('1 2 3 4 5 ');
    expect(replay.closedByClient).toBe(1);
  });
});
