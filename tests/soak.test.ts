import { createTokenwire, type StreamEvent } from '@tokenwire/core';
import { createReplayServer, findInvariantViolations, findSecrets } from '@tokenwire/testing';
import { seededRandom } from '@tokenwire/testing/internal';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { SOAK_FAULTS, type SoakFault } from './soak-faults.js';
import { SOAK_KEY, SOAK_PATHS, type SoakPath } from './soak-paths.js';

// Every wire path under random faults, many streams at once, as users run it: each stream must
// keep the invariants, leak no key, and leave no response open at the server once it has ended.
// TOKENWIRE_SOAK_SECONDS and TOKENWIRE_SOAK_CONCURRENCY make it longer and wider (150 and 400 for
// the soak of the hardening issue); CI runs a short one.
const SECONDS = Number(process.env.TOKENWIRE_SOAK_SECONDS ?? 10);
const CONCURRENCY = Number(process.env.TOKENWIRE_SOAK_CONCURRENCY ?? 40);
const messages = [{ role: 'user' as const, content: 'Hello' }];

interface Problem {
  path: string;
  fault: string;
  what: string;
}

const unhandled: unknown[] = [];
const onUnhandled = (reason: unknown) => unhandled.push(reason);
beforeAll(() => {
  process.on('unhandledRejection', onUnhandled);
  // The SDKs print every malformed record and error body they meet (ollama-js, @google/genai):
  // thousands of lines here.
  for (const level of ['log', 'warn', 'error'] as const)
    vi.spyOn(console, level).mockImplementation(() => {});
});
afterAll(() => {
  process.off('unhandledRejection', onUnhandled);
  vi.restoreAllMocks();
});

/** Waits until `condition` holds, looking every 10 ms, at most `milliseconds`. */
async function eventually(condition: () => boolean, milliseconds: number): Promise<boolean> {
  for (let waited = 0; waited < milliseconds && !condition(); waited += 10) {
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  return condition();
}

/** One stream of one path under one fault; returns what went wrong, if anything. */
async function soakOne(path: SoakPath, fault: SoakFault): Promise<Problem[]> {
  const server = await createReplayServer({ scripts: fault.scripts(path.scenarios) });
  const problem = (what: string): Problem => ({ path: path.name, fault: fault.name, what });
  const problems: Problem[] = [];
  try {
    const tokenwire = createTokenwire({
      providers: { soak: path.adapter(server.url) },
      retries: { maxRetries: 1, initialDelayMs: 1 },
      timeouts: { idleMs: 400 },
    });
    const controller = new AbortController();
    const stream = tokenwire.stream({ model: 'soak/test-model', messages, signal: controller.signal });
    const events: StreamEvent[] = [];
    for await (const event of stream) {
      events.push(event);
      if (event.type !== 'token' || fault.interrupt === undefined) continue;
      if (fault.interrupt === 'break') break;
      if (fault.interrupt === 'cancel') stream.cancel();
      else controller.abort();
    }
    const terminal = await stream.result().then(
      (finish) => finish,
      (error: unknown) => error,
    );
    const ended = events.at(-1)?.type === 'finish' || events.at(-1)?.type === 'error';
    // After a break the consumer never sees the terminal event; result() still has it.
    if (!ended) events.push(terminal as StreamEvent);
    for (const violation of findInvariantViolations(events)) problems.push(problem(violation));
    const last = events.at(-1);
    if (last?.type === 'error' && findSecrets(last.error, [SOAK_KEY]).length > 0)
      problems.push(problem('key leaked'));
    if (fault.interrupt !== undefined && last?.type === 'finish' && last.reason !== 'cancelled') {
      problems.push(problem(`ended ${last.reason} after an interruption`));
    }
    if (!(await eventually(() => server.openResponses === 0, 2_000))) {
      problems.push(problem(`${server.openResponses} response(s) still open after the stream ended`));
    }
  } catch (error) {
    problems.push(problem(`threw ${String(error)}`));
  } finally {
    await server.close();
  }
  return problems;
}

describe(`soak: ${SOAK_PATHS.length} wire paths × ${SOAK_FAULTS.length} faults, ${CONCURRENCY} streams at once for ${SECONDS} s`, () => {
  it(
    'keeps every invariant, leaks no key and leaves no connection open',
    async () => {
      const random = seededRandom(20261201);
      const deadline = Date.now() + SECONDS * 1000;
      const problems: Problem[] = [];
      let streams = 0;
      const worker = async () => {
        while (Date.now() < deadline) {
          const path = SOAK_PATHS[Math.floor(random() * SOAK_PATHS.length)] as SoakPath;
          const fault = SOAK_FAULTS[Math.floor(random() * SOAK_FAULTS.length)] as SoakFault;
          streams++;
          problems.push(...(await soakOne(path, fault)));
        }
      };
      await Promise.all(Array.from({ length: CONCURRENCY }, worker));
      console.info(
        `soak: ${streams} streams, ${problems.length} problems, ${unhandled.length} unhandled rejections`,
      );
      expect(problems.slice(0, 20)).toEqual([]);
      expect(unhandled).toEqual([]);
      expect(streams).toBeGreaterThan(SOAK_PATHS.length * SOAK_FAULTS.length);
    },
    (SECONDS + 60) * 1000,
  );
});
