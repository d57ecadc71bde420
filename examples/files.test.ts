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

describe('files.ts', () => {
  it('sends the PDF as an OpenAI file part and prints the answer', async () => {
    replay.enqueue(replyScript({ text: 'A blank page.' }));
    const run = await runExample('files.ts', { replayURL: replay.url });
    expect(run.stderr).toBe('');
    expect(run.stdout.split('\n')[0]).toBe('A blank page.');
    const body = replay.requests[0]?.body as { messages: Array<{ content: unknown }> };
    const parts = body.messages[0]?.content as Array<{ type: string; file?: { filename?: string } }>;
    expect(parts.map((part) => part.type)).toEqual(['text', 'file']);
    expect(parts[1]?.file?.filename).toBe('blank.pdf');
  });
});
