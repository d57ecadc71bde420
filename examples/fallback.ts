// Fallbacks: when a model fails with a retryable error (overloaded, rate limit, 5xx, connection)
// before any output, and its retries are spent, the next model in the list answers.
import { createTokenwire } from '@tokenwire/core';

const tokenwire = createTokenwire({ retries: { maxRetries: 1, initialDelayMs: 250 } });
const stream = tokenwire.stream({
  model: ['anthropic/claude-haiku-4-5', 'openai/gpt-4.1-mini'], // tried in this order
  messages: [{ role: 'user', content: 'Say hello in French, in five words or fewer.' }],
});

for await (const event of stream) {
  if (event.type === 'start') console.log(`answered by ${event.provider}/${event.model}`);
  if (event.type === 'token') process.stdout.write(event.content);
  if (event.type === 'finish') console.log(`\n${event.reason}, ${event.usage.outputTokens} tokens`);
  if (event.type === 'error') console.log(`every model failed: ${event.error.code}: ${event.error.message}`);
}
