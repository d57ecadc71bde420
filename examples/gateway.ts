// The gateway: OpenAI Chat Completions, Anthropic Messages and OpenAI Responses in, any provider out.
// Here the provider is tokenwire's replay server (no keys, no network) and the clients are the real
// openai and anthropic SDKs, each asking in its own dialect for a model served by the other vendor.
// Run: pnpm example gateway
import Anthropic from '@anthropic-ai/sdk';
import { createTokenwire } from '@tokenwire/core';
import { createGateway } from '@tokenwire/gateway';
import { anthropicScenarios, createReplayServer, openaiChatScenarios } from '@tokenwire/testing';
import OpenAI from 'openai';

const upstream = await createReplayServer();
const tokenwire = createTokenwire({
  providers: {
    openai: { apiKey: 'replay-key', baseURL: `${upstream.url}/v1` },
    anthropic: { apiKey: 'replay-key', baseURL: upstream.url },
  },
});
const gateway = createGateway({ tokenwire, models: { 'gpt-4o': 'anthropic/claude-opus-4-7' } });
const server = await gateway.listen({ port: 0 }); // no auth: loopback only

upstream.enqueue({ payloads: anthropicScenarios.text.payloads });
const openai = new OpenAI({ baseURL: `${server.url}/v1`, apiKey: 'any' });
const stream = await openai.chat.completions.create({
  model: 'gpt-4o', // Claude, through the alias
  messages: [{ role: 'user', content: 'Say hello' }],
  stream: true,
  stream_options: { include_usage: true },
});
for await (const chunk of stream) {
  process.stdout.write(chunk.choices[0]?.delta.content ?? '');
  if (chunk.usage) console.log(`\n[chat → anthropic] ${chunk.usage.total_tokens} tokens`);
}

upstream.enqueue({ payloads: openaiChatScenarios.text.payloads });
const anthropic = new Anthropic({ baseURL: server.url, apiKey: 'any' });
const message = await anthropic.messages
  .stream({ model: 'openai/gpt-4.1', max_tokens: 64, messages: [{ role: 'user', content: 'Say hello' }] })
  .on('text', (text) => process.stdout.write(text))
  .finalMessage();
console.log(
  `\n[messages → openai] stop_reason ${message.stop_reason}, ${message.usage.output_tokens} output tokens`,
);

await server.close();
await upstream.close();
