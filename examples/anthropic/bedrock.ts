// Claude on AWS Bedrock through `@anthropic-ai/bedrock-sdk`: Anthropic's own wire (thinking
// signatures, cache control, compaction, betas) with AWS auth. For every other Bedrock model, see bedrock/basic.ts.
// Run with AWS credentials: pnpm example anthropic/bedrock --live (offline: examples/anthropic-cloud.test.ts)
import { AnthropicBedrock } from '@anthropic-ai/bedrock-sdk';
import { createAnthropicAdapter } from '@tokenwire/anthropic';
import { createTokenwire } from '@tokenwire/core';

// Signs with the AWS default chain (AWS_PROFILE, AWS_ACCESS_KEY_ID, …); ANTHROPIC_BEDROCK_BASE_URL overrides the endpoint.
const client = new AnthropicBedrock({ awsRegion: process.env.AWS_REGION ?? 'us-east-1' });
const tokenwire = createTokenwire({
  providers: { claude: createAnthropicAdapter({ client, provider: 'claude-bedrock' }) },
});

const stream = tokenwire.stream({
  model: 'claude/us.anthropic.claude-haiku-4-5-20251001-v1:0', // a Bedrock model id or inference profile
  messages: [
    { role: 'system', content: 'Answer in one short paragraph.' },
    { role: 'user', content: 'Why is the sky blue?' },
  ],
  maxTokens: 300,
  providerOptions: { anthropic: { cacheControl: { system: true } } }, // a prompt-cache breakpoint, as on Anthropic's API
});

for await (const event of stream) {
  if (event.type === 'token') process.stdout.write(event.content);
  if (event.type === 'finish') {
    console.log(`\n[${event.reason}] ${event.usage.inputTokens} tokens in, ${event.usage.outputTokens} out`);
  }
  if (event.type === 'error') console.error(`\n[${event.error.code}] ${event.error.message}`);
}
