// tokenwire inside workerd, Deno and Bun (installed from npm on first run): the conformance
// scenarios and the recorded fixtures through every first-party adapter's direct transport, the
// gateway's fetch handler, with keys from an `env` object, against replay servers on loopback. Each
// runtime must give exactly the events Node gives, and those must pass the scenario checks.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type StreamEvent, TokenwireError } from '@tokenwire/core';
import { findInvariantViolations } from '@tokenwire/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CaseResult, runCases, TEST_ENV } from './entry/runtime-cases.js';
import { bundleEntry } from './runtime-bundle.js';
import { checkCase } from './runtime-checks.js';
import { installRuntimes } from './runtime-install.js';
import { type PlannedCase, planCases, serveCases } from './runtime-plan.js';
import { runInBun, runInDeno, startWorkerd } from './runtime-runner.js';

const entry = (name: string) => new URL(`./entry/${name}`, import.meta.url).pathname;

const planned = await planCases({ nodeOnly: true });
const nodeCases = planned.filter((entry) => entry.spec.kind !== 'node-only');

/** Runs the plan on Node in-process, as the reference every runtime is compared with. */
async function runOnNode(cases: readonly PlannedCase[]): Promise<Map<string, CaseResult>> {
  const served = await serveCases(cases);
  try {
    const results = await runCases(served.cases, TEST_ENV);
    return new Map(results.map((result) => [result.id, result]));
  } finally {
    await served.close();
  }
}

/** The events with each error made a TokenwireError again from its JSON view, for the invariant check. */
function revived(events: unknown[]): StreamEvent[] {
  return events.map((event) => {
    const { type, error } = event as {
      type: string;
      error?: ConstructorParameters<typeof TokenwireError>[0];
    };
    return (
      type === 'error' && error !== undefined
        ? { ...(event as object), error: new TokenwireError(error) }
        : event
    ) as StreamEvent;
  });
}

/**
 * A result as it compares across runs: tool-call ids that tokenwire generates (Gemini and Ollama
 * send none), the replay servers' ports and SigV4 signatures differ per run; the gateway's answer has its own ids
 * and times, and is checked by `checkCase` alone.
 */
function comparable(result: CaseResult | undefined): unknown {
  if (result === undefined || result.gateway !== undefined) return result?.id;
  const text = JSON.stringify(result)
    .replace(/call_[0-9a-f]{24}/g, 'call_<generated>')
    .replace(/127\.0\.0\.1:\d+/g, '127.0.0.1:<port>')
    // a SigV4 Authorization echoed in an error: signed per request, at its time
    .replace(/Signature=[0-9a-f]+/g, 'Signature=<signature>')
    .replace(/Credential=\[redacted\]\/\d{8}\//g, 'Credential=[redacted]/<date>/');
  return JSON.parse(text);
}

type Runner = (cases: Parameters<typeof runCases>[0]) => Promise<CaseResult[]>;

/** What one runtime gave: each case's result and how many requests its replay server received. */
interface RuntimeRun {
  results: Map<string, CaseResult>;
  requestCounts: Map<string, number>;
  /** For the cases that must close their connection: whether the replay server saw it closed. */
  closed: Map<string, boolean>;
}

const RUNTIMES = ['workerd', 'deno', 'bun'] as const;

let folder = '';
let disposeWorkerd: (() => Promise<void>) | undefined;
let onNode: Map<string, CaseResult>;
const runs = new Map<string, RuntimeRun>();

/** Runs the plan in one runtime, each case against its own replay servers. */
async function runIn(runtime: (typeof RUNTIMES)[number], runner: Runner): Promise<void> {
  const cases = runtime === 'workerd' ? planned : nodeCases;
  const served = await serveCases(cases);
  try {
    const results = new Map((await runner(served.cases)).map((result) => [result.id, result]));
    const closed = new Map<string, boolean>();
    for (const [index, entry] of cases.entries()) {
      if (!entry.closesConnection) continue;
      const server = served.servers[index];
      closed.set(
        entry.id,
        (await server?.waitForClientClose(2000).then(
          () => true,
          () => false,
        )) ?? false,
      );
    }
    const requestCounts = new Map(
      served.cases.map((testCase, index) => [testCase.id, served.servers[index]?.requests.length ?? 0]),
    );
    runs.set(runtime, { results, requestCounts, closed });
    const dump = process.env.TOKENWIRE_RUNTIMES_DUMP;
    if (dump !== undefined)
      await writeFile(join(dump, `${runtime}.json`), JSON.stringify([...results.values()], null, 1));
  } finally {
    await served.close();
  }
}

beforeAll(async () => {
  const runtimes = await installRuntimes();
  folder = await mkdtemp(join(tmpdir(), 'tokenwire-runtimes-'));
  const [bun, deno, worker] = await Promise.all([
    bundleEntry(entry('main-cli.ts'), 'bun'),
    bundleEntry(entry('main-cli.ts'), 'deno'),
    bundleEntry(entry('main-worker.ts'), 'workerd'),
  ]);
  await writeFile(join(folder, 'bun.mjs'), bun);
  await writeFile(join(folder, 'deno.mjs'), deno);
  const workerd = await startWorkerd(runtimes, worker, { ...TEST_ENV });
  disposeWorkerd = () => workerd.dispose();
  onNode = await runOnNode(nodeCases);
  const dump = process.env.TOKENWIRE_RUNTIMES_DUMP;
  if (dump !== undefined)
    await writeFile(join(dump, 'node.json'), JSON.stringify([...onNode.values()], null, 1));
  // The three runtimes at once: each case has its own replay server, and the cases of one runtime run in turn.
  await Promise.all([
    runIn('workerd', async (cases) => (await workerd.run(cases)).results),
    runIn('deno', (cases) => runInDeno(runtimes, join(folder, 'deno.mjs'), cases)),
    runIn('bun', (cases) => runInBun(runtimes, join(folder, 'bun.mjs'), cases)),
  ]);
}, 300_000);

afterAll(async () => {
  await disposeWorkerd?.();
  if (folder !== '') await rm(folder, { recursive: true, force: true });
});

describe.each(RUNTIMES)('in %s', (runtime) => {
  const run = (): RuntimeRun =>
    runs.get(runtime) ?? { results: new Map(), requestCounts: new Map(), closed: new Map() };

  it.each(nodeCases.map((entry) => [entry.id, entry] as const))('%s', (_id, entry) => {
    const result = run().results.get(entry.id);
    expect(result?.failure).toBeUndefined();
    checkCase(entry, result as CaseResult, run().requestCounts.get(entry.id) ?? 0);
    if (entry.closesConnection) expect(run().closed.get(entry.id), 'the connection was closed').toBe(true);
    if (result?.events !== undefined) expect(findInvariantViolations(revived(result.events))).toEqual([]);
    // the same events as on Node, to the field
    expect(comparable(result)).toEqual(comparable(onNode.get(entry.id)));
  });

  it.runIf(runtime === 'workerd')('gateway.listen() fails naming workerd and gateway.fetch', () => {
    expect(run().results.get('gateway.listen() names the runtime')?.nodeOnly).toEqual([
      'gateway.listen() needs Node.js APIs, which Cloudflare Workers (workerd) does not have: serve gateway.fetch instead (a Worker: export default { fetch: gateway.fetch }).',
    ]);
  });
});
