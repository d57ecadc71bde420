// Claude on Google Vertex AI through `@anthropic-ai/vertex-sdk`: Anthropic's own wire with Google auth.
// Run with Google credentials: pnpm example anthropic/vertex --live (offline: examples/anthropic-cloud.test.ts)
import { AnthropicVertex } from '@anthropic-ai/vertex-sdk';
import { createAnthropicAdapter } from '@tokenwire/anthropic';
import { createTokenwire } from '@tokenwire/core';
import { OAuth2Client } from 'google-auth-library';

// Application Default Credentials by default; GOOGLE_ACCESS_TOKEN (`gcloud auth print-access-token`) instead, if set.
// CLOUD_ML_REGION, ANTHROPIC_VERTEX_PROJECT_ID and ANTHROPIC_VERTEX_BASE_URL are read by the SDK.
const token = process.env.GOOGLE_ACCESS_TOKEN;
const authClient = token === undefined ? undefined : new OAuth2Client();
authClient?.setCredentials({ access_token: token, expiry_date: Date.now() + 3_600_000 });
const client = new AnthropicVertex({
  region: process.env.CLOUD_ML_REGION ?? 'us-east5',
  ...(authClient && { authClient }),
});

const tokenwire = createTokenwire({
  providers: { claude: createAnthropicAdapter({ client, provider: 'claude-vertex' }) },
});

const stream = tokenwire.stream({
  model: 'claude/claude-haiku-4-5@20251001', // Vertex's model id
  messages: [{ role: 'user', content: 'Why is the sky blue? One short paragraph.' }],
  maxTokens: 300,
});

for await (const event of stream) {
  if (event.type === 'token') process.stdout.write(event.content);
  if (event.type === 'finish') {
    console.log(`\n[${event.reason}] ${event.usage.inputTokens} tokens in, ${event.usage.outputTokens} out`);
  }
  if (event.type === 'error') console.error(`\n[${event.error.code}] ${event.error.message}`);
}
