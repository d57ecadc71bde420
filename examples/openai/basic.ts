// OpenAI through the official `openai` SDK, with a client you configure as usual.
// Run: pnpm example openai/basic (offline), or OPENAI_API_KEY=sk-… pnpm example openai/basic --live
import { createTokenwire } from '@tokenwire/core';
import { createOpenAIAdapter } from '@tokenwire/openai';
import OpenAI from 'openai';

// Reads OPENAI_API_KEY and OPENAI_BASE_URL. tokenwire sends each request with the SDK's retries
// off (its runtime retries) and with an abort signal, so cancelling closes the connection.
const client = new OpenAI();
// `api: 'responses'` streams from the Responses API instead of Chat Completions.
const tokenwire = createTokenwire({ providers: { openai: createOpenAIAdapter({ client, api: 'chat' }) } });

const stream = tokenwire.stream({
  model: 'openai/gpt-4.1-mini',
  messages: [
    { role: 'system', content: 'Answer in one short paragraph.' },
    { role: 'user', content: 'Why is the sky blue?' },
  ],
  maxTokens: 300,
});

for await (const event of stream) {
  if (event.type === 'token') process.stdout.write(event.content);
  if (event.type === 'finish') {
    console.log(`\n[${event.reason}] ${event.usage.inputTokens} tokens in, ${event.usage.outputTokens} out`);
  }
  if (event.type === 'error') console.error(`\n[${event.error.code}] ${event.error.message}`);
}
