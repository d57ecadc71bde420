// Swap providers by configuration: a JSON file chooses the model and the providers' settings; the
// code never names a provider. Run: pnpm example swap-by-config [--live] [config.json]
// (default: swap-by-config.json beside this file; try changing its "model" to "anthropic/claude-haiku-4-5").
import { readFile } from 'node:fs/promises';
import { createTokenwire, type TokenwireConfig } from '@tokenwire/core';

interface AppConfig extends TokenwireConfig {
  model: string | string[]; // 'provider/model', or several for fallbacks
}

const path = process.argv[2] ?? new URL('./swap-by-config.json', import.meta.url);
const { model, ...config }: AppConfig = JSON.parse(await readFile(path, 'utf8'));
// Keys stay in the environment (OPENAI_API_KEY, ANTHROPIC_API_KEY, …), never in the file.
const tokenwire = createTokenwire(config);

const stream = tokenwire.stream({ model, messages: [{ role: 'user', content: 'Name three colours.' }] });
for await (const event of stream) {
  if (event.type === 'start') console.log(`${event.provider}/${event.model}:`);
  if (event.type === 'token') process.stdout.write(event.content);
  if (event.type === 'finish') console.log(`\n[${event.reason}]`);
  if (event.type === 'error') console.log(`[${event.error.code}] ${event.error.message}`);
}
