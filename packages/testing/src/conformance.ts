import {
  type Adapter,
  createTokenwire,
  type FinishEvent,
  type StreamEvent,
  type StreamRequest,
  type Timeouts,
} from '@tokenwire/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { collect } from './fixtures.js';
import { findInvariantViolations } from './invariants.js';
import { createReplayServer, type ReplayScript, type ReplayServer } from './replay-server.js';
import {
  conformanceTools,
  conversationTexts,
  imageConversation,
  TINY_PNG_BASE64,
  toolConversation,
} from './scenarios/conversation.js';
import type { ConformanceScenarios, ExpectedOutcome, StreamScenario } from './scenarios/scenario-types.js';

/** What `describeAdapterConformance` needs to drive an adapter. */
export interface ConformanceOptions {
  /** The provider name the adapter is registered under (`model: '<name>/test-model'`). */
  name: string;
  /** Creates the adapter for a replay server; `baseURL` is `server.url`, the adapter appends what its SDK needs. */
  createAdapter(baseURL: string): Adapter;
  /** The vendor payload scripts, e.g. `openaiChatScenarios`. */
  scenarios: ConformanceScenarios;
}

function describeEnd(event: StreamEvent | undefined): string {
  if (event?.type === 'error')
    return `the stream ended with error ${event.error.code}: ${event.error.message}`;
  return `the stream ended with ${event === undefined ? 'nothing' : JSON.stringify(event)}`;
}

function expectFinish(events: StreamEvent[]): FinishEvent {
  const last = events.at(-1);
  expect(last?.type, describeEnd(last)).toBe('finish');
  return last as FinishEvent;
}

