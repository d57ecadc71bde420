// One measured run: one contender on one workload, in a fresh process (started by run-all.mjs
// with fork). It runs the workload to warm up (up to 200,000 deltas or 1.5 s), then runs it again
// (at least 20,000 deltas) measuring wall time (performance.now) and this process's CPU time (process.cpuUsage);
// the replay server is another process. Peak RSS is this process's maxRSS. Reports over IPC.
//   node bench/client-process.mjs <workload> <contender> <server url>
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { WARMUP_MS, workloadById } from './workloads.mjs';

const [workloadId, contender, url] = process.argv.slice(2);
function report(message) {
  // Exit at once: keep-alive sockets would otherwise hold the process for seconds.
  if (process.send) process.send(message, () => process.exit(0));
  else {
    console.log(JSON.stringify(message));
    process.exit(0);
  }
}

function addCounts(total, counts) {
  for (const key of Object.keys(total)) total[key] += counts[key];
  return total;
}

/** `rounds` times one after the other, `count` streams at once. */
async function runStreams(stream, count, rounds = 1) {
  const total = { text: 0, reasoning: 0, tool: 0 };
  for (let round = 0; round < rounds; round++) {
    const results = await Promise.all(Array.from({ length: count }, () => stream()));
    results.reduce(addCounts, total);
  }
  return total;
}

function checkCounts(workload, counts) {
  const problems = [];
  for (const key of ['text', 'reasoning', 'tool']) {
    const expected = (workload.expected[key] ?? 0) * workload.streams * workload.rounds;
    if (counts[key] !== expected) problems.push(`${key}: saw ${counts[key]}, expected ${expected}`);
  }
  return problems.length === 0 ? undefined : problems.join('; ');
}

/** With BENCH_CPU_PROFILE=<file>: profiles more rounds of the measured part only (50 µs sampling). */
async function profile(stream, workload) {
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.setSamplingInterval', { interval: 50 });
  await session.post('Profiler.start');
  await runStreams(stream, workload.streams, workload.profileRounds);
  const { profile: result } = await session.post('Profiler.stop');
  writeFileSync(process.env.BENCH_CPU_PROFILE, JSON.stringify(result));
}

try {
  const workload = workloadById(workloadId);
  // A workload with its own `contenderDirectory` (bedrock) has its contenders there, by the same names.
  const folder = workload.contenderDirectory === undefined ? '' : `${workload.contenderDirectory}/`;
  const { setups } = await import(`./contenders/${folder}${contender}.mjs`);
  const setup = setups[workload.provider];
  const stream =
    setup === undefined
      ? { skip: `no ${contender} setup for ${workload.provider}` }
      : await setup(workload, url);
  if (typeof stream !== 'function') {
    report({ skipped: stream.skip });
  } else {
    const rssAfterSetup = process.memoryUsage().rss;
    const warmupStarted = performance.now();
    let warmupRounds = 0;
    do {
      await runStreams(stream, workload.warmupStreams);
      warmupRounds++;
    } while (warmupRounds < workload.warmupRounds && performance.now() - warmupStarted < WARMUP_MS);
    // No forced gc() here: a full collection frees the hidden classes (maps) that only the warm-up's
    // dead objects used, and every function optimized against them is deoptimized and compiled
    // again during the measured stream (bench/README.md, "Why no gc()").
    if (process.env.BENCH_FORCE_GC === '1') globalThis.gc?.();
    const rssBefore = process.memoryUsage().rss;
    // Concurrent workloads: sample the heap (V8 objects) and ArrayBuffers (network buffers) every 50 ms.
    const peaks = { heapUsed: 0, arrayBuffers: 0 };
    const sampler =
      workload.streams > 1
        ? setInterval(() => {
            const usage = process.memoryUsage();
            peaks.heapUsed = Math.max(peaks.heapUsed, usage.heapUsed);
            peaks.arrayBuffers = Math.max(peaks.arrayBuffers, usage.arrayBuffers);
          }, 50)
        : undefined;
    const cpuStart = process.cpuUsage();
    const started = performance.now();
    const counts = await runStreams(stream, workload.streams, workload.rounds);
    const wallMs = performance.now() - started;
    const cpu = process.cpuUsage(cpuStart);
    clearInterval(sampler);
    const peakRssMb = process.resourceUsage().maxRSS / 1024;
    if (process.env.BENCH_CPU_PROFILE) await profile(stream, workload);
    report({
      wallMs,
      cpuMs: (cpu.user + cpu.system) / 1000,
      userMs: cpu.user / 1000,
      systemMs: cpu.system / 1000,
      counts,
      mismatch: checkCounts(workload, counts),
      warmupDeltas: warmupRounds * workload.warmupStreams * workload.deltas,
      rssAfterSetupMb: rssAfterSetup / 2 ** 20,
      rssBeforeMb: rssBefore / 2 ** 20,
      peakRssMb,
      peakHeapMb: peaks.heapUsed / 2 ** 20,
      peakArrayBuffersMb: peaks.arrayBuffers / 2 ** 20,
    });
  }
} catch (error) {
  report({ error: String(error?.stack ?? error).slice(0, 2000) });
}
