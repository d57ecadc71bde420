import { describe, expect, it } from 'vitest';
import { runExample } from './lib/run-example.js';

describe('gateway.ts', () => {
  it('serves the openai SDK from Anthropic and the anthropic SDK from OpenAI, with no keys', async () => {
    const run = await runExample('gateway.ts', {});
    expect(run.stderr).toBe('');
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toBe(
      'Hello, world!\n[chat → anthropic] 16 tokens\n' +
        'Hello, world!\n[messages → openai] stop_reason end_turn, 4 output tokens\n',
    );
  });
});
