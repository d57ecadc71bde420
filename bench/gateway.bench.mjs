// @tokenwire/gateway beside @portkey-ai/gateway, both on loopback over the same upstream (an OpenAI
// Chat Completions SSE server answering from memory), and the upstream called directly for the
// baseline. Every process is its own: upstream, each gateway, and this client. Run:
//   pnpm bench:gateway            (builds first; about a minute)
// Results: printed, and written to bench/results/gateway-<date>.json. See RESULTS-gateway.md.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { agent, here, percentile, rssMb, send, sequential, startAll } from './gateway-client.mjs';

const cpuProfile = process.argv.includes('--cpu-prof');

async function atConcurrency(target, concurrency, durationMs, stream) {
  const totals = [];
  const until = performance.now() + durationMs;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < until) totals.push((await send(target, 'short', stream)).total);
    }),
  );
  return { rps: totals.length / (durationMs / 1000), p99: percentile(totals, 99) };
}

const { targets, stop } = await startAll(
  cpuProfile ? ['--cpu-prof', `--cpu-prof-dir=${join(here, 'results/profiles')}`] : [],
);
const gateways = targets.slice(1);
const report = { date: new Date().toISOString(), node: process.version, results: {} };
for (const target of gateways) report.results[target.name] = { rssIdleMb: rssMb(target.process.pid) };

const [directTarget, tokenwireTarget, portkeyTarget] = targets;
// @portkey-ai/gateway 1.15.2 answers every streamed request with HTTP 500 under @hono/node-server
// >= 1.14.2 (its updateHeaders appends to the upstream fetch Response's immutable headers, which that
// version's Response reuses): pnpm-workspace.yaml pins 1.14.1 for it. Probed anyway: if it fails,
// the streaming figures are tokenwire's alone.
report.portkeyStreaming = await send(portkeyTarget, 'short', true).then(
  () => 'works',
  (error) => `fails: ${error.message}`,
);
const streamingTargets = report.portkeyStreaming === 'works' ? targets : [directTarget, tokenwireTarget];
const streamingGateways = streamingTargets.slice(1);
const median = (runs, key) =>
  percentile(
    runs.map((run) => run[key]),
    50,
  );
const p99 = (runs, key) =>
  percentile(
    runs.map((run) => run[key]),
    99,
  );

await sequential(targets, 'short', 200, false); // warm-up
await sequential(streamingTargets, 'short', 200); // warm-up
const whole = await sequential(targets, 'short', 1000, false);
const streamed = await sequential(streamingTargets, 'short', 1000);
const long = await sequential(streamingTargets, 'long-2000', 30);
for (const target of gateways) {
  const result = report.results[target.name];
  const runs = whole.get(target.name);
  const direct = whole.get(directTarget.name);
  result.addedP50Ms = median(runs, 'total') - median(direct, 'total');
  result.addedP99Ms = p99(runs, 'total') - p99(direct, 'total');
}
for (const target of streamingGateways) {
  const result = report.results[target.name];
  const runs = streamed.get(target.name);
  const direct = streamed.get(directTarget.name);
  result.streamedAddedP50Ms = median(runs, 'total') - median(direct, 'total');
  result.streamedAddedP99Ms = p99(runs, 'total') - p99(direct, 'total');
  result.addedFirstByteP50Ms = median(runs, 'first') - median(direct, 'first');
  result.addedPerFrameUs =
    ((median(long.get(target.name), 'total') - median(long.get(directTarget.name), 'total')) / 2000) * 1000;
}
for (const target of gateways) {
  const result = report.results[target.name];
  const streams = streamingGateways.includes(target);
  let peakRss = 0;
  const sampler = setInterval(() => {
    peakRss = Math.max(peakRss, rssMb(target.process.pid));
  }, 50);
  result.levels = [];
  for (const concurrency of [1, 4, 16, 32, 64, 128]) {
    const level = await atConcurrency(target, concurrency, 1500, false);
    result.levels.push({ concurrency, ...level });
  }
  result.rpsUnderP99Of20Ms = Math.max(
    0,
    ...result.levels.filter((level) => level.p99 < 20).map((level) => level.rps),
  );
  if (streams) {
    result.streamedLevels = [];
    for (const concurrency of [1, 4, 16, 32, 64, 128]) {
      const level = await atConcurrency(target, concurrency, 1500, true);
      result.streamedLevels.push({ concurrency, ...level });
    }
    result.streamedRpsUnderP99Of20Ms = Math.max(
      0,
      ...result.streamedLevels.filter((level) => level.p99 < 20).map((level) => level.rps),
    );
    // 512 concurrent streams of 50 frames 10 ms apart: all must end, with no long gap.
    const settled = await Promise.allSettled(Array.from({ length: 512 }, () => send(target, 'slow-50')));
    const done = settled.filter((entry) => entry.status === 'fulfilled').map((entry) => entry.value);
    result.concurrentStreams = {
      completed: done.length,
      maxGapMs: Math.max(...done.map((run) => run.gap)),
      p99GapMs: percentile(
        done.map((run) => run.gap),
        99,
      ),
      firstByteP99Ms: percentile(
        done.map((run) => run.first),
        99,
      ),
    };
  }
  clearInterval(sampler);
  result.rssUnderLoadMb = peakRss;
  await new Promise((resolve) => setTimeout(resolve, 3000));
  result.rssAfterMb = rssMb(target.process.pid);
}

