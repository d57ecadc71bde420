/**
 * `pnpm example <name>`: runs examples/<name>.ts with no key and no network, against the replay
 * server of @tokenwire/testing, which answers with canned streams through the real vendor SDKs.
 * `--live` runs it against the real providers instead, with the keys of the environment.
 *
 *   pnpm example tools                 pnpm example anthropic/basic
 *   TOKENWIRE_MODEL=google/gemini-2.5-flash pnpm example tools
 *   OPENAI_API_KEY=sk-… pnpm example tools --live
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { createReplayServer, type ReplayScript } from '@tokenwire/testing';
import { acmeWire } from './acme-wire.js';
import { replayEnvironment } from './replay-environment.js';
import {
  AGENT_REPLIES,
  LISBON_TRIP,
  MCP_FILESYSTEM_REPLIES,
  PARIS_WEATHER_CALL,
  replyScript,
} from './replay-scripts.js';
import { cleanEnvironment, EXAMPLES_DIRECTORY } from './run-example.js';

const live = process.argv.includes('--live');
const name = (process.argv.slice(2).find((argument) => !argument.startsWith('--')) ?? '').replace(
  /\.ts$/,
  '',
);
const file = join(EXAMPLES_DIRECTORY, `${name}.ts`);
if (name === '' || !existsSync(file)) {
  console.error(
    'usage: pnpm example <name> [--live], e.g. tools, fallback, openai/basic, sse-server (see examples/)',
  );
  process.exit(2);
}

const paced = { delayMs: 40 };
const answer = (text: string) => replyScript({ text }, paced);
const counting = Array.from({ length: 200 }, (_, index) => `${index + 1}\n`).join('');
const acme = (type: string, fields: object) => ({ type, ...fields });

const scripts: Record<string, ReplayScript[]> = {
  'openai/basic': [replyScript({ text: 'Air scatters blue light more than red light.' }, paced)],
  'anthropic/basic': [replyScript({ text: 'Air scatters blue light more than red light.' }, paced)],
  'google/basic': [replyScript({ text: 'Air scatters blue light more than red light.' }, paced)],
  'ollama/basic': [replyScript({ text: 'Air scatters blue light more than red light.' }, paced)],
  'token-streamer': [
    answer('Server-sent events stream text from a server over one long HTTP response.'),
    replyScript({ toolCalls: [PARIS_WEATHER_CALL] }, paced),
  ],
  tools: [replyScript({ toolCalls: [PARIS_WEATHER_CALL] }, paced), answer('It is 21 °C and sunny in Paris.')],
  'cancel-and-timeouts': [
    replyScript({ text: counting }, paced),
    replyScript({ text: counting }, { delayMs: 200 }),
    replyScript({ text: counting }, paced),
    replyScript({ text: counting }, { stallAfter: 8 }),
  ],
  fallback: [{ status: 529 }, { status: 529 }, replyScript({ text: 'Bonjour tout le monde !' }, paced)],
  'swap-by-config': [answer('Red, green and blue.')],
  middleware: [answer('Blue.')],
  'structured-output': [answer(LISBON_TRIP)],
  observability: [answer('Air scatters blue light more than red light.')],
  agent: AGENT_REPLIES.map((reply) => replyScript(reply, paced)),
  'mcp-filesystem': MCP_FILESYSTEM_REPLIES.map((reply) => replyScript(reply, paced)),
  'custom-adapter': [
    {
      payloads: [
        acme('response.start', { id: 'resp_1', model: 'acme-1' }),
        ...'Hello from the made-up Acme service.'.split(/(?<= )/).map((text) => acme('text', { text })),
        acme('done', { reason: 'stop', usage: { input: 5, output: 8 } }),
      ],
      ...paced,
    },
  ],
  // A server: every question the page sends gets the next of these answers.
  'sse-server': Array.from({ length: 50 }, () =>
    replyScript({ text: 'Let me look that up for you. ', toolCalls: [PARIS_WEATHER_CALL] }, paced),
  ),
};

const replay = live
  ? undefined
  : await createReplayServer({ scripts: scripts[name] ?? [], wireFormats: [acmeWire] });
const environment =
  replay === undefined
    ? process.env
    : {
        ...cleanEnvironment(),
        // The model the replay scripts were chosen for (cleanEnvironment drops tokenwire's variables).
        ...(process.env.TOKENWIRE_MODEL === undefined
          ? {}
          : { TOKENWIRE_MODEL: process.env.TOKENWIRE_MODEL }),
        ...replayEnvironment(replay.url),
        ACME_BASE_URL: replay.url,
        ACME_API_KEY: 'replay',
      };
console.log(
  replay === undefined
    ? `Running examples/${name}.ts against the real providers.\n`
    : `Running examples/${name}.ts against the replay server at ${replay.url} (no network, no API key; --live for the real providers).\n`,
);
const exampleArguments = process.argv
  .slice(2)
  .filter((argument) => argument !== name && argument !== '--live');
const hooks = ['--import', 'tsx'];
const child = spawn(process.execPath, [...hooks, file, ...exampleArguments], {
  cwd: EXAMPLES_DIRECTORY,
  stdio: 'inherit',
  env: environment,
});
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => child.kill(signal));
child.on('exit', async (code) => {
  await replay?.close();
  process.exit(code ?? 1);
});
