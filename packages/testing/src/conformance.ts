import type { StreamEvent } from '@tokenwire/core';
import { describe, expect, it } from 'vitest';
import { describeCountConformance, describeFileConformance } from './conformance-files.js';
import { describeHardeningConformance } from './conformance-hardening.js';
import {
  type ConformanceHarness,
  type ConformanceOptions,
  expectFinish,
  expectOutcome,
  useConformanceHarness,
  wireName,
} from './conformance-harness.js';
import { describeRequestConformance } from './conformance-requests.js';
import { describeStructuredConformance } from './conformance-structured.js';
import { describeToolLoopConformance } from './conformance-tools.js';
import { findInvariantViolations } from './invariants.js';
import { conformanceTools } from './scenarios/conversation.js';
import type { ConformanceScenarios, StreamScenario } from './scenarios/scenario-types.js';

export type { ConformanceOptions } from './conformance-harness.js';
export type { UseReplayServerOptions } from './use-replay-server.js';
export { useReplayServer } from './use-replay-server.js';

/**
 * Registers vitest tests that drive an adapter through the replay server with the vendor's real
 * SDK wire format (or the scenarios' own `CustomWireFormat`) and check DESIGN.md's invariants 1–8
 * in every scenario: text, reasoning, tool calls (fragmented, parallel, empty arguments), usage,
 * truncation, in-band errors, HTTP 429 and 401, stalls, cancellation, byte splits inside UTF-8,
 * unknown events, structured answers (partial objects that only grow, `finish.object`, and
 * `objectError` for an answer that breaks the schema or is cut off), an executable tool run between
 * two steps of one stream (its result sent back in the vendor's shape, `finish.messages` accepted as
 * the next history), and the request side (a three-turn tool conversation and an image in the vendor's
 * valid shape, malformed history arguments sent as `{}`, and every invalid request refused before
 * it is sent), and the hardening rules: records that carry nothing do not keep a stream alive, a
 * connection held open after the terminal record is closed, malformed and oversized records end
 * with `invalid_response`, and no credential the adapter sent can be found from an error (its 401,
 * 5xx, HTML error page and in-band errors echoing it) or in what `toSSE` sends. A scenario that
 * does not apply is given as `{ skip: reason }`. Needs vitest.
 *
 * @example
 * describeAdapterConformance({
 *   name: 'openai',
 *   createAdapter: (baseURL) => createOpenAIAdapter({ apiKey: 'test', baseURL: `${baseURL}/v1` }),
 *   scenarios: openaiChatScenarios,
 * });
 */
export function describeAdapterConformance(options: ConformanceOptions): void {
  const { name, scenarios } = options;
  describe(`${name} adapter conformance (${wireName(scenarios)} wire)`, () => {
    const harness = useConformanceHarness(options);
    describeStreamConformance(harness, options);
    describeStructuredConformance(harness, scenarios);
    describeToolLoopConformance(harness, scenarios);
    describeFaultConformance(harness, scenarios);
    describeRequestConformance(harness, scenarios);
    describeFileConformance(harness, scenarios);
    describeCountConformance(harness);
    describeHardeningConformance(harness, scenarios);
  });
}

function scenarioTest(
  harness: ConformanceHarness,
  title: string,
  scenario: StreamScenario | { skip: string },
  request: Parameters<ConformanceHarness['run']>[1] = {},
): void {
  if ('skip' in scenario) {
    it.skip(`${title} (skipped: ${scenario.skip})`, () => {});
    return;
  }
  it(title, async () => {
    const events = await harness.run([{ payloads: scenario.payloads }], {
      tools: conformanceTools,
      ...request,
    });
    expectOutcome(events, scenario.expected);
    expect(harness.server.requests).toHaveLength(1);
  });
}

function describeStreamConformance(harness: ConformanceHarness, options: ConformanceOptions): void {
  const { name, scenarios } = options;
  const text = scenarios.text;
  it('streams text: start first, tokens accumulate, one finish last', async () => {
    const events = await harness.run([{ payloads: text.payloads }]);
    expect(events[0]).toMatchObject({ type: 'start', provider: name });
    expect(events.filter((event) => event.type === 'token').length).toBeGreaterThan(1);
    expectOutcome(events, text.expected);
    expect(harness.server.requests.map((request) => request.protocol)).toEqual([wireName(scenarios)]);
  });
  scenarioTest(harness, 'streams reasoning, then the answer', scenarios.reasoning, {
    reasoning: { effort: 'low', budgetTokens: 1024, includeThoughts: true },
  });
  scenarioTest(harness, 'assembles one tool call from its argument fragments', scenarios.toolCall);
  scenarioTest(harness, 'assembles parallel tool calls, each completed once', scenarios.parallelToolCalls);
  scenarioTest(harness, 'completes a tool call with empty arguments as {}', scenarios.emptyArgumentsToolCall);
  scenarioTest(harness, 'reports the provider usage, normalized', scenarios.usage);

  it('decodes a stream cut inside every multi-byte UTF-8 character', async () => {
    const events = await harness.run([{ payloads: scenarios.unicode.payloads, split: 'inside-characters' }]);
    expectOutcome(events, scenarios.unicode.expected);
  });

  it('decodes a stream cut at random 1–8 byte boundaries', async () => {
    for (const seed of [1, 2]) {
      const events = await harness.run([
        { payloads: scenarios.unicode.payloads, split: { min: 1, max: 8, seed } },
      ]);
      expectOutcome(events, scenarios.unicode.expected);
    }
  });

  scenarioTest(harness, 'ignores unknown events and fields', scenarios.unknownEvents);
}

