// Can the replay server keep the clients busy? Compares @tokenwire/testing's createReplayServer
// ('package': one awaited write per record) with the bench's own writer ('slices': the same bytes
// in 16 KB writes), serving the same workloads to (a) a client that only reads the bytes and
// (b) the raw openai SDK loop. Prints a Markdown table; bench/README.md quotes it.
//   node bench/server-check.mjs [--rounds 5]
import { parseArgs } from 'node:util';
import OpenAI from 'openai';
import { startReplay } from './replay-client.mjs';
import { median } from './summarize.mjs';
import { workloadById } from './workloads.mjs';

const { values } = parseArgs({ options: { rounds: { type: 'string', default: '5' } } });
const rounds = Number(values.rounds);

async function readBytes(url, streams) {
  let reads = 0;
  await Promise.all(
    Array.from({ length: streams }, async () => {
      const response = await fetch(`${url}/v1/chat/completions`, { method: 'POST', body: '{}' });
      for await (const _chunk of response.body) reads++;
    }),
  );
  return reads / streams;
}

async function readWithSdk(url, streams) {
  const client = new OpenAI({ apiKey: 'bench', baseURL: `${url}/v1`, maxRetries: 0 });
  await Promise.all(
    Array.from({ length: streams }, async () => {
      const stream = await client.chat.completions.create({ model: 'm', messages: [], stream: true });
      for await (const _chunk of stream) {
        // count nothing: the SDK's own cost
      }
    }),
  );
  return Number.NaN;
}

async function measure(replay, workload, streams, consume) {
  const samples = { wall: [], client: [], server: [], reads: [] };
  for (let round = -2; round < rounds; round++) {
    const url = await replay.enqueue(workload.id, streams);
    const serverBefore = await replay.cpuMs();
    const cpu = process.cpuUsage();
    const started = performance.now();
    const reads = await consume(url, streams);
    const wall = performance.now() - started;
    const client = process.cpuUsage(cpu);
    const server = (await replay.cpuMs()) - serverBefore;
    if (round < 0) continue; // warm-up
    const records = workload.deltas * streams;
    samples.wall.push((wall * 1000) / records);
    samples.client.push(((client.user + client.system) * 1) / records);
    samples.server.push((server * 1000) / records);
    samples.reads.push(reads);
  }
  return Object.fromEntries(Object.entries(samples).map(([key, list]) => [key, median(list)]));
}

const cases = [
  { workload: workloadById('text-openai'), streams: 1, client: 'bytes only', consume: readBytes },
  { workload: workloadById('text-openai'), streams: 1, client: 'openai SDK loop', consume: readWithSdk },
  { workload: workloadById('concurrent-openai'), streams: 100, client: 'bytes only', consume: readBytes },
];
console.log(
  `Node ${process.version}; medians of ${rounds} rounds; µs per record (one SSE record = one delta)\n`,
);
console.log(
  '| server | workload | client | wall µs/record | client CPU µs/record | server CPU µs/record | reads per stream |',
);
console.log('| --- | --- | --- | ---: | ---: | ---: | ---: |');
for (const server of ['package', 'slices']) {
  const replay = await startReplay(server);
  for (const { workload, streams, client, consume } of cases) {
    const result = await measure(replay, workload, streams, consume);
    const label =
      streams > 1
        ? `${streams} × ${workload.deltas.toLocaleString('en')} records`
        : `${workload.deltas.toLocaleString('en')} records`;
    console.log(
      `| ${server} | ${label} | ${client} | ${result.wall.toFixed(2)} | ${result.client.toFixed(2)} | ${result.server.toFixed(2)} | ${Number.isNaN(result.reads) ? '–' : result.reads.toFixed(0)} |`,
    );
  }
  replay.close();
}
