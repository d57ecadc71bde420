import { createReplayServer, type ReplayServer } from '@tokenwire/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { replyScript } from './lib/replay-scripts.js';
import { runExample } from './lib/run-example.js';

let replay: ReplayServer;
beforeEach(async () => {
  replay = await createReplayServer();
});
afterEach(async () => {
  await replay.close();
});

describe('middleware.ts', () => {
  it('logs both answers and serves the second from the cache, with one request', async () => {
    replay.enqueue(replyScript({ text: 'Blue.' }));
    const run = await runExample('middleware.ts', { replayURL: replay.url });
    expect(run.stderr).toBe('');
    const lines = run.stdout.trim().split('\n');
    expect(lines).toHaveLength(4);
    expect(lines[0]).toMatch(/^\[log\] openai\/gpt-4\.1-mini: 1 message\(s\) → \d+ text pieces in \d+ ms$/);
    expect(lines.slice(1)).toEqual([
      'answer 1: Blue.',
      expect.stringMatching(/^\[log\] openai\/gpt-4\.1-mini: 1 message\(s\)/),
      'answer 2: Blue.',
    ]);
    expect(replay.requests).toHaveLength(1);
  });
});
