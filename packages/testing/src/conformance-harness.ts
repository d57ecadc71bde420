import {
  type Adapter,
  type CountTokensRequest,
  createTokenwire,
  type FinishEvent,
  type StreamEvent,
  type StreamRequest,
  type Timeouts,
  type TokenCount,
  type TokenwireConfig,
  type TokenwireStream,
} from '@tokenwire/core';
import { afterEach, beforeEach, expect } from 'vitest';
import { collect } from './fixtures.js';
import { findInvariantViolations } from './invariants.js';
import { createReplayServer, type ReplayScript, type ReplayServer } from './replay-server.js';
import type { ConformanceScenarios, ExpectedOutcome } from './scenarios/scenario-types.js';

/** What `describeAdapterConformance` needs to drive an adapter. */
export interface ConformanceOptions {
  /** The provider name the adapter is registered under (`model: '<name>/test-model'`). */
  name: string;
  /** Creates the adapter for a replay server; `baseURL` is `server.url`, the adapter appends what its SDK needs. */
  createAdapter(baseURL: string): Adapter;
  /** The vendor payload scripts, e.g. `openaiChatScenarios`, or your own for a custom wire format. */
  scenarios: ConformanceScenarios;
}

/** A replay server per test and a client on it with the adapter under test. */
export interface ConformanceHarness {
  /** The replay server of the running test. */
  readonly server: ReplayServer;
  /** A stream of `request` (over a one-message default) with the adapter, short timeouts and one quick retry. */
  stream(request?: Partial<StreamRequest>, timeouts?: Timeouts, config?: TokenwireConfig): TokenwireStream;
  /** `tokenwire.countTokens` of `request` (over a one-message default) with the adapter. */
  countTokens(request?: Partial<CountTokensRequest>): Promise<TokenCount>;
  /** Replays the scripts, collects the events and checks the invariants. */
  run(scripts: ReplayScript[], request?: Partial<StreamRequest>, timeouts?: Timeouts): Promise<StreamEvent[]>;
}

/** Registers the per-test replay server (with the scenarios' own wire format, if any) and returns the harness. */
export function useConformanceHarness(options: ConformanceOptions): ConformanceHarness {
  const { protocol } = options.scenarios;
  let server: ReplayServer | undefined;
  beforeEach(async () => {
    server = await createReplayServer({ wireFormats: typeof protocol === 'string' ? [] : [protocol] });
  });
  afterEach(async () => {
    await server?.close();
  });
  const harness: ConformanceHarness = {
    get server() {
      return server as ReplayServer;
    },
    // A short idle limit by default, so a broken adapter fails its test instead of hanging it.
    stream(request = {}, timeouts = { idleMs: 3000 }, config = {}) {
      const tokenwire = createTokenwire({
        providers: { [options.name]: options.createAdapter(harness.server.url) },
        retries: { maxRetries: 1, initialDelayMs: 1 },
        timeouts,
        ...config,
      });
      return tokenwire.stream({
        model: `${options.name}/test-model`,
        messages: [{ role: 'user', content: 'Hello' }],
        ...request,
      });
    },
    countTokens(request = {}) {
      const tokenwire = createTokenwire({
        providers: { [options.name]: options.createAdapter(harness.server.url) },
        retries: { maxRetries: 1, initialDelayMs: 1 },
      });
      return tokenwire.countTokens({
        model: `${options.name}/test-model`,
        messages: [{ role: 'user', content: 'Hello' }],
        ...request,
      });
    },
    async run(scripts, request, timeouts) {
      harness.server.enqueue(...scripts);
      const events = await collect(harness.stream(request, timeouts));
      expect(findInvariantViolations(events)).toEqual([]);
      return events;
    },
  };
  return harness;
}

/** The name of the scenarios' wire, as the replay server records it. */
export function wireName(scenarios: ConformanceScenarios): string {
  return typeof scenarios.protocol === 'string' ? scenarios.protocol : scenarios.protocol.name;
}

function describeEnd(event: StreamEvent | undefined): string {
  if (event?.type === 'error')
    return `the stream ended with error ${event.error.code}: ${event.error.message}`;
  return `the stream ended with ${event === undefined ? 'nothing' : JSON.stringify(event)}`;
}

/** The finish event that must end the events. */
export function expectFinish(events: StreamEvent[]): FinishEvent {
  const last = events.at(-1);
  expect(last?.type, describeEnd(last)).toBe('finish');
  return last as FinishEvent;
}

/** Checks the finish event against a scenario's expected outcome. */
export function expectOutcome(events: StreamEvent[], expected: ExpectedOutcome): void {
  const finish = expectFinish(events);
  if (expected.content !== undefined) expect(finish.content).toBe(expected.content);
  if (expected.reasoning !== undefined) expect(finish.reasoning).toBe(expected.reasoning);
  if (expected.signature !== undefined) {
    const signatures = events.flatMap((event) =>
      event.type === 'reasoning' && event.signature ? [event.signature] : [],
    );
    expect(signatures).toContain(expected.signature);
  }
  if (expected.toolCalls !== undefined) {
    const calls = finish.toolCalls.map((call, index) => {
      const want = expected.toolCalls?.[index];
      return want?.id === undefined
        ? { name: call.name, input: call.input }
        : { id: call.id, name: call.name, input: call.input };
    });
    expect(calls).toEqual(expected.toolCalls);
    expect(finish.toolCalls.every((call) => call.id !== '')).toBe(true);
  }
  if (expected.reason !== undefined) expect(finish.reason).toBe(expected.reason);
  if (expected.usage !== undefined) expect(finish.usage).toMatchObject(expected.usage);
}