const round = (value, digits = 2) => (typeof value === 'number' ? Number(value.toFixed(digits)) : value);
console.log('\n| figure | @tokenwire/gateway | @portkey-ai/gateway |\n| --- | --- | --- |');
const rows = [
  ['added latency p50, ms (c=1, whole answer)', 'addedP50Ms'],
  ['added latency p99, ms (c=1, whole answer)', 'addedP99Ms'],
  ['added latency p50, ms (c=1, streamed)', 'streamedAddedP50Ms'],
  ['added latency p99, ms (c=1, streamed)', 'streamedAddedP99Ms'],
  ['added time to first byte p50, ms', 'addedFirstByteP50Ms'],
  ['added per streamed frame, µs', 'addedPerFrameUs'],
  ['requests/s at p99 < 20 ms (whole answers)', 'rpsUnderP99Of20Ms'],
  ['requests/s at p99 < 20 ms (streamed)', 'streamedRpsUnderP99Of20Ms'],
  ['RSS idle, MB', 'rssIdleMb'],
  ['RSS under load (peak), MB', 'rssUnderLoadMb'],
  ['RSS 3 s after, MB', 'rssAfterMb'],
];
const [ours, theirs] = gateways.map((target) => report.results[target.name]);
for (const [label, key] of rows) console.log(`| ${label} | ${round(ours[key])} | ${round(theirs[key])} |`);
console.log(`@portkey-ai/gateway streaming: ${report.portkeyStreaming}`);
const levelsText = (levels) =>
  (levels ?? [])
    .map((level) => `c=${level.concurrency} ${Math.round(level.rps)}/s p99 ${round(level.p99)} ms`)
    .join('; ');
for (const [name, result] of Object.entries(report.results)) {
  if (result.concurrentStreams !== undefined) {
    const { completed, maxGapMs, p99GapMs } = result.concurrentStreams;
    console.log(
      `${name}: 512 streams, ${completed} completed, longest gap between frames ${round(maxGapMs)} ms (p99 ${round(p99GapMs)} ms), first byte p99 ${round(result.concurrentStreams.firstByteP99Ms)} ms`,
    );
  }
  console.log(`  ${name} whole: ${levelsText(result.levels)}`);
  if (result.streamedLevels) console.log(`  ${name} streamed: ${levelsText(result.streamedLevels)}`);
}
mkdirSync(join(here, 'results'), { recursive: true });
writeFileSync(
  join(here, `results/gateway-${report.date.slice(0, 10)}.json`),
  `${JSON.stringify(report, null, 2)}\n`,
);
agent.destroy();
stop();
