// Side-by-side benchmarks: tokenwire against the raw vendor SDKs, the Vercel AI SDK and LangChain.
// Starts the replay server in its own process, runs every (workload, contender) pair `--runs`
// times in fresh client processes, alternating the contenders' order, measures cold imports, and
// writes bench/RESULTS.md, bench/results/chart.svg and bench/results/latest.json.
//   node bench/run-all.mjs [--workload text,tool-openai] [--only raw,tokenwire]
//     [--runs 5] [--concurrent-runs 3] [--import-runs 10] [--skip-imports] [--imports-only]
//     [--server slices|package] [--cpu-prof] [--out file.md]
// --cpu-prof also profiles the measured part of each client (about 200,000 more deltas) into
// bench/results/profiles/*.cpuprofile; read them with bench/profile-summary.mjs.
// A run limited by --workload/--only/--imports-only/--skip-imports writes bench/results/partial.md
// (not RESULTS.md) unless --out says otherwise. --render rewrites RESULTS.md and the chart from
// results/latest.json without measuring (after editing analysis.md, say).
import { fork, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { dirname, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { startReplay } from './replay-client.mjs';
import { IMPORT_PACKAGES, renderResults } from './report.mjs';
import { CONTENDERS, EXTRA_CONTENDERS, selectWorkloads } from './workloads.mjs';

const here = (path) => new URL(path, import.meta.url);
const { values: options } = parseArgs({
  options: {
    workload: { type: 'string' },
    only: { type: 'string' },
    runs: { type: 'string', default: '5' },
    'concurrent-runs': { type: 'string', default: '3' },
    'import-runs': { type: 'string', default: '10' },
    'skip-imports': { type: 'boolean', default: false },
    'imports-only': { type: 'boolean', default: false },
    server: { type: 'string', default: 'slices' },
    'cpu-prof': { type: 'boolean', default: false },
    out: { type: 'string' },
    render: { type: 'boolean', default: false },
  },
});
const only = options.only?.split(',') ?? [...CONTENDERS, ...EXTRA_CONTENDERS];
const partial =
  options.workload !== undefined ||
  options.only !== undefined ||
  options['skip-imports'] ||
  options['imports-only'];
const workloads = options['imports-only'] ? [] : selectWorkloads(options.workload);
const log = (line) => process.stderr.write(`${line}\n`);

/** One client process; resolves with what it reported (or the error it died with). */
function runClient(workload, contender, url) {
  const env = { ...process.env };
  if (options['cpu-prof']) {
    mkdirSync(here('./results/profiles'), { recursive: true });
    const name = `${workload.id}.${contender}.${Date.now()}.cpuprofile`;
    env.BENCH_CPU_PROFILE = fileURLToPath(here(`./results/profiles/${name}`));
  }
  const child = fork(here('./client-process.mjs'), [workload.id, contender, url], {
    execArgv: ['--expose-gc'],
    env,
    stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
  });
  let stderr = '';
  child.stderr.on('data', (data) => {
    stderr = (stderr + data).slice(-2000);
  });
  return new Promise((resolve) => {
    let result;
    const timer = setTimeout(() => child.kill('SIGKILL'), 300_000);
    child.on('message', (message) => {
      result = message;
    });
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      resolve(result ?? { error: `client exited (${signal ?? code}) without a result: ${stderr.trim()}` });
    });
  });
}

const rotate = (list, by) => list.map((_, index) => list[(index + by) % list.length]);

async function runWorkloads() {
  const runs = [];
  const skipped = [];
  if (workloads.length === 0) return { runs, skipped };
  const replay = await startReplay(options.server);
  for (const workload of workloads) {
    const contenders = workload.contenders.filter((contender) => only.includes(contender));
    const count = Number(workload.streams > 1 ? options['concurrent-runs'] : options.runs);
    const excluded = new Set();
    for (let run = 0; run < count; run++) {
      for (const contender of rotate(contenders, run)) {
        if (excluded.has(contender)) continue;
        const profiled = options['cpu-prof'] ? workload.profileRounds * workload.streams : 0;
        const url = await replay.enqueue(workload.id, workload.responses + profiled);
        const result = await runClient(workload, contender, url);
        if (result.skipped !== undefined || result.error !== undefined) {
          excluded.add(contender); // a contender that cannot run this workload is not retried
          skipped.push({ workload: workload.id, contender, reason: result.skipped ?? result.error });
          log(
            `${workload.id} ${contender}: ${result.skipped ? 'skipped' : 'FAILED'}: ${result.skipped ?? result.error}`,
          );
          continue;
        }
        const perDelta = (result.cpuMs * 1000) / workload.measuredDeltas;
        log(
          `${workload.id} run ${run + 1}/${count} ${contender.padEnd(9)} wall ${result.wallMs.toFixed(0)} ms, ` +
            `CPU ${result.cpuMs.toFixed(0)} ms (${perDelta.toFixed(2)} µs/delta), peak RSS ${result.peakRssMb.toFixed(0)} MB` +
            (result.mismatch ? `  MISMATCH ${result.mismatch}` : ''),
        );
        runs.push({ workload: workload.id, contender, run, ...result });
      }
    }
  }
  replay.close();
  return { runs, skipped };
}

