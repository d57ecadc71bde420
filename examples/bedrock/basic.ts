// Any Bedrock model through the official `@aws-sdk/client-bedrock-runtime` (ConverseStream).
// Run with AWS credentials: pnpm example bedrock/basic --live. Offline, examples/bedrock.test.ts runs it
// against the replay server (AWS_ENDPOINT_URL_BEDROCK_RUNTIME points the SDK there).
import { createBedrockAdapter } from '@tokenwire/bedrock';
import { createTokenwire } from '@tokenwire/core';

// Region and credentials come from the AWS default chain (AWS_REGION, AWS_PROFILE, AWS_ACCESS_KEY_ID, …)
// unless given here. tokenwire turns the SDK's retries off and redacts every credential it sends.
const tokenwire = createTokenwire({ providers: { bedrock: createBedrockAdapter({ region: 'us-east-1' }) } });

const stream = tokenwire.stream({
  // A model id, an inference profile id (as here) or an ARN: everything after `bedrock/`.
  model: 'bedrock/us.anthropic.claude-haiku-4-5-20251001-v1:0',
  messages: [
    { role: 'system', content: 'Answer in one short paragraph.' }, // sent as Converse's `system`
    { role: 'user', content: 'Why is the sky blue?' },
  ],
  maxTokens: 300, // inferenceConfig.maxTokens
});

for await (const event of stream) {
  if (event.type === 'token') process.stdout.write(event.content);
  if (event.type === 'finish') {
    console.log(`\n[${event.reason}] ${event.usage.inputTokens} tokens in, ${event.usage.outputTokens} out`);
  }
  if (event.type === 'error') console.error(`\n[${event.error.code}] ${event.error.message}`);
}