function expectOutcome(events: StreamEvent[], expected: ExpectedOutcome): void {
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

/**
 * Registers vitest tests that drive an adapter through the replay server with the vendor's real
 * SDK wire format and check DESIGN.md's invariants 1–8 in every scenario: text, reasoning, tool
 * calls (fragmented, parallel, empty arguments), usage, truncation, in-band errors, HTTP 429
 * and 401, stalls, cancellation, byte splits inside UTF-8, unknown events, and the request side
 * (a three-turn tool conversation and an image in the vendor's valid shape). Needs vitest.
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
  const text = scenarios.text;

  describe(`${name} adapter conformance (${scenarios.protocol} wire)`, () => {
    let server: ReplayServer;
    beforeEach(async () => {
      server = await createReplayServer();
    });
    afterEach(async () => {
      await server.close();
    });

    // A short idle limit by default, so a broken adapter fails its test instead of hanging it.
    function stream(request: Partial<StreamRequest> = {}, timeouts: Timeouts = { idleMs: 3000 }) {
      const tokenwire = createTokenwire({
        providers: { [name]: options.createAdapter(server.url) },
        retries: { maxRetries: 1, initialDelayMs: 1 },
        timeouts,
      });
      return tokenwire.stream({
        model: `${name}/test-model`,
        messages: [{ role: 'user', content: 'Hello' }],
        ...request,
      });
    }

    /** Replays the scripts, collects the events and checks the invariants. */
    async function run(scripts: ReplayScript[], request?: Partial<StreamRequest>, timeouts?: Timeouts) {
      server.enqueue(...scripts);
      const events = await collect(stream(request, timeouts));
      expect(findInvariantViolations(events)).toEqual([]);
      return events;
    }

    function runScenario(scenario: StreamScenario, request?: Partial<StreamRequest>) {
      return async () => {
        const events = await run([{ payloads: scenario.payloads }], { tools: conformanceTools, ...request });
        expectOutcome(events, scenario.expected);
        expect(server.requests).toHaveLength(1);
      };
    }

    it('streams text: start first, tokens accumulate, one finish last', async () => {
      const events = await run([{ payloads: text.payloads }]);
      expect(events[0]).toMatchObject({ type: 'start', provider: name });
      expect(events.filter((event) => event.type === 'token').length).toBeGreaterThan(1);
      expectOutcome(events, text.expected);
      expect(server.requests.map((request) => request.protocol)).toEqual([scenarios.protocol]);
    });

    const reasoning = scenarios.reasoning;
    if ('skip' in reasoning) it.skip(`streams reasoning (skipped: ${reasoning.skip})`, () => {});
    else {
      it(
        'streams reasoning, then the answer',
        runScenario(reasoning, { reasoning: { effort: 'low', budgetTokens: 1024, includeThoughts: true } }),
      );
    }

    it('assembles one tool call from its argument fragments', runScenario(scenarios.toolCall));
    it('assembles parallel tool calls, each completed once', runScenario(scenarios.parallelToolCalls));
    it('completes a tool call with empty arguments as {}', runScenario(scenarios.emptyArgumentsToolCall));
    it('reports the provider usage, normalized', runScenario(scenarios.usage));

    it('ends a truncated stream with invalid_response and keeps the partial content', async () => {
      const events = await run([{ payloads: text.payloads, endAfter: text.cut.after }]);
      expect(events.at(-1)).toMatchObject({
        type: 'error',
        error: { code: 'invalid_response' },
        partial: { content: text.cut.content },
      });
      expect(server.requests).toHaveLength(1);
    });

    it('treats an in-band error before any output like the HTTP error it is', async () => {
      const events = await run([
        { payloads: text.payloads, inBandError: { after: text.recordsBeforeOutput } },
        { payloads: text.payloads },
      ]);
      const last = events.at(-1);
      if (scenarios.retriesInBandError || last?.type === 'finish') {
        expectOutcome(events, { content: text.expected.content });
        expect(server.requests).toHaveLength(2);
      } else {
        expect(events).toHaveLength(1);
        expect(last).toMatchObject({ type: 'error', error: { retryable: false } });
        expect(server.requests).toHaveLength(1);
      }
    });

    it('ends with an error that keeps the partial content on an in-band error after output', async () => {
      const events = await run([{ payloads: text.payloads, inBandError: { after: text.cut.after } }]);
      expect(events.at(-1)).toMatchObject({ type: 'error', partial: { content: text.cut.content } });
      expect(server.requests).toHaveLength(1);
    });

    it('retries HTTP 429, then streams', async () => {
      const events = await run([
        { status: 429, headers: { 'retry-after': '0' } },
        { payloads: text.payloads },
      ]);
      expectOutcome(events, { content: text.expected.content });
      expect(server.requests).toHaveLength(2);
    });

    it('does not retry HTTP 401: the authentication error comes alone', async () => {
      const events = await run([{ status: 401 }, { payloads: text.payloads }]);
      expect(events).toHaveLength(1);
      expect(events[0]).toMatchObject({ type: 'error', error: { code: 'authentication', retryable: false } });
      expect(server.requests).toHaveLength(1);
    });

    it('times out a stalled stream (idleMs 300) and closes the connection', async () => {
      const events = await run(
        [{ payloads: text.payloads, stallAfter: text.cut.after }],
        {},
        { idleMs: 300 },
      );
      expect(events.at(-1)).toMatchObject({
        type: 'error',
        error: { code: 'timeout' },
        partial: { content: text.cut.content },
      });
      await server.waitForClientClose();
    });

    it('cancel() mid-stream finishes as cancelled, keeps what arrived and closes the connection', async () => {
      server.enqueue({ payloads: text.payloads, stallAfter: text.cut.after });
      // the idle limit only ends a broken adapter's stream that never yields a token
      const tokenwireStream = stream({}, { idleMs: 1000 });
      const events: StreamEvent[] = [];
      for await (const event of tokenwireStream) {
        events.push(event);
        if (event.type === 'token') tokenwireStream.cancel();
      }
      expect(findInvariantViolations(events)).toEqual([]);
      const finish = expectFinish(events);
      expect(finish.reason).toBe('cancelled');
      expect(text.cut.content.startsWith(finish.content) && finish.content !== '').toBe(true);
      await server.waitForClientClose();
    });

    it('an aborted AbortSignal cancels the stream and closes the connection', async () => {
      server.enqueue({ payloads: text.payloads, stallAfter: text.cut.after });
      const controller = new AbortController();
      const events: StreamEvent[] = [];
      for await (const event of stream({ signal: controller.signal }, { idleMs: 1000 })) {
        events.push(event);
        if (event.type === 'token') controller.abort();
      }
      expect(findInvariantViolations(events)).toEqual([]);
      expect(expectFinish(events).reason).toBe('cancelled');
      await server.waitForClientClose();
    });

    it('decodes a stream cut inside every multi-byte UTF-8 character', async () => {
      const events = await run([{ payloads: scenarios.unicode.payloads, split: 'inside-characters' }]);
      expectOutcome(events, scenarios.unicode.expected);
    });

    it('decodes a stream cut at random 1–8 byte boundaries', async () => {
      for (const seed of [1, 2]) {
        const events = await run([{ payloads: scenarios.unicode.payloads, split: { min: 1, max: 8, seed } }]);
        expectOutcome(events, scenarios.unicode.expected);
      }
    });

    it('ignores unknown events and fields', runScenario(scenarios.unknownEvents));

    it('sends the three-turn tool conversation in the vendor’s valid shape', async () => {
      await run([{ payloads: text.payloads }], { messages: toolConversation, tools: conformanceTools });
      const body = server.requests[0]?.body;
      expect(scenarios.validateRequest(body)).toEqual([]);
      const serialized = JSON.stringify(body);
      for (const expected of [
        conversationTexts.system,
        conversationTexts.firstQuestion,
        conversationTexts.secondQuestion,
        'get_weather',
        'Paris',
        'temperature',
      ]) {
        expect(serialized, `the request body mentions ${expected}`).toContain(expected);
      }
    });

    it('sends an image in the vendor’s valid shape', async () => {
      await run([{ payloads: text.payloads }], { messages: imageConversation });
      const body = server.requests[0]?.body;
      expect(scenarios.validateRequest(body)).toEqual([]);
      expect(JSON.stringify(body)).toContain(conversationTexts.imageQuestion);
      expect(JSON.stringify(body)).toContain(TINY_PNG_BASE64);
    });
  });
}
