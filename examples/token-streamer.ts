// The Python seed's TokenStreamer, ported: same constructor, methods and chunk fields.
// Run: pnpm example token-streamer (offline), or with OPENAI_API_KEY set: pnpm example token-streamer --live
import { type Message, TokenStreamer, type Tool } from '@tokenwire/core';

const streamer = new TokenStreamer({
  model: process.env.TOKENWIRE_MODEL ?? 'openai/gpt-4.1-mini',
  onToken: (chunk) => process.stdout.write(chunk.content),
});

const messages: Message[] = [{ role: 'user', content: 'Explain server-sent events in two sentences.' }];
for await (const chunk of streamer.streamCompletion(messages, { maxTokens: 300 })) {
  // onToken printed the text; the last chunk carries the finish reason and no content
  if (chunk.finishReason !== null) console.log(`\n[${chunk.finishReason}, ~${chunk.totalTokens} tokens]`);
}
console.log(`accumulatedContent: ${streamer.accumulatedContent.length} characters`);

const tools: Tool[] = [
  {
    name: 'get_weather',
    description: 'The current weather in a city.',
    parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
  },
];
const question: Message[] = [{ role: 'user', content: 'What is the weather in Paris?' }];
for await (const event of streamer.streamWithTools(question, tools)) {
  if (event.type === 'tool_call_complete') console.log(`\ntool call: ${event.name}(${event.arguments})`);
  if (event.type === 'finish') console.log(`finish: ${event.reason}, ${event.usage.outputTokens} tokens`);
  if (event.type === 'error') console.log(`error: ${event.error.code}: ${event.error.message}`);
}
streamer.reset(); // forget the accumulated content, as in the seed
