// Where tokenwire's added CPU per delta goes, layer by layer, in one process (steady state):
//   raw        the raw SDK loop of contenders/raw.mjs
//   translate  the adapter's open(): the SDK's chunks through its synchronous translator
//   accumulate + the runtime's StreamAccumulator (events built in the same loop, no async layer)
//   tokenwire  createTokenwire().stream() as contenders/tokenwire.mjs (adds the runtime's async
//              iterator: one more Promise and microtask per event, timers, queue)
// Variants alternate; the first rounds warm up; medians of the rest.
//   node bench/overhead-layers.mjs [--workload text-anthropic] [--rounds 20]
import { parseArgs } from 'node:util';
import { StreamAccumulator } from '@tokenwire/core/internal';
import { setups as raw } from './contenders/raw.mjs';
import { setups as tokenwire } from './contenders/tokenwire.mjs';
import { startReplay } from './replay-client.mjs';
import { median } from './summarize.mjs';
import { workloadById } from './workloads.mjs';

const { values } = parseArgs({
  options: {
    workload: { type: 'string', default: 'text-anthropic' },
    rounds: { type: 'string', default: '20' },
  },
});
const workload = workloadById(values.workload);
if (workload.streams > 1) throw new Error('overhead-layers measures single-stream workloads only');
const WARMUP_ROUNDS = 8;
const REQUEST = { model: 'bench', messages: [{ role: 'user', content: 'Write a long story about a fox.' }] };

async function adapterFor(url) {
  switch (workload.provider) {
    case 'openai':
      return (await import('@tokenwire/openai')).createOpenAIAdapter({
        apiKey: 'bench',
        baseURL: `${url}/v1`,
      });
    case 'anthropic':
      return (await import('@tokenwire/anthropic')).createAnthropicAdapter({ apiKey: 'bench', baseURL: url });
    case 'ollama':
      return (await import('@tokenwire/ollama')).createOllamaAdapter({ host: url });
    default: {
      const sdk = workload.provider === 'google' ? 'genai' : 'generative-ai';
      return (await import('@tokenwire/google')).createGoogleAdapter({ apiKey: 'bench', baseURL: url, sdk });
    }
  }
}

/** The adapter's ChunkStream consumed in one loop; with `accumulate`, the runtime's accumulator too. */
function chunkLoop(adapter, accumulate) {
  return async () => {
    const source = await adapter.open(REQUEST, { signal: new AbortController().signal });
    const accumulator = new StreamAccumulator('bench', 'bench', () => 0);
    const deltas = [];
    const events = [];
    let count = 0;
    for await (const chunk of source.chunks) {
      deltas.length = 0;
      source.translate(chunk, deltas);
      if (!accumulate) count += deltas.length;
      else {
        for (let index = 0; index < deltas.length; index++) accumulator.push(deltas[index], events);
        count += events.length;
        events.length = 0;
      }
    }
    source.end?.(deltas);
    return count;
  };
}

const replay = await startReplay();
let url = await replay.enqueue(workload.id, 1);
const adapter = await adapterFor(url);
const variants = {
  raw: await raw[workload.provider](workload, url),
  translate: chunkLoop(adapter, false),
  accumulate: chunkLoop(adapter, true),
  tokenwire: await tokenwire[workload.provider](workload, url),
};
const samples = Object.fromEntries(Object.keys(variants).map((name) => [name, []]));
const rounds = Number(values.rounds);
for (let round = 0; round < WARMUP_ROUNDS + rounds; round++) {
  for (const [name, run] of Object.entries(variants)) {
    url = await replay.enqueue(workload.id, workload.streams * workload.rounds);
    const cpu = process.cpuUsage();
    for (let index = 0; index < workload.rounds; index++) await run();
    const used = process.cpuUsage(cpu);
    if (round >= WARMUP_ROUNDS) samples[name].push((used.user + used.system) / workload.measuredDeltas);
  }
}
replay.close();
const base = median(samples.raw);
console.log(
  `${workload.id}: CPU µs per delta, median of ${rounds} rounds after ${WARMUP_ROUNDS} warm-up rounds\n`,
);
console.log('| layer | CPU µs/delta | over raw µs | over raw % |');
console.log('| --- | ---: | ---: | ---: |');
for (const [name, list] of Object.entries(samples)) {
  const value = median(list);
  console.log(
    `| ${name} | ${value.toFixed(2)} | ${(value - base).toFixed(2)} | ${((100 * (value - base)) / base).toFixed(1)}% |`,
  );
}
