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

const answer = 'Air scatters blue light more than red light.';

describe('observability.ts', () => {
  it('prints the answer, then its chat span with the GenAI attributes', async () => {
    replay.enqueue(replyScript({ text: answer }));
    const run = await runExample('observability.ts', { replayURL: replay.url });
    expect(run.stderr).toBe('');
    expect(run.exitCode).toBe(0);
    expect(run.stdout.startsWith(`${answer}\n\n`)).toBe(true);
    expect(run.stdout).toContain("name: 'chat gpt-4.1-mini'");
    expect(run.stdout).toContain("instrumentationScope: { name: '@tokenwire/otel'");
    for (const attribute of [
      "'gen_ai.operation.name': 'chat'",
      "'gen_ai.provider.name': 'openai'",
      "'gen_ai.request.model': 'gpt-4.1-mini'",
      "'gen_ai.request.max_tokens': 100",
      "'gen_ai.response.model': 'gpt-4.1-mini'",
      "'gen_ai.response.finish_reasons': [ 'stop' ]",
      "'gen_ai.usage.input_tokens': 64",
    ]) {
      expect(run.stdout).toContain(attribute);
    }
    // Content is opt-in: the example does not ask for it.
    expect(run.stdout).not.toContain('gen_ai.input.messages');
  });

  it("names Anthropic's provider as the convention does", async () => {
    replay.enqueue(replyScript({ text: answer }));
    const run = await runExample('observability.ts', {
      replayURL: replay.url,
      environment: { TOKENWIRE_MODEL: 'anthropic/claude-haiku-4-5' },
    });
    expect(run.stderr).toBe('');
    expect(run.stdout).toContain("name: 'chat claude-haiku-4-5'");
    expect(run.stdout).toContain("'gen_ai.provider.name': 'anthropic'");
  });
});
