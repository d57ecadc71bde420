import { readdir, readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { readFixture } from './fixtures.js';
import {
  anthropicClient,
  genaiClient,
  generativeAiClient,
  messageOf,
  openaiChatClient,
  openaiResponsesClient,
  type SdkClient,
} from './sdk-clients.test-helpers.js';
import { useReplayServer } from './use-replay-server.js';

// Every recorded stream under ../shared/fixtures replays through the matching real SDK without a
// parse error, and the SDK hands back the recorded payloads.

const root = new URL('../../../../shared/fixtures/', import.meta.url);

const server = useReplayServer({ per: 'file' });

async function fixturesIn(directory: string): Promise<string[]> {
  const names = await readdir(new URL(directory, root));
  return names.filter((name) => name.endsWith('.chunks.txt')).sort();
}

/** The payload as plain JSON (drops the helper methods the legacy Google SDK adds). */
const plain = (value: unknown): unknown => JSON.parse(JSON.stringify(value));

async function replay(client: SdkClient, payloads: unknown[]) {
  server.enqueue({ payloads });
  const run = await client.run(server.url);
  return { ...run, chunks: run.chunks.map(plain) };
}

const directories = await Promise.all(
  [
    'openai-chat/',
    'openai-chat-compatible/',
    'openai-responses/',
    'anthropic/',
    'google/generate-content/',
    'google/interactions/',
  ].map(async (directory) => [directory, await fixturesIn(directory)] as const),
);
const fixtures = Object.fromEntries(directories);

describe.each(['openai-chat/', 'openai-chat-compatible/'])(
  '%s fixtures through openai chat.completions',
  (directory) => {
    it.each(fixtures[directory] ?? [])('replays %s', async (name) => {
      const path = new URL(directory + name, root);
      const payloads = await readFixture(path);
      const run = await replay(openaiChatClient, payloads);
      expect(messageOf(run.error)).toBe('undefined');
      // the SDK adds `finish_reason: null` where a compatible server left it out; the rest is as recorded
      expect(run.chunks).toMatchObject(payloads);
    });
  },
);

describe('openai-responses fixtures through openai responses', () => {
  it.each(
    (fixtures['openai-responses/'] ?? []).filter(
      (name) => !name.startsWith('openai-error') && !name.startsWith('parallel-'),
    ),
  )('replays %s', async (name) => {
    const path = new URL(`openai-responses/${name}`, root);
    const payloads = await readFixture(path);
    const run = await replay(openaiResponsesClient, payloads);
    expect(messageOf(run.error)).toBe('undefined');
    expect(run.chunks).toEqual(payloads);
  });

  it('replays openai-error.1: the SDK throws the recorded in-band error, not a parse error', async () => {
    const path = new URL('openai-responses/openai-error.1.chunks.txt', root);
    const payloads = await readFixture(path);
    const run = await replay(openaiResponsesClient, payloads);
    expect(run.chunks).toEqual(payloads.slice(0, 2));
    expect((run.error as Error).constructor.name).toBe('APIError');
    expect(run.error).toMatchObject({ code: 'insufficient_quota', status: undefined });
    expect(messageOf(run.error)).toContain('You exceeded your current quota');
  });

  it('replays parallel-tool-call-wrapper.1 without its two truncated lines (1 and 6)', async () => {
    const path = new URL('openai-responses/parallel-tool-call-wrapper.1.chunks.txt', root);
    const lines = (await readFile(path, 'utf8')).split('\n').filter((line) => line.trim() !== '');
    const broken = lines.flatMap((line, index) => {
      try {
        JSON.parse(line);
        return [];
      } catch {
        return [index + 1];
      }
    });
    expect(broken).toEqual([1, 6]); // upstream cut them short: they miss their closing braces
    const payloads = await readFixture(path, { skipInvalidLines: true });
    const run = await replay(openaiResponsesClient, payloads);
    expect(messageOf(run.error)).toBe('undefined');
    expect(run.chunks).toEqual(payloads);
    expect(run.chunks).toHaveLength(4);
  });
});

describe('anthropic fixtures through anthropic messages', () => {
  it.each(fixtures['anthropic/'] ?? [])('replays %s', async (name) => {
    const path = new URL(`anthropic/${name}`, root);
    const payloads = await readFixture(path);
    const run = await replay(anthropicClient, payloads);
    expect(messageOf(run.error)).toBe('undefined');
    // the SDK drops `ping` (a keep-alive) and yields everything else as recorded
    expect(run.chunks).toEqual(payloads.filter((payload) => (payload as { type?: string }).type !== 'ping'));
  });
});

describe.each([generativeAiClient, genaiClient])(
  'google/generate-content fixtures through $name',
  (client) => {
    it.each(fixtures['google/generate-content/'] ?? [])('replays %s', async (name) => {
      const path = new URL(`google/generate-content/${name}`, root);
      const payloads = await readFixture(path);
      const run = await replay(client, payloads);
      expect(messageOf(run.error)).toBe('undefined');
      expect(run.chunks).toHaveLength(payloads.length);
      // both SDKs pass the candidates through unchanged (also Vertex's partialArgs)
      expect(run.chunks.map((chunk) => (chunk as { candidates?: unknown }).candidates)).toEqual(
        payloads.map((payload) => (payload as { candidates?: unknown }).candidates),
      );
    });
  },
);

describe('google/interactions fixtures over raw fetch', () => {
  // Neither Google SDK installed here streams the Interactions API, so these replay as plain SSE
  // `data:` records (the protocol is forced: no SDK path serves /interactions).
  it.each(fixtures['google/interactions/'] ?? [])('replays %s', async (name) => {
    const payloads = await readFixture(new URL(`google/interactions/${name}`, root));
    server.enqueue({ payloads, protocol: 'gemini' });
    const response = await fetch(`${server.url}/v1beta/interactions?alt=sse`, { method: 'POST', body: '{}' });
    const text = await response.text();
    const received = text
      .split('\r\n\r\n')
      .filter((record) => record.startsWith('data: '))
      .map((record) => JSON.parse(record.slice('data: '.length)));
    expect(received).toEqual(payloads);
    expect(received.every((payload) => typeof payload.event_type === 'string')).toBe(true);
  });
});
