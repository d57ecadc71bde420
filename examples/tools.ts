// A tool loop the caller runs: stream, run the tools the model called, send their results back,
// stream the answer. (To let tokenwire run them, give tools an `execute`: see agent.ts.)
// Run: pnpm example tools [--live]; TOKENWIRE_MODEL=anthropic/claude-haiku-4-5 (google/…, ollama/…) swaps
import { createTokenwire, type Message, type Tool } from '@tokenwire/core';

const tools: Tool[] = [
  {
    name: 'get_weather',
    description: 'The current weather in a city.',
    parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
  },
];
const runTool = (name: string, input: unknown) =>
  name === 'get_weather' ? { city: (input as { city: string }).city, temperature: 21, sky: 'sunny' } : {};

const tokenwire = createTokenwire();
const model = process.env.TOKENWIRE_MODEL ?? 'openai/gpt-4.1-mini';
const messages: Message[] = [{ role: 'user', content: 'What is the weather in Paris right now?' }];

for (let turn = 1; turn <= 5; turn++) {
  const stream = tokenwire.stream({ model, messages, tools });
  for await (const event of stream) {
    if (event.type === 'token') process.stdout.write(event.content);
    if (event.type === 'tool_call_complete') console.log(`→ ${event.name}(${event.arguments})`);
  }
  const finish = await stream.result(); // the finish event; rejects with the TokenwireError on failure
  // The assistant turn, with its tool calls and its signed reasoning (Claude and Gemini thinking
  // models require it back), ready for any provider.
  messages.push(...finish.messages);
  if (finish.reason !== 'tool_calls') break;
  for (const call of finish.toolCalls) {
    const result = runTool(call.name, call.input);
    console.log(`← ${JSON.stringify(result)}`);
    messages.push({ role: 'tool', toolCallId: call.id, content: JSON.stringify(result) });
  }
}
console.log(`\n(${messages.length} messages)`);
