// An agent: tools with `execute` and zod schemas, run by tokenwire between the model's steps, in
// one stream; then the conversation goes on from `finish.messages` on the same or another provider.
// Run: pnpm example agent [--live]; TOKENWIRE_MODEL=anthropic/claude-haiku-4-5 (google/…, ollama/…) swaps
import { createTokenwire, type Message, tool } from '@tokenwire/core';
import { z } from 'zod';

const weather = tool({
  name: 'get_weather',
  description: 'The current weather in a city.',
  parameters: z.object({ city: z.string() }),
  // The input is checked against the schema first, and typed by it. The signal aborts on cancel,
  // break or the total timeout: pass it on to what you call (fetch, a database client).
  execute: async ({ city }, { signal }) => {
    signal.throwIfAborted();
    const temperatures: Record<string, number> = { Paris: 21, Rome: 26 };
    return { city, temperature: temperatures[city] ?? 18, sky: 'sunny' };
  },
});

const tokenwire = createTokenwire();
const model = process.env.TOKENWIRE_MODEL ?? 'openai/gpt-4.1-mini';
const messages: Message[] = [{ role: 'user', content: 'Is it warmer in Paris or in Rome right now?' }];
const controller = new AbortController();
process.once('SIGINT', () => controller.abort()); // Ctrl-C: the running tool is aborted, what arrived is kept

const stream = tokenwire.stream({
  model,
  messages,
  tools: [weather],
  maxSteps: 5, // at most five model requests; the default is 10
  signal: controller.signal,
  timeouts: { totalMs: 60_000 }, // covers every step and every tool
});
for await (const event of stream) {
  if (event.type === 'step_start') console.log(`[step ${event.step}: ${event.provider}/${event.model}]`);
  if (event.type === 'tool_call_complete') console.log(`→ ${event.name}(${event.arguments})`);
  if (event.type === 'tool_result')
    console.log(`← ${JSON.stringify(event.output)}${event.isError ? ' (error)' : ''}`);
  if (event.type === 'token') process.stdout.write(event.content);
}
const finish = await stream.result(); // rejects with the TokenwireError if a step failed
console.log(`\n${finish.steps?.length} steps, ${finish.usage.totalTokens} tokens in all, ${finish.reason}`);

// The turns and the tool results, ready to send to any provider: the conversation goes on.
messages.push(...finish.messages, { role: 'user', content: 'Thanks! One word: which city?' });
const next = await tokenwire.stream({ model, messages }).result();
console.log(next.content);