function describeFaultConformance(harness: ConformanceHarness, scenarios: ConformanceScenarios): void {
  const text = scenarios.text;
  it('ends a truncated stream with invalid_response and keeps the partial content', async () => {
    const events = await harness.run([{ payloads: text.payloads, endAfter: text.cut.after }]);
    expect(events.at(-1)).toMatchObject({
      type: 'error',
      error: { code: 'invalid_response' },
      partial: { content: text.cut.content },
    });
    expect(harness.server.requests).toHaveLength(1);
  });

  it('treats an in-band error before any output like the HTTP error it is', async () => {
    const events = await harness.run([
      { payloads: text.payloads, inBandError: { after: text.recordsBeforeOutput } },
      { payloads: text.payloads },
    ]);
    const last = events.at(-1);
    if (scenarios.retriesInBandError || last?.type === 'finish') {
      expectOutcome(events, { content: text.expected.content });
      expect(harness.server.requests).toHaveLength(2);
    } else {
      expect(events).toHaveLength(1);
      expect(last).toMatchObject({ type: 'error', error: { retryable: false } });
      expect(harness.server.requests).toHaveLength(1);
    }
  });

  it('ends with an error that keeps the partial content on an in-band error after output', async () => {
    const events = await harness.run([{ payloads: text.payloads, inBandError: { after: text.cut.after } }]);
    expect(events.at(-1)).toMatchObject({ type: 'error', partial: { content: text.cut.content } });
    expect(harness.server.requests).toHaveLength(1);
  });

  it('retries HTTP 429, then streams', async () => {
    const events = await harness.run([
      { status: 429, headers: { 'retry-after': '0' } },
      { payloads: text.payloads },
    ]);
    expectOutcome(events, { content: text.expected.content });
    expect(harness.server.requests).toHaveLength(2);
  });

  it('does not retry HTTP 401: the authentication error comes alone', async () => {
    const events = await harness.run([{ status: 401 }, { payloads: text.payloads }]);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ type: 'error', error: { code: 'authentication', retryable: false } });
    expect(harness.server.requests).toHaveLength(1);
  });

  it('times out a stalled stream (idleMs 300) and closes the connection', async () => {
    const events = await harness.run(
      [{ payloads: text.payloads, stallAfter: text.cut.after }],
      {},
      { idleMs: 300 },
    );
    expect(events.at(-1)).toMatchObject({
      type: 'error',
      error: { code: 'timeout' },
      partial: { content: text.cut.content },
    });
    await harness.server.waitForClientClose();
  });

  it('cancel() mid-stream finishes as cancelled, keeps what arrived and closes the connection', async () => {
    harness.server.enqueue({ payloads: text.payloads, stallAfter: text.cut.after });
    // the idle limit only ends a broken adapter's stream that never yields a token
    const stream = harness.stream({}, { idleMs: 1000 });
    const events: StreamEvent[] = [];
    for await (const event of stream) {
      events.push(event);
      if (event.type === 'token') stream.cancel();
    }
    expect(findInvariantViolations(events)).toEqual([]);
    const finish = expectFinish(events);
    expect(finish.reason).toBe('cancelled');
    expect(text.cut.content.startsWith(finish.content) && finish.content !== '').toBe(true);
    await harness.server.waitForClientClose();
  });

  it('an aborted AbortSignal cancels the stream and closes the connection', async () => {
    harness.server.enqueue({ payloads: text.payloads, stallAfter: text.cut.after });
    const controller = new AbortController();
    const events: StreamEvent[] = [];
    for await (const event of harness.stream({ signal: controller.signal }, { idleMs: 1000 })) {
      events.push(event);
      if (event.type === 'token') controller.abort();
    }
    expect(findInvariantViolations(events)).toEqual([]);
    expect(expectFinish(events).reason).toBe('cancelled');
    await harness.server.waitForClientClose();
  });
}
