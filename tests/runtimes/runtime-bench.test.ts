// The Worker bench (bench/RESULTS.md, "Runs everywhere"): in workerd, a 20,000-token stream and a
// 4 MB tool call stay inside a Worker isolate's 128 MB, measured as the isolate's V8 heap (through
// workerd's inspector, read at the finish while the Worker holds it) and the workerd process's
// resident memory; and the minified Worker bundles stay within their budgets.
// TOKENWIRE_BENCH_REPORT=1 prints the numbers the results table takes.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import { openaiChatScenarios } from '@tokenwire/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_ENV } from './entry/runtime-cases.js';
import { bundleEntry } from './runtime-bundle.js';
import { installRuntimes } from './runtime-install.js';
import { serveCases } from './runtime-plan.js';
import { startWorkerd, type WorkerdRun, type WorkerdWorker } from './runtime-runner.js';
import type { HeapUsage } from './workerd-heap.js';

/** A Worker isolate's memory limit (Cloudflare Workers, every plan). */
const ISOLATE_LIMIT_BYTES = 128 * 1024 * 1024;

/** Budgets of the minified Worker bundles, in bytes (measured, plus about 15%). */
export const BUNDLE_BUDGETS = { core: 125_000, coreAndOpenAI: 185_000 } as const;

const entry = (name: string) => new URL(`./entry/${name}`, import.meta.url).pathname;
const report = process.env.TOKENWIRE_BENCH_REPORT !== undefined;
const megabytes = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;

function describeRun(run: WorkerdRun & { atFinish: HeapUsage }): string {
  const { heapBefore, heapPeak, atFinish } = run;
  return (
    `isolate heap used ${megabytes(heapBefore.usedBytes)} before, ${megabytes(atFinish.usedBytes)} at the finish ` +
    `(heap size ${megabytes(atFinish.totalBytes)}), sampled peak ${megabytes(heapPeak.usedBytes)}; ` +
    `workerd RSS ${megabytes(run.baselineRssBytes)} → ${megabytes(run.peakRssBytes)}`
  );
}

function chunk(delta: Record<string, unknown>, finishReason: string | null = null): Record<string, unknown> {
  return {
    id: 'chatcmpl-bench',
    object: 'chat.completion.chunk',
    created: 1_790_000_000,
    model: 'test-model',
    choices: [{ index: 0, delta, logprobs: null, finish_reason: finishReason }],
  };
}

/** A 4,000,000-byte tool call in 8 KB argument fragments, OpenAI Chat's way. */
function bigToolCallPayloads(): { payloads: unknown[]; argumentsLength: number } {
  const argumentsText = JSON.stringify({ data: 'x'.repeat(4_000_000 - 11) });
  const fragments: unknown[] = [];
  for (let start = 0; start < argumentsText.length; start += 8192) {
    fragments.push(
      chunk({
        tool_calls: [{ index: 0, function: { arguments: argumentsText.slice(start, start + 8192) } }],
      }),
    );
  }
  const call = chunk({
    tool_calls: [{ index: 0, id: 'call_big', type: 'function', function: { name: 'store', arguments: '' } }],
  });
  return {
    payloads: [chunk({ role: 'assistant', content: '' }), call, ...fragments, chunk({}, 'tool_calls')],
    argumentsLength: argumentsText.length,
  };
}

const storeTool = {
  name: 'store',
  description: 'Stores data.',
  parameters: { type: 'object', properties: { data: { type: 'string' } } },
};

describe('in workerd', () => {
  let worker: WorkerdWorker;

  beforeAll(async () => {
    const runtimes = await installRuntimes();
    worker = await startWorkerd(runtimes, await bundleEntry(entry('main-worker.ts'), 'workerd'), {
      ...TEST_ENV,
    });
  }, 300_000);

  afterAll(async () => {
    await worker?.dispose();
  });

  /** Streams the payloads in the Worker; `atFinish` is the isolate's heap while it holds the finish event. */
  async function measure(payloads: unknown[], request: object) {
    let atFinish: HeapUsage = { usedBytes: 0, totalBytes: 0 };
    const probe = createServer((_request, response) => {
      void worker.heapUsage().then((usage) => {
        atFinish = usage;
        response.end('ok');
      });
    });
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const probeURL = `http://127.0.0.1:${(probe.address() as AddressInfo).port}/`;
    const served = await serveCases([
      {
        id: 'bench',
        spec: { kind: 'stream', adapter: 'openai-chat', summary: true, request, probeURL },
        scripts: [{ payloads }],
      },
    ]);
    try {
      const run = await worker.run(served.cases);
      return { ...run, atFinish, summary: run.results[0]?.summary, failure: run.results[0]?.failure };
    } finally {
      await served.close();
      await new Promise((resolve) => probe.close(resolve));
    }
  }

  it('streams 20,000 tokens within the isolate limit', async () => {
    const texts = Array.from({ length: 20_000 }, (_, index) => `w${index % 10} `);
    const payloads = openaiChatScenarios.textPayloads?.(texts) ?? [];
    const run = await measure(payloads, {});
    expect(run.failure).toBeUndefined();
    expect(run.summary).toMatchObject({ tokens: 20_000, contentLength: 60_000, last: 'finish' });
    const added = run.peakRssBytes - run.baselineRssBytes;
    if (report) console.log(`20,000 tokens: ${describeRun(run)}`);
    expect(run.atFinish.totalBytes).toBeGreaterThan(0);
    expect(Math.max(run.atFinish.totalBytes, run.heapPeak.totalBytes)).toBeLessThan(ISOLATE_LIMIT_BYTES / 2);
    expect(run.baselineRssBytes).toBeGreaterThan(0);
    expect(added).toBeLessThan(ISOLATE_LIMIT_BYTES / 2);
  }, 60_000);

  it('assembles a 4 MB tool call within the isolate limit', async () => {
    const { payloads, argumentsLength } = bigToolCallPayloads();
    const run = await measure(payloads, { tools: [storeTool] });
    expect(run.failure).toBeUndefined();
    expect(run.summary).toMatchObject({ toolArgumentsLength: argumentsLength, last: 'finish' });
    const added = run.peakRssBytes - run.baselineRssBytes;
    if (report) console.log(`4 MB tool call: ${describeRun(run)}`);
    // the finish holds the 4 MB arguments and their parsed input: the heap must show them
    expect(run.atFinish.usedBytes - run.heapBefore.usedBytes).toBeGreaterThan(4_000_000);
    expect(Math.max(run.atFinish.totalBytes, run.heapPeak.totalBytes)).toBeLessThan(
      (ISOLATE_LIMIT_BYTES * 3) / 4,
    );
    expect(added).toBeLessThan((ISOLATE_LIMIT_BYTES * 3) / 4);
  }, 60_000);
});

describe('the minified Worker bundle (esbuild)', () => {
  it.each([
    ['core alone', 'bundle-core.ts', BUNDLE_BUDGETS.core],
    [
      'core + the openai adapter, without the openai SDK',
      'bundle-core-openai.ts',
      BUNDLE_BUDGETS.coreAndOpenAI,
    ],
  ] as const)('%s stays within its budget', async (name, file, budget) => {
    const code = await bundleEntry(entry(file), 'workerd', { minify: true, bundleSdks: false });
    const bytes = Buffer.byteLength(code);
    if (report)
      console.log(`${name}: ${bytes} bytes minified, ${gzipSync(code).length} gzipped (budget ${budget})`);
    expect(bytes).toBeLessThanOrEqual(budget);
  });
});
