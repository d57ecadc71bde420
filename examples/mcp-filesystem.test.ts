import { createReplayServer, type ReplayServer } from '@tokenwire/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MCP_FILESYSTEM_REPLIES, replyScript } from './lib/replay-scripts.js';
import { runExample } from './lib/run-example.js';

let replay: ReplayServer;
beforeEach(async () => {
  replay = await createReplayServer();
});
afterEach(async () => {
  await replay.close();
});

describe('mcp-filesystem.ts', () => {
  it('lists the folder and reads the notes through the filesystem server, then answers', async () => {
    replay.enqueue(...MCP_FILESYSTEM_REPLIES.map((reply) => replyScript(reply)));
    const run = await runExample('mcp-filesystem.ts', { replayURL: replay.url });
    expect(run.stderr).toBe('');
    expect(run.exitCode).toBe(0);
    const lines = run.stdout.split('\n');
    expect(lines[0]).toMatch(/^\d+ tools; may change files: (fs_\w+, )*fs_write_file(, fs_\w+)*$/);
    expect(lines.slice(1)).toEqual([
      '→ fs_list_directory({"path":"."})',
      '← "[FILE] notes.txt"',
      '→ fs_read_text_file({"path":"notes.txt"})',
      '← "Buy milk.\\nCall Ada at 5.\\n"',
      'Your notes: buy milk, and call Ada at 5.',
      '3 steps',
      '',
    ]);
    // Only the read-only tools went to the model, and each result went back in the next request.
    const first = replay.requests[0]?.body as { tools: Array<{ function: { name: string } }> };
    expect(first.tools.map((tool) => tool.function.name)).not.toContain('fs_write_file');
    const third = replay.requests[2]?.body as { messages: Array<{ role: string; content: unknown }> };
    expect(
      third.messages.filter((message) => message.role === 'tool').map((message) => message.content),
    ).toEqual(['[FILE] notes.txt', 'Buy milk.\nCall Ada at 5.\n']);
  });
});
