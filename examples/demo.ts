/**
 * The tokenwire demo: one conversation (a question that needs a tool call, the tool's result, the
 * answer) streamed through OpenAI, Anthropic, Gemini and Ollama; only the `provider/model` string
 * changes. Providers without a key (or, for Ollama, without a reachable server) stream from the
 * replay server of @tokenwire/testing, which speaks each vendor's wire protocol to its real SDK.
 *
 *   npx --yes pnpm@10 demo                      every provider
 *   npx --yes pnpm@10 demo --provider anthropic one of them
 *
 * Keys: OPENAI_API_KEY, ANTHROPIC_API_KEY, GEMINI_API_KEY (or GOOGLE_API_KEY); Ollama: OLLAMA_HOST.
 */
import { parseArgs } from 'node:util';
import { createTokenwire } from '@tokenwire/core';
import type { ProviderSettings } from '@tokenwire/core/adapter';
import { createReplayServer, type ReplayServer } from '@tokenwire/testing';
import { PROVIDERS, type Provider } from './lib/replay-environment.js';
import { replyScript } from './lib/replay-scripts.js';
import { formatSummaryTable, type SummaryRow } from './lib/summary-table.js';
import { QUESTION, runWeatherConversation } from './lib/weather-conversation.js';

const DEFAULT_MODELS: Record<Provider, string> = {
  openai: 'gpt-4.1-mini',
  anthropic: 'claude-haiku-4-5',
  google: 'gemini-2.5-flash',
  ollama: 'qwen3',
};
const KEY_VARIABLES: Record<Exclude<Provider, 'ollama'>, string[]> = {
  openai: ['OPENAI_API_KEY'],
  anthropic: ['ANTHROPIC_API_KEY'],
  google: ['GEMINI_API_KEY', 'GOOGLE_API_KEY'],
};

const { values: options } = parseArgs({
  options: {
    provider: { type: 'string' },
    'replay-delay': { type: 'string', default: '30' },
    help: { type: 'boolean', default: false },
  },
});
const usage = `usage: pnpm demo [--provider ${PROVIDERS.join('|')}] [--replay-delay <ms between replayed chunks>]`;
if (options.help) {
  console.log(usage);
  process.exit(0);
}
if (options.provider !== undefined && !PROVIDERS.includes(options.provider as Provider)) {
  console.error(`Unknown provider '${options.provider}'.\n${usage}`);
  process.exit(2);
}
const selected = options.provider === undefined ? [...PROVIDERS] : [options.provider as Provider];
const replayDelayMs = Number(options['replay-delay']);

/** Where each provider streams from: the real service (and which model), or the replay server (and why). */
async function chooseSource(provider: Provider): Promise<{ live: boolean; model: string; reason: string }> {
  if (provider !== 'ollama') {
    const variable = KEY_VARIABLES[provider].find((name) => process.env[name]);
    return variable === undefined
      ? { live: false, model: DEFAULT_MODELS[provider], reason: `no ${KEY_VARIABLES[provider].join(' or ')}` }
      : { live: true, model: DEFAULT_MODELS[provider], reason: `${variable} is set` };
  }
  const host = (process.env.OLLAMA_HOST ?? 'http://127.0.0.1:11434').replace(/\/$/, '');
  try {
    const response = await fetch(`${host.includes('://') ? host : `http://${host}`}/api/tags`, {
      signal: AbortSignal.timeout(1_000),
    });
    const { models = [] } = (await response.json()) as { models?: Array<{ name: string }> };
    const names = models.map((model) => model.name);
    const model = names.find((name) => name.startsWith(`${DEFAULT_MODELS.ollama}:`)) ?? names[0];
    if (model !== undefined) return { live: true, model, reason: `Ollama answers at ${host}` };
    return { live: false, model: DEFAULT_MODELS.ollama, reason: `Ollama at ${host} has no model pulled` };
  } catch {
    return { live: false, model: DEFAULT_MODELS.ollama, reason: `no Ollama server at ${host}` };
  }
}

/** Settings that point a provider's adapter at the replay server. */
function replaySettings(provider: Provider, server: ReplayServer): ProviderSettings {
  if (provider === 'openai') return { apiKey: 'replay-key', baseURL: `${server.url}/v1` };
  if (provider === 'ollama') return { host: server.url };
  return { apiKey: 'replay-key', baseURL: server.url };
}

const sources = await Promise.all(
  selected.map(async (provider) => ({ provider, ...(await chooseSource(provider)) })),
);
const replayed = sources.filter((source) => !source.live);
const server = replayed.length > 0 ? await createReplayServer() : undefined;
const providers: Record<string, ProviderSettings> = {};
if (server !== undefined)
  for (const { provider } of replayed) providers[provider] = replaySettings(provider, server);
const tokenwire = createTokenwire({ providers, timeouts: { firstTokenMs: 120_000 } });

const count = selected.length === 1 ? 'one provider' : `${selected.length} providers`;
console.log(`tokenwire demo: one conversation through ${count}; only the model string changes.`);
if (replayed.length > 0) {
  console.log(
    `Streaming ${replayed.map((source) => source.provider).join(', ')} from the embedded replay server ` +
      '(@tokenwire/testing) through the real vendor SDKs; set a key (or start Ollama) to use the real service.',
  );
}

const rows: SummaryRow[] = [];
for (const source of sources) {
  const model = `${source.provider}/${source.model}`;
  console.log(`\n━━ ${model}  (${source.live ? 'live' : 'replay server'}: ${source.reason})`);
  console.log(`user: ${QUESTION}`);
  if (server !== undefined && !source.live) {
    const call = { id: 'call_demo_1', name: 'get_weather', arguments: '{"city":"Paris"}' };
    const preamble = source.provider === 'anthropic' ? 'I will look up the weather in Paris.' : undefined;
    server.enqueue(
      replyScript({ text: preamble, toolCalls: [call] }, { delayMs: replayDelayMs }),
      replyScript({ text: 'It is 21 °C and sunny in Paris.' }, { delayMs: replayDelayMs }),
    );
  }
  // Load the adapter package first, so that the timings measure the stream, not the import.
  await tokenwire.adapter(source.provider).catch(() => undefined);
  let inText = false; // whether an `assistant:` line is open
  const endText = () => {
    if (inText) process.stdout.write('\n');
    inText = false;
  };
  const result = await runWeatherConversation(tokenwire, model, {
    text(content) {
      if (!inText) process.stdout.write('assistant: ');
      inText = true;
      process.stdout.write(content);
    },
    toolCall(name, input) {
      endText();
      console.log(`  → tool call   ${name}(${input})`);
    },
    toolResult: (output) => console.log(`  ← tool result ${output}`),
  });
  endText();
  if (result.error !== undefined) console.log(`  ✗ ${result.error}`);
  rows.push({
    provider: source.provider,
    model: source.model,
    source: source.live ? 'live' : 'replay',
    result,
  });
}

console.log(`\n${formatSummaryTable(rows)}`);
console.log(
  'first token: until the first text, reasoning or tool-call chunk. chunks: those events, both turns.\n' +
    'tokens: output tokens as the provider reported them (~ marks estimates).',
);
await server?.close();
process.exitCode = rows.some((row) => row.result.error !== undefined) ? 1 : 0;
