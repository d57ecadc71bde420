import { AnthropicBedrock } from '@anthropic-ai/bedrock-sdk';
import { AnthropicVertex } from '@anthropic-ai/vertex-sdk';
import { anthropicBedrockScenarios, anthropicVertexScenarios } from '@tokenwire/testing';
import { describeAdapterConformance } from '@tokenwire/testing/conformance';
import { OAuth2Client } from 'google-auth-library';
import { createAnthropicAdapter } from './anthropic-adapter.js';

// The shared suite with Claude's cloud clients passed in, each the real SDK against the replay
// server: AnthropicBedrock signs with static fake AWS keys and reads InvokeModelWithResponseStream's
// AWS event-stream frames; AnthropicVertex authenticates with a google-auth-library OAuth2 client
// holding a fixed access token (no network), at Vertex's streamRawPredict path.

const bedrockClient = (baseURL: string) =>
  new AnthropicBedrock({
    baseURL,
    awsRegion: 'us-east-1',
    awsAccessKey: 'AKIAIOSFODNN7EXAMPLE',
    awsSecretKey: 'anthropic-bedrock-secret-key-0123456789',
    awsSessionToken: 'anthropic-bedrock-session-token-1a2b3c',
  });

function vertexClient(baseURL: string): AnthropicVertex {
  const authClient = new OAuth2Client();
  authClient.setCredentials({
    access_token: 'ya29.vertex-conformance-token',
    expiry_date: Date.now() + 3_600_000,
  });
  authClient.projectId = 'tokenwire-test';
  return new AnthropicVertex({
    baseURL: `${baseURL}/v1`,
    region: 'us-east5',
    projectId: 'tokenwire-test',
    authClient,
  });
}

for (const transport of ['sdk', 'direct'] as const) {
  describeAdapterConformance({
    name: `anthropic-bedrock-${transport}`,
    createAdapter: (baseURL) =>
      createAnthropicAdapter({
        client: bedrockClient(baseURL),
        provider: `anthropic-bedrock-${transport}`,
        transport,
      }),
    scenarios: anthropicBedrockScenarios,
  });

  describeAdapterConformance({
    name: `anthropic-vertex-${transport}`,
    createAdapter: (baseURL) =>
      createAnthropicAdapter({
        client: vertexClient(baseURL),
        provider: `anthropic-vertex-${transport}`,
        transport,
      }),
    scenarios: anthropicVertexScenarios,
  });
}
