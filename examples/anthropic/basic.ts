// Claude through the official `@anthropic-ai/sdk`, with a client you configure as usual.
// Run: pnpm example anthropic/basic (offline), or ANTHROPIC_API_KEY=… pnpm example anthropic/basic --live
import Anthropic from '@anthropic-ai/sdk';
import { createAnthropicAdapter } from '@tokenwire/anthropic';
import { createTokenwire } from '@tokenwire/core';

// Reads ANTHROPIC_API_KEY and ANTHROPIC_BASE_URL. tokenwire turns the SDK's retries off per request.
const client = new Anthropic();
const tokenwire = createTokenwire({ providers: { anthropic: createAnthropicAdapter({ client }) } });

const stream = tokenwire.stream({
  model: 'anthropic/claude-haiku-4-5',
  messages: [
    { role: 'system', content: 'Answer in one short paragraph.' }, // sent as Anthropic's `system`
    { role: 'user', content: 'Why is the sky blue?' },
  ],
  maxTokens: 300, // Anthropic requires max_tokens; the adapter's default is 4096
});

for await (const event of stream) {
  if (event.type === 'start') console.log(`[${event.provider}/${event.model}]`);
  if (event.type === 'token') process.stdout.write(event.content);
  if (event.type === 'finish') {
    console.log(`\n[${event.reason}] ${event.usage.inputTokens} tokens in, ${event.usage.outputTokens} out`);
  }
  if (event.type === 'error') console.error(`\n[${event.error.code}] ${event.error.message}`);
}
