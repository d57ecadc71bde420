// @tokenwire/gateway beside @portkey-ai/gateway, both on loopback over the same upstream (an OpenAI
// Chat Completions SSE server answering from memory), and the upstream called directly for the
// baseline. Every process is its own: upstream, each gateway, and this client. Run:
//   pnpm bench:gateway            (builds first; about a minute)
// Results: printed, and written to bench/results/gateway-<date>.json. See RESULTS-gateway.md.
import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { Agent, request as httpRequest } from 'node:http';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);
const portkeyScript = join(
  dirname(require.resolve('@portkey-ai/gateway/package.json')),
  'build/start-server.js',
);
const cpuProfile = process.argv.includes('--cpu-prof');

/** Starts a process that prints `ready <url>`; resolves with its url and pid. */
function start(command, args, match = /ready (http\S+)/) {
  const child = spawn(
    process.execPath,
    [
      ...(cpuProfile && args[1] === 'tokenwire'
        ? ['--cpu-prof', `--cpu-prof-dir=${join(here, 'results/profiles')}`]
        : []),
      command,
      ...args,
    ],
    {
      cwd: here,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, NODE_ENV: 'production' },
    },
  );
  return new Promise((resolve, reject) => {
    let output = '';
    const onData = (text) => {
      output += text;
      const found = match.exec(output);
      if (found) resolve({ url: found[1].replace('localhost', '127.0.0.1'), child });
    };
    child.stdout.setEncoding('utf8').on('data', onData);
    child.stderr.setEncoding('utf8').on('data', onData);
    child.on('exit', (code) => reject(new Error(`${command} ${args.join(' ')} exited ${code}: ${output}`)));
  });
}

const agent = new Agent({ keepAlive: true, maxSockets: 1024 });

/** One streamed request: time to the first body byte, to the end, and the longest gap between reads. */
function send(target, model, stream = true) {
  const body = JSON.stringify({
    model: target.model(model),
    stream,
    messages: [{ role: 'user', content: 'Hi' }],
  });
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const request = httpRequest(
      `${target.url}/v1/chat/completions`,
      { method: 'POST', agent, headers: { 'content-type': 'application/json', ...target.headers } },
      (response) => {
        let first;
        let last = started;
        let gap = 0;
        let bytes = 0;
        response.on('data', (part) => {
          const now = performance.now();
          // The gap between frames, after the first one (the wait for the first is `first`).
          if (first === undefined) first = now - started;
          else gap = Math.max(gap, now - last);
          last = now;
          bytes += part.length;
        });
        response.on('end', () => {
          if (response.statusCode !== 200) reject(new Error(`${target.name}: HTTP ${response.statusCode}`));
          else resolve({ first, total: performance.now() - started, gap, bytes });
        });
      },
    );
    request.on('error', reject);
    request.end(body);
  });
}

const percentile = (values, p) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
};
const rssMb = (pid) =>
  Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) / 1024;

async function sequential(targets, model, count, stream = true) {
  const results = new Map(targets.map((target) => [target.name, []]));
  for (let index = 0; index < count; index++) {
    for (const target of targets) results.get(target.name).push(await send(target, model, stream));
  }
  return results;
}

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

const upstream = await start('gateway-processes.mjs', ['upstream']);
const tokenwire = await start('gateway-processes.mjs', ['tokenwire', upstream.url]);
const portkeyPort = 20000 + Math.floor(Math.random() * 20000);
const portkey = await start(
  portkeyScript,
  [`--port=${portkeyPort}`, '--headless'],
  /(http:\/\/localhost:\d+)/,
);
const targets = [
  { name: 'upstream directly', url: upstream.url, headers: {}, model: (model) => model, process: undefined },
  {
    name: '@tokenwire/gateway',
    url: tokenwire.url,
    headers: {},
    model: (model) => `openai/${model}`,
    process: tokenwire.child,
  },
  {
    name: '@portkey-ai/gateway',
    url: `http://127.0.0.1:${portkeyPort}`,
    headers: {
      'x-portkey-provider': 'openai',
      'x-portkey-custom-host': `${upstream.url}/v1`,
      authorization: 'Bearer bench-key-0123456789',
    },
    model: (model) => model,
    process: portkey.child,
  },
];
const gateways = targets.slice(1);
const report = { date: new Date().toISOString(), node: process.version, results: {} };
for (const target of gateways) report.results[target.name] = { rssIdleMb: rssMb(target.process.pid) };

const [directTarget, tokenwireTarget, portkeyTarget] = targets;
// @portkey-ai/gateway 1.15.2 answers every streamed request with HTTP 500 on this Node (its
// updateHeaders appends to the upstream fetch Response's immutable headers): streaming figures are
// tokenwire's alone, and the side-by-side figures use whole (stream: false) answers.
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
for (const entry of [upstream, tokenwire, portkey]) entry.child.kill('SIGINT');
