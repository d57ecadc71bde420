// The soak: 200 concurrent tokenwire streams (openai chat, 2,000 text deltas each) for an hour,
// each replaced by a new one as it finishes, this process's memory sampled every 10 s. The replay
// server paces its slices (4 KB every 100 ms by default), so the streams stay open and parked for
// seconds, like real ones, and the soak keeps a fraction of a core busy. Writes
// results/soak.json and results/soak.svg after every sample (a cut-short soak still has its curve).
//   nice node bench/soak.mjs [--minutes 60] [--streams 200]
//   node bench/soak.mjs --render          # redraw results/soak.svg from results/soak.json
import { readFileSync, writeFileSync } from 'node:fs';
import { setups } from './contenders/tokenwire.mjs';
import { startReplay } from './replay-client.mjs';
import { renderSoakChart, summarizeSoak } from './soak-chart.mjs';
import { workloadById } from './workloads.mjs';

const argument = (name, fallback) => {
  const index = process.argv.indexOf(`--${name}`);
  return index === -1 ? fallback : process.argv[index + 1];
};
const JSON_FILE = new URL('./results/soak.json', import.meta.url);
const SVG_FILE = new URL('./results/soak.svg', import.meta.url);

if (process.argv.includes('--render')) {
  const soak = JSON.parse(readFileSync(JSON_FILE, 'utf8'));
  writeFileSync(SVG_FILE, renderSoakChart(soak));
  console.log(JSON.stringify(summarizeSoak(soak), undefined, 2));
  process.exit(0);
}

const minutes = Number(argument('minutes', 60));
const concurrency = Number(argument('streams', 200));
const SAMPLE_MS = 10_000;
const workload = workloadById('concurrent-openai');
const replay = await startReplay('slices', {
  ...process.env,
  BENCH_SLICE_BYTES: process.env.BENCH_SLICE_BYTES ?? '4096',
  BENCH_SLICE_DELAY_MS: process.env.BENCH_SLICE_DELAY_MS ?? '100',
});
// Every response the hour can need, queued at once (the entries share one body).
const url = await replay.enqueue(workload.id, 2_000_000);
const stream = await setups.openai(workload, url);

const soak = {
  started: new Date().toISOString(),
  node: process.version,
  commit: process.env.BENCH_COMMIT ?? 'unknown',
  streams: concurrency,
  deltasPerStream: workload.deltas,
  slice: `${process.env.BENCH_SLICE_BYTES ?? 4096} B every ${process.env.BENCH_SLICE_DELAY_MS ?? 100} ms`,
  samples: [],
};
let completed = 0;
let failed = 0;
let stopping = false;
const started = performance.now();

async function lane() {
  while (!stopping) {
    try {
      const counts = await stream();
      if (counts.text === workload.deltas) completed++;
      else failed++;
    } catch (error) {
      failed++;
      if (failed < 5) console.error(String(error?.stack ?? error).slice(0, 500));
    }
  }
}

function sample() {
  const usage = process.memoryUsage();
  const mb = (bytes) => Math.round((bytes / 2 ** 20) * 10) / 10;
  soak.samples.push({
    minute: Math.round(((performance.now() - started) / 60_000) * 1000) / 1000,
    rssMb: mb(usage.rss),
    heapUsedMb: mb(usage.heapUsed),
    heapTotalMb: mb(usage.heapTotal),
    externalMb: mb(usage.external),
    arrayBuffersMb: mb(usage.arrayBuffers),
    completed,
    failed,
  });
  soak.summary = summarizeSoak(soak);
  writeFileSync(JSON_FILE, `${JSON.stringify(soak, undefined, 1)}\n`);
  writeFileSync(SVG_FILE, renderSoakChart(soak));
}

const sampler = setInterval(sample, SAMPLE_MS);
const lanes = Array.from({ length: concurrency }, lane);
setTimeout(() => {
  stopping = true;
}, minutes * 60_000);
await Promise.all(lanes);
clearInterval(sampler);
sample();
replay.close();
console.log(JSON.stringify(soak.summary, undefined, 2));
process.exit(0);