/** Imports `names` one after the other in a fresh process; resolves with the last one's ms. */
function importOnce(names) {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ['--expose-gc', fileURLToPath(here('./import-time.mjs')), ...names],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let output = '';
    child.stdout.on('data', (data) => {
      output += data;
    });
    child.stderr.on('data', (data) => {
      output += data;
    });
    child.on('exit', (code) => {
      if (code === 0) resolve(JSON.parse(output.trim().split('\n').pop()).ms.at(-1));
      else reject(new Error(`import of ${names.join(' then ')} failed: ${output.trim().slice(-500)}`));
    });
  });
}

/** Each package alone, and each adapter after its vendor SDK (what the adapter adds). */
async function measureImports() {
  if (options['skip-imports']) return [];
  const entries = IMPORT_PACKAGES.map((entry) => ({ name: entry.name, names: [entry.name] }));
  for (const entry of IMPORT_PACKAGES.filter((candidate) => candidate.sdk)) {
    entries.push({ name: entry.name, after: entry.sdk, names: [entry.sdk, entry.name] });
  }
  const rounds = Number(options['import-runs']);
  const samples = new Map(entries.map((entry) => [entry, []]));
  const failed = new Map();
  for (let round = -1; round < rounds; round++) {
    for (const entry of rotate(entries, Math.max(round, 0))) {
      if (failed.has(entry)) continue;
      try {
        const ms = await importOnce(entry.names);
        if (round >= 0) samples.get(entry).push(ms); // round -1 warms the file cache
      } catch (error) {
        failed.set(entry, error.message);
        log(error.message);
      }
    }
    log(`cold imports: round ${round + 1}/${rounds} done`);
  }
  return entries.map((entry) => ({
    name: entry.name,
    after: entry.after,
    samples: samples.get(entry),
    error: failed.get(entry),
  }));
}

async function measure() {
  const environment = {
    date: new Date().toISOString(),
    node: process.version,
    cpu: cpus()[0]?.model ?? 'unknown',
    cores: cpus().length,
    loadBefore: loadavg(),
    server: options.server,
    runs: Number(options.runs),
    concurrentRuns: Number(options['concurrent-runs']),
    importRuns: Number(options['import-runs']),
  };
  const started = performance.now();
  const { runs, skipped } = await runWorkloads();
  const imports = await measureImports();
  environment.loadAfter = loadavg();
  environment.minutes = (performance.now() - started) / 60_000;
  return { environment, workloads: workloads.map((workload) => workload.id), runs, skipped, imports };
}

const base = partial ? 'partial' : 'latest';
const dataFile = here(`./results/${base}.json`);
let data;
if (options.render) data = JSON.parse(readFileSync(dataFile, 'utf8'));
else {
  data = await measure();
  mkdirSync(here('./results'), { recursive: true });
  writeFileSync(dataFile, `${JSON.stringify(data, null, 2)}\n`);
}
const out = resolve(options.out ?? fileURLToPath(here(partial ? './results/partial.md' : './RESULTS.md')));
const chart = fileURLToPath(here(partial ? './results/partial-chart.svg' : './results/chart.svg'));
const { markdown, svg } = renderResults(data, { chart: relative(dirname(out), chart) });
writeFileSync(chart, svg);
writeFileSync(out, markdown);
// Biome formats Markdown too (padded tables); keep RESULTS.md as `biome check` wants it.
const biome = fileURLToPath(here('../node_modules/.bin/biome'));
if (existsSync(biome)) spawnSync(biome, ['format', '--write', out], { stdio: 'ignore' });
log(`\nwrote ${out} and results/${base}.json (measured in ${data.environment.minutes.toFixed(1)} minutes)`);
