import { createReplayServer, type ReplayServer, replyPayloads } from '@tokenwire/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runExample } from './lib/run-example.js';

let replay: ReplayServer;
beforeEach(async () => {
  replay = await createReplayServer();
});
afterEach(async () => {
  await replay.close();
});

// Each cloud SDK pointed at the replay server by its own environment variables, with placeholder credentials.
const environments: Record<string, (url: string) => Record<string, string>> = {
  'anthropic/bedrock.ts': (url) => ({
    ANTHROPIC_BEDROCK_BASE_URL: url,
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'AKIAIOSFODNN7EXAMPLE',
    AWS_SECRET_ACCESS_KEY: 'replay-secret-access-key',
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
  }),
  'anthropic/vertex.ts': (url) => ({
    ANTHROPIC_VERTEX_BASE_URL: `${url}/v1`,
    ANTHROPIC_VERTEX_PROJECT_ID: 'replay-project',
    CLOUD_ML_REGION: 'us-east5',
    GOOGLE_ACCESS_TOKEN: 'ya29.replay-access-token',
  }),
};
const PROTOCOLS: Record<string, string> = {
  'anthropic/bedrock.ts': 'bedrock-invoke',
  'anthropic/vertex.ts': 'vertex-anthropic',
};

describe.each(Object.keys(environments))('%s', (file) => {
  it('streams the answer through the cloud SDK and prints the usage', async () => {
    const answer = 'Air scatters blue light more than red light.';
    replay.enqueue({ payloads: replyPayloads('anthropic', { text: answer }) });
    const run = await runExample(file, { environment: environments[file]?.(replay.url) ?? {} });
    expect(run.stderr).toBe('');
    expect(run.stdout).toBe(`${answer}\n[stop] 64 tokens in, 11 out\n`);
    expect(replay.requests.map((request) => request.protocol)).toEqual([PROTOCOLS[file]]);
  });
});
