import { createReplayServer, type ReplayServer } from '@tokenwire/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { replyScript } from './lib/replay-scripts.js';
import { runExample } from './lib/run-example.js';

// A closed port, so that an Ollama running on the developer's machine does not turn a row live.
const noOllama = { OLLAMA_HOST: 'http://127.0.0.1:9' };
const fast = ['--replay-delay', '0'];

describe('demo.ts', () => {
  it('streams the tool conversation through all four providers from the replay server', async () => {
    const run = await runExample('demo.ts', { environment: noOllama, args: fast, timeoutMs: 40_000 });
    expect(run.stderr).toBe('');
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toContain(
      'Streaming openai, anthropic, google, ollama from the embedded replay server',
    );
    for (const model of ['openai/gpt-4.1-mini', 'anthropic/claude-haiku-4-5', 'google/gemini-2.5-flash']) {
      expect(run.stdout).toContain(`━━ ${model}  (replay server: no `);
    }
    expect(run.stdout).toContain('━━ ollama/qwen3  (replay server: no Ollama server at http://127.0.0.1:9)');
    expect(run.stdout.match(/→ tool call {3}get_weather\({"city":"Paris"}\)/g)).toHaveLength(4);
    expect(run.stdout.match(/← tool result {"city":"Paris","temperature":21,"sky":"sunny"}/g)).toHaveLength(
      4,
    );
    expect(run.stdout.match(/^assistant: It is 21 °C and sunny in Paris\.$/gm)).toHaveLength(4);
    expect(run.stdout).toContain('assistant: I will look up the weather in Paris.\n  → tool call');
    const table = run.stdout.slice(run.stdout.indexOf('provider   model'));
    expect(table).toMatch(/^openai {5}gpt-4\.1-mini {6}replay +\d+ ms +12 +17 +tool_calls → stop +\d+ ms$/m);
    expect(table).toMatch(
      /^anthropic +claude-haiku-4-5 +replay +\d+ ms +20 +26 +tool_calls → stop +\d+ ms$/m,
    );
    expect(table).toMatch(/^google +gemini-2\.5-flash +replay +\d+ ms +9 +17 +tool_calls → stop +\d+ ms$/m);
    expect(table).toMatch(/^ollama +qwen3 +replay +\d+ ms +9 +17 +tool_calls → stop +\d+ ms$/m);
  });

  it('rejects an unknown --provider with the usage line', async () => {
    const run = await runExample('demo.ts', { args: ['--provider', 'mistral'] });
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toContain(
      "Unknown provider 'mistral'.\nusage: pnpm demo [--provider openai|anthropic|google|ollama]",
    );
  });

  describe('with a key set', () => {
    let replay: ReplayServer;
    beforeEach(async () => {
      replay = await createReplayServer();
    });
    afterEach(async () => {
      await replay.close();
    });

    it('uses the real provider for that row (here a stand-in at OPENAI_BASE_URL), and only that row with --provider', async () => {
      replay.enqueue(
        replyScript({
          toolCalls: [{ id: 'call_1', name: 'get_weather', arguments: '{"city":"Paris"}' }],
        }),
        replyScript({ text: 'Sunny, 21 °C.' }),
      );
      const environment = {
        ...noOllama,
        OPENAI_API_KEY: 'sk-demo-test-key',
        OPENAI_BASE_URL: `${replay.url}/v1`,
      };
      const run = await runExample('demo.ts', { environment, args: ['--provider', 'openai'] });
      expect(run.stderr).toBe('');
      expect(run.stdout).toContain('━━ openai/gpt-4.1-mini  (live: OPENAI_API_KEY is set)');
      expect(run.stdout).not.toContain('replay server');
      expect(run.stdout).not.toContain('sk-demo-test-key');
      expect(run.stdout).toMatch(
        /^openai +gpt-4\.1-mini +live +\d+ ms +\d+ +\d+ +tool_calls → stop +\d+ ms$/m,
      );
      expect(run.stdout).not.toMatch(/^anthropic /m);
      expect(replay.requests.map((request) => request.headers.authorization)).toEqual([
        'Bearer sk-demo-test-key',
        'Bearer sk-demo-test-key',
      ]);
    });
  });
});
