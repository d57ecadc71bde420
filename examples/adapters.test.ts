import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createReplayServer, type ReplayServer } from '@tokenwire/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PROTOCOL_OF_PROVIDER, PROVIDERS } from './lib/replay-environment.js';
import { replyScript } from './lib/replay-scripts.js';
import { runExample } from './lib/run-example.js';

let replay: ReplayServer;
beforeEach(async () => {
  replay = await createReplayServer();
});
afterEach(async () => {
  await replay.close();
});

describe.each(PROVIDERS)('%s/basic.ts', (provider) => {
  it('streams the answer through the vendor SDK and prints the usage', async () => {
    const answer = 'Air scatters blue light more than red light.';
    replay.enqueue(replyScript({ text: answer }));
    const run = await runExample(`${provider}/basic.ts`, { replayURL: replay.url });
    expect(run.stderr).toBe('');
    expect(run.stdout).toContain(`${answer}\n[stop] 64 tokens in, 11 out\n`);
    expect(replay.requests.map((request) => request.protocol)).toEqual([PROTOCOL_OF_PROVIDER[provider]]);
  });
});

describe('swap-by-config.ts', () => {
  it('streams from the provider its default config file names', async () => {
    replay.enqueue(replyScript({ text: 'Red, green and blue.' }));
    const run = await runExample('swap-by-config.ts', { replayURL: replay.url });
    expect(run.stderr).toBe('');
    expect(run.stdout).toBe('openai/gpt-4.1-mini:\nRed, green and blue.\n[stop]\n');
  });

  const endpointSettings = {
    openai: (url: string) => ({ baseURL: `${url}/v1`, apiKey: 'replay-key' }),
    anthropic: (url: string) => ({ baseURL: url, apiKey: 'replay-key' }),
    google: (url: string) => ({ baseURL: url, apiKey: 'replay-key' }),
    ollama: (url: string) => ({ host: url }),
  };
  it.each(PROVIDERS)('swaps to %s by changing only the config file', async (provider) => {
    const directory = await mkdtemp(join(tmpdir(), 'tokenwire-config-'));
    const configPath = join(directory, 'config.json');
    const config = {
      model: `${provider}/some-model`,
      providers: { [provider]: endpointSettings[provider](replay.url) },
    };
    await writeFile(configPath, JSON.stringify(config));
    replay.enqueue(replyScript({ text: 'Red, green and blue.' }));
    // No replay environment: the file alone says where to go.
    const run = await runExample('swap-by-config.ts', { args: [configPath] });
    expect(run.stderr).toBe('');
    expect(run.stdout).toBe(`${provider}/some-model:\nRed, green and blue.\n[stop]\n`);
    expect(replay.requests.map((request) => request.protocol)).toEqual([PROTOCOL_OF_PROVIDER[provider]]);
  });
});
