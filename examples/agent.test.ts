import { createReplayServer, type ReplayServer } from '@tokenwire/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AGENT_REPLIES, replyScript } from './lib/replay-scripts.js';
import { runExample } from './lib/run-example.js';

let replay: ReplayServer;
beforeEach(async () => {
  replay = await createReplayServer();
});
afterEach(async () => {
  await replay.close();
});

describe('agent.ts', () => {
  it('runs both weather calls, streams the answer in the same stream and goes on from finish.messages', async () => {
    replay.enqueue(...AGENT_REPLIES.map((reply) => replyScript(reply)));
    const run = await runExample('agent.ts', {
      replayURL: replay.url,
      environment: { TOKENWIRE_MODEL: 'anthropic/claude-haiku-4-5' },
    });
    expect(run.stderr).toBe('');
    const [steps, summary, ...rest] = run.stdout.split('\n').slice(-4);
    expect(run.stdout.split('\n').slice(0, 6)).toEqual([
      '[step 1: anthropic/claude-haiku-4-5]',
      '→ get_weather({"city":"Paris"})',
      '→ get_weather({"city":"Rome"})',
      '← {"city":"Paris","temperature":21,"sky":"sunny"}',
      '← {"city":"Rome","temperature":26,"sky":"sunny"}',
      '[step 2: anthropic/claude-haiku-4-5]',
    ]);
    expect(steps).toBe('Rome is warmer: 26 °C against 21 °C in Paris.');
    expect(summary).toMatch(/^2 steps, \d+ tokens in all, stop$/);
    expect(rest).toEqual(['Rome.', '']);

    // Step two sent both results as tool_result blocks; the follow-up replayed the whole exchange.
    const second = replay.requests[1]?.body as { messages: Array<{ role: string; content: unknown }> };
    expect(JSON.stringify(second.messages.at(-1))).toContain('"tool_use_id":"call_rome"');
    const third = replay.requests[2]?.body as { messages: unknown[] };
    expect(third.messages).toHaveLength(5); // question, call turn, results, answer, follow-up
  });
});
