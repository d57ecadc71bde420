import { createReplayServer, type ReplayServer } from '@tokenwire/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runExample } from './lib/run-example.js';

let replay: ReplayServer;
beforeEach(async () => {
  replay = await createReplayServer();
});
afterEach(async () => {
  await replay.close();
});

// The AWS SDK reads its endpoint and credentials from the environment, as a user points it at a
// VPC endpoint: AWS_ENDPOINT_URL_BEDROCK_RUNTIME and static placeholder keys.
const awsEnvironment = (url: string) => ({
  AWS_ENDPOINT_URL_BEDROCK_RUNTIME: url,
  AWS_ACCESS_KEY_ID: 'AKIAIOSFODNN7EXAMPLE',
  AWS_SECRET_ACCESS_KEY: 'replay-secret-access-key',
  // The SDK warns on Node 20 that its releases after January 2027 need Node 22.
  AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
});

describe('bedrock/basic.ts', () => {
  it('streams the answer through the AWS SDK and prints the usage', async () => {
    const words = ['Air ', 'scatters ', 'blue ', 'light ', 'more.'];
    replay.enqueue({
      payloads: [
        { messageStart: { role: 'assistant' } },
        ...words.map((text) => ({ contentBlockDelta: { contentBlockIndex: 0, delta: { text } } })),
        { contentBlockStop: { contentBlockIndex: 0 } },
        { messageStop: { stopReason: 'end_turn' } },
        {
          metadata: {
            usage: { inputTokens: 64, outputTokens: 11, totalTokens: 75 },
            metrics: { latencyMs: 9 },
          },
        },
      ],
    });
    const run = await runExample('bedrock/basic.ts', { environment: awsEnvironment(replay.url) });
    expect(run.stderr).toBe('');
    expect(run.stdout).toBe('Air scatters blue light more.\n[stop] 64 tokens in, 11 out\n');
    expect(replay.requests.map((request) => [request.protocol, request.path])).toEqual([
      [
        'bedrock-converse',
        `/model/${encodeURIComponent('us.anthropic.claude-haiku-4-5-20251001-v1:0')}/converse-stream`,
      ],
    ]);
  });
});
