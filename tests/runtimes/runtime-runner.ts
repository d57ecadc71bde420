// Runs a plan's cases inside a real runtime: Bun and Deno as child processes on the CLI bundle,
// workerd through miniflare on the Worker bundle (its bindings are the keys). Results come back
// as JSON; the Node side checks them.
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import type { CaseResult, RuntimeCase } from './entry/runtime-cases.js';
import type { InstalledRuntimes } from './runtime-install.js';
import { freePort, type HeapUsage, inspectHeap } from './workerd-heap.js';

const run = promisify(execFile);

const REPOSITORY = fileURLToPath(new URL('../../', import.meta.url));

/**
 * Where the Bun and Deno processes run: the folder of an application that installed the Bedrock
 * adapter and its SDK, whose own modules (HTTP handler, event-stream codec) the adapter requires
 * from there, as it does from a bundle without node_modules beside it.
 */
const APPLICATION_FOLDER = `${REPOSITORY}packages/bedrock`;

/** The line the CLI entry prints before its results (main-cli.ts). */
const RESULTS_MARKER = '--tokenwire-runtime-results--';

function resultsOf(stdout: string, runtime: string): CaseResult[] {
  const at = stdout.lastIndexOf(RESULTS_MARKER);
  if (at === -1) throw new Error(`${runtime} printed no results:\n${stdout.slice(-2000)}`);
  return JSON.parse(stdout.slice(at + RESULTS_MARKER.length)) as CaseResult[];
}

/** Runs the CLI bundle in Bun (`bun run --no-install`: nothing fetched), with no environment variables of the test's. */
export async function runInBun(
  runtimes: InstalledRuntimes,
  bundle: string,
  cases: readonly RuntimeCase[],
): Promise<CaseResult[]> {
  const { stdout } = await run(runtimes.bun, ['run', '--no-install', bundle, JSON.stringify(cases)], {
    cwd: APPLICATION_FOLDER,
    env: { PATH: process.env.PATH ?? '', BUN_RUNTIME_TRANSPILER_CACHE_PATH: '0' },
    maxBuffer: 256 * 1024 * 1024,
  });
  return resultsOf(stdout, 'bun');
}

/**
 * Runs the CLI bundle in Deno with network access to loopback only, and reads in the repository
 * only (the Bedrock SDK's modules, see APPLICATION_FOLDER). The environment holds no key (only PATH): keys come from the `env` object. --allow-env is
 * for @anthropic-ai/sdk, whose constructor reads its own variables (ANTHROPIC_WEBHOOK_SIGNING_KEY, …)
 * through Deno.env, which Deno refuses without it; tokenwire reads none without the permission.
 */
export async function runInDeno(
  runtimes: InstalledRuntimes,
  bundle: string,
  cases: readonly RuntimeCase[],
): Promise<CaseResult[]> {
  const args = [
    'run',
    '--no-config',
    '--no-prompt',
    '--allow-net=127.0.0.1',
    '--allow-env',
    `--allow-read=${REPOSITORY}`,
    bundle,
    JSON.stringify(cases),
  ];
  const { stdout } = await run(runtimes.deno, args, {
    cwd: APPLICATION_FOLDER,
    env: {
      PATH: process.env.PATH ?? '',
      DENO_NO_UPDATE_CHECK: '1',
      DENO_DIR: join(runtimes.folder, 'deno-dir'),
    },
    maxBuffer: 256 * 1024 * 1024,
  });
  return resultsOf(stdout, 'deno');
}

/** What the Worker answered, and the most memory the workerd process held while it ran. */
export interface WorkerdRun {
  results: CaseResult[];
  /** Peak resident set of the workerd process during the run, in bytes (/proc VmRSS, sampled every 10 ms). */
  peakRssBytes: number;
  /** Its resident set before the run. */
  baselineRssBytes: number;
  /** The isolate's V8 heap before the run, and its peak (sampled every 5 ms, between the isolate's tasks). */
  heapBefore: HeapUsage;
  heapPeak: HeapUsage;
}

interface MiniflareLike {
  ready: Promise<URL>;
  dispatchFetch(url: string, init: { method: string; body: string }): Promise<{ text(): Promise<string> }>;
  dispose(): Promise<void>;
}

/** A Worker in workerd (miniflare), kept for several runs. */
export interface WorkerdWorker {
  run(cases: readonly RuntimeCase[]): Promise<WorkerdRun>;
  /** The isolate's heap now (answered between its tasks). */
  heapUsage(): Promise<HeapUsage>;
  dispose(): Promise<void>;
}

/** Starts the Worker bundle in workerd, its bindings `bindings`, with no Node.js compatibility flag. */
export async function startWorkerd(
  runtimes: InstalledRuntimes,
  script: string,
  bindings: Record<string, string>,
): Promise<WorkerdWorker> {
  const require = createRequire(join(runtimes.folder, 'package.json'));
  const { Miniflare } = (await import(pathToFileURL(require.resolve('miniflare')).href)) as {
    Miniflare: new (options: object) => MiniflareLike;
  };
  const children = await childPids();
  // One module given whole (as wrangler uploads a bundle): miniflare does not follow its imports,
  // so core's by-name import(), which a Worker never reaches, is left as it is.
  const modules = [{ type: 'ESModule', path: 'worker.mjs', contents: script }];
  const inspectorPort = await freePort();
  const miniflare = new Miniflare({ modules, compatibilityDate: '2026-07-01', bindings, inspectorPort });
  await miniflare.ready;
  const workerd = (await childPids()).find((pid) => !children.includes(pid));
  const heap = await inspectHeap(inspectorPort, require('ws'));
  return {
    async run(cases) {
      const heapBefore = await heap.usage();
      const heapPeak = { ...heapBefore };
      const baselineRssBytes = workerd === undefined ? 0 : await rssOf(workerd);
      let peakRssBytes = baselineRssBytes;
      const sampler = setInterval(() => {
        void heap.usage().then((usage) => {
          heapPeak.usedBytes = Math.max(heapPeak.usedBytes, usage.usedBytes);
          heapPeak.totalBytes = Math.max(heapPeak.totalBytes, usage.totalBytes);
        });
        if (workerd === undefined) return;
        void rssOf(workerd).then((rss) => {
          peakRssBytes = Math.max(peakRssBytes, rss);
        });
      }, 5);
      try {
        const response = await miniflare.dispatchFetch('http://runner.test/', {
          method: 'POST',
          body: JSON.stringify(cases),
        });
        const text = await response.text();
        const results = JSON.parse(text) as CaseResult[];
        return { results, peakRssBytes, baselineRssBytes, heapBefore, heapPeak };
      } finally {
        clearInterval(sampler);
      }
    },
    heapUsage: () => heap.usage(),
    dispose: async () => {
      heap.close();
      await miniflare.dispose();
    },
  };
}

/** The process ids whose parent is this process (Linux /proc). */
async function childPids(): Promise<number[]> {
  const { readdir } = await import('node:fs/promises');
  const pids: number[] = [];
  for (const name of await readdir('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const status = await readFile(`/proc/${name}/status`, 'utf8').catch(() => '');
    if (new RegExp(`^PPid:\\s+${process.pid}$`, 'm').test(status) && /^Name:\s+workerd/m.test(status)) {
      pids.push(Number(name));
    }
  }
  return pids;
}

async function rssOf(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8').catch(() => '');
  const kilobytes = /^VmRSS:\s+(\d+) kB$/m.exec(status)?.[1];
  return kilobytes === undefined ? 0 : Number(kilobytes) * 1024;
}
