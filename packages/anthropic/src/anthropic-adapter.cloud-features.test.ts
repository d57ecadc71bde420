import { AnthropicBedrock } from '@anthropic-ai/bedrock-sdk';
import { AnthropicVertex } from '@anthropic-ai/vertex-sdk';
import { createTokenwire, type FinishEvent } from '@tokenwire/core';
import { collect, findInvariantViolations } from '@tokenwire/testing';
import { useReplayServer } from '@tokenwire/testing/conformance';
import { OAuth2Client } from 'google-auth-library';
import { describe, expect, it } from 'vitest';
import { createAnthropicAdapter } from './anthropic-adapter.js';
import type { AnthropicMessagesClient } from './anthropic-client.js';
import { compactionBlock, compactionEvents } from './anthropic-compaction.test-helpers.js';

// Claude's own wire features through the cloud clients: prompt-cache breakpoints and the beta
// header go out in the body Bedrock and Vertex take, and a compaction block streams back whole.
const server = useReplayServer();

const clients: Array<[string, (url: string) => AnthropicMessagesClient]> = [
  [
    'AnthropicBedrock',
    (url) =>
      new AnthropicBedrock({
        baseURL: url,
        awsRegion: 'us-east-1',
        awsAccessKey: 'AKIAIOSFODNN7EXAMPLE',
        awsSecretKey: 'cloud-features-secret-key-0123456789',
      }),
  ],
  [
    'AnthropicVertex',
    (url) => {
      const authClient = new OAuth2Client();
      authClient.setCredentials({ access_token: 'ya29.cloud-features', expiry_date: Date.now() + 3_600_000 });
      return new AnthropicVertex({ baseURL: `${url}/v1`, region: 'global', projectId: 'p', authClient });
    },
  ],
];

describe.each(clients)('Claude through %s', (_name, clientOf) => {
  it('sends cache control and the beta (in the body on Bedrock, as a header on Vertex), and keeps the compaction block', async () => {
    server.enqueue({ payloads: compactionEvents() });
    const adapter = createAnthropicAdapter({ client: clientOf(server.url), provider: 'claude-cloud' });
    const tokenwire = createTokenwire({ providers: { claude: adapter }, retries: 0 });
    const events = await collect(
      tokenwire.stream({
        model: 'claude/claude-sonnet-4-5',
        messages: [
          { role: 'system', content: 'You reconcile invoices.' },
          { role: 'user', content: 'Where are we?' },
        ],
        headers: { 'anthropic-beta': 'compact-2026-01-12' },
        providerOptions: { anthropic: { cacheControl: { system: true } } },
      }),
    );
    expect(findInvariantViolations(events)).toEqual([]);
    const finish = events.at(-1) as FinishEvent;
    expect(finish.reasoningParts).toEqual([{ text: '', providerBlock: compactionBlock }]);
    const body = server.requests[0]?.body as Record<string, unknown>;
    expect(body.system).toEqual([
      { type: 'text', text: 'You reconcile invoices.', cache_control: { type: 'ephemeral' } },
    ]);
    // Bedrock takes betas in the body (the client moves the header there); Vertex as the header.
    expect(String(body.anthropic_beta ?? server.requests[0]?.headers['anthropic-beta'])).toBe(
      'compact-2026-01-12',
    );
    expect(body.model).toBeUndefined(); // in the path
    expect(server.requests[0]?.path).toContain('claude-sonnet-4-5');
  });
});
