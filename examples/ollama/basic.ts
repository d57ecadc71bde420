// A local model through the official `ollama` client. No key: start Ollama and `ollama pull qwen3`.
// Run: pnpm example ollama/basic (offline), or pnpm example ollama/basic --live (OLLAMA_HOST: another server)
import { createTokenwire } from '@tokenwire/core';
import { createOllamaAdapter } from '@tokenwire/ollama';

// The host defaults to OLLAMA_HOST, then http://127.0.0.1:11434. keepAlive keeps the model loaded.
const tokenwire = createTokenwire({ providers: { ollama: createOllamaAdapter({ keepAlive: '10m' }) } });

const stream = tokenwire.stream({
  model: 'ollama/qwen3',
  messages: [
    { role: 'system', content: 'Answer in one short paragraph.' },
    { role: 'user', content: 'Why is the sky blue?' },
  ],
  maxTokens: 300, // sent as options.num_predict
  timeouts: { firstTokenMs: 120_000 }, // loading a model can take a while
});

for await (const event of stream) {
  if (event.type === 'reasoning') process.stdout.write(`\x1b[2m${event.content}\x1b[0m`); // thinking models
  if (event.type === 'token') process.stdout.write(event.content);
  if (event.type === 'finish') {
    console.log(`\n[${event.reason}] ${event.usage.inputTokens} tokens in, ${event.usage.outputTokens} out`);
  }
  if (event.type === 'error') console.error(`\n[${event.error.code}] ${event.error.message}`);
}
