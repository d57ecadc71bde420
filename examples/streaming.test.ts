import { createReplayServer, type ReplayServer } from '@tokenwire/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PARIS_WEATHER_CALL, replyScript } from './lib/replay-scripts.js';
import { runExample } from './lib/run-example.js';

let replay: ReplayServer;
beforeEach(async () => {
  replay = await createReplayServer();
});
afterEach(async () => {
  await replay.close();
});

const claude = { TOKENWIRE_MODEL: 'anthropic/claude-haiku-4-5' };
const counting = Array.from({ length: 40 }, (_, index) => `${index + 1}\n`).join('');

describe('token-streamer.ts', () => {
  it('streams the completion, then a tool call, with the seed API', async () => {
    replay.enqueue(
      replyScript({ text: 'Server-sent events push text over one HTTP response.' }),
      replyScript({ toolCalls: [PARIS_WEATHER_CALL] }),
    );
    const run = await runExample('token-streamer.ts', { replayURL: replay.url, environment: claude });
    expect(run.stderr).toBe('');
    expect(run.stdout).toContain('Server-sent events push text over one HTTP response.\n[stop, ~');
    expect(run.stdout).toContain('accumulatedContent: 52 characters');
    expect(run.stdout).toContain('tool call: get_weather({"city":"Paris"})\nfinish: tool_calls, 9 tokens');
    expect(replay.requests[0]?.body).toMatchObject({ max_tokens: 300 });
  });
});

describe('cancel-and-timeouts.ts', () => {
  it('cancels with cancel(), an AbortSignal and break, and times out an idle stream', async () => {
    replay.enqueue(
      replyScript({ text: counting }, { stallAfter: 20 }),
      replyScript({ text: counting }, { stallAfter: 6 }),
      replyScript({ text: counting }, { stallAfter: 6 }),
      replyScript({ text: counting }, { stallAfter: 6 }),
    );
    const run = await runExample('cancel-and-timeouts.ts', { replayURL: replay.url, environment: claude });
    expect(run.stderr).toBe('');
    expect(run.stdout.split('\n').filter(Boolean)).toEqual([
      'cancel(): cancelled, kept "1\\n2\\n3\\n4\\n5\\n6\\n7\\n8\\n9\\n10\\n"',
      'AbortSignal: cancelled after 8 characters',
      'break: the connection is closed',
      expect.stringMatching(/^timeout: .*idle/),
    ]);
    expect(replay.closedByClient).toBe(4);
  });
});

describe('fallback.ts', () => {
  it('falls back to the next model when the first stays overloaded', async () => {
    replay.enqueue({ status: 529 }, { status: 529 }, replyScript({ text: 'Bonjour tout le monde !' }));
    const run = await runExample('fallback.ts', { replayURL: replay.url });
    expect(run.stderr).toBe('');
    expect(run.stdout).toBe('answered by openai/gpt-4.1-mini\nBonjour tout le monde !\nstop, 6 tokens\n');
    expect(replay.requests.map((request) => request.protocol)).toEqual([
      'anthropic',
      'anthropic',
      'openai-chat',
    ]);
  });
});

describe('tools.ts', () => {
  it('runs the tool the model called, sends its result back and streams the answer', async () => {
    replay.enqueue(
      replyScript({ toolCalls: [PARIS_WEATHER_CALL] }),
      replyScript({ text: 'It is 21 °C and sunny in Paris.' }),
    );
    const run = await runExample('tools.ts', { replayURL: replay.url });
    expect(run.stderr).toBe('');
    expect(run.stdout).toBe(
      '→ get_weather({"city":"Paris"})\n' +
        '← {"city":"Paris","temperature":21,"sky":"sunny"}\n' +
        'It is 21 °C and sunny in Paris.\n(4 messages)\n',
    );
    const secondRequest = replay.requests[1]?.body as { messages: unknown[] };
    expect(secondRequest.messages.at(-1)).toEqual({
      role: 'tool',
      tool_call_id: 'call_weather_1',
      content: '{"city":"Paris","temperature":21,"sky":"sunny"}',
    });
  });
});
