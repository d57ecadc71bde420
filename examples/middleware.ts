// Middleware around every adapter: a logger, and an in-memory cache that answers a repeated
// request without calling the provider.
// Run: pnpm example middleware [--live]; TOKENWIRE_MODEL=anthropic/claude-haiku-4-5 (google/…, ollama/…) swaps
import { createTokenwire, type Middleware } from '@tokenwire/core';
import type { AdapterDelta } from '@tokenwire/core/adapter';

const logger: Middleware = {
  async *wrapStream({ request, provider, next }) {
    const started = performance.now();
    let pieces = 0;
    for await (const delta of next()) {
      if (delta.type === 'text') pieces++;
      yield delta;
    }
    const ms = Math.round(performance.now() - started);
    console.log(
      `[log] ${provider}/${request.model}: ${request.messages.length} message(s) → ${pieces} text pieces in ${ms} ms`,
    );
  },
};

const answers = new Map<string, AdapterDelta[]>();
const cache: Middleware = {
  async *wrapStream({ request, next }) {
    const { signal: _signal, ...key } = request as typeof request & { signal?: unknown };
    const hit = answers.get(JSON.stringify(key));
    if (hit !== undefined) return yield* hit; // no provider call
    const recorded: AdapterDelta[] = [];
    for await (const delta of next()) yield recorded[recorded.push(delta) - 1] as AdapterDelta;
    if (recorded.some((delta) => delta.type === 'finish')) answers.set(JSON.stringify(key), recorded);
  },
};

// The cache is inside the logger: a cached answer is logged too, and costs no request.
const tokenwire = createTokenwire({ middleware: [logger, cache] });
const model = process.env.TOKENWIRE_MODEL ?? 'openai/gpt-4.1-mini';
for (let ask = 1; ask <= 2; ask++) {
  const finish = await tokenwire
    .stream({ model, messages: [{ role: 'user', content: 'Name a primary color.' }] })
    .result();
  console.log(`answer ${ask}: ${finish.content}`);
}
