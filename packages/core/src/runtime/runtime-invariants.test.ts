import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { AdapterDelta, FinishReason, StreamEvent } from '../model/types.js';
import { createTokenwire } from './create-tokenwire.js';
import { collectEvents, type Step, scriptedAdapter } from './scripted-adapter.test-helpers.js';

const text = fc.string({ unit: fc.constantFrom('a', 'b', ' ', '你', '🙂', 'é', '\n'), maxLength: 6 });
const providerIndex = fc.option(fc.integer({ min: 0, max: 2 }), { nil: undefined });

const delta: fc.Arbitrary<AdapterDelta> = fc.oneof(
  text.map((value) => ({ type: 'text' as const, delta: value })),
  text.map((value) => ({ type: 'reasoning' as const, delta: value })),
  fc
    .record({
      index: providerIndex,
      id: fc.option(fc.constantFrom('', 'call_a', 'call_b', 'call_c'), { nil: undefined }),
      name: fc.option(fc.constantFrom('lookup', 'search'), { nil: undefined }),
      argumentsDelta: fc.option(fc.constantFrom('', ' ', '{', '"q":1', '}', '{}'), { nil: undefined }),
    })
    .map((fragment) => ({ type: 'tool_call' as const, ...fragment })),
  fc.integer({ min: 0, max: 2 }).map((index) => ({ type: 'tool_call_end' as const, index })),
  fc
    .record({ inputTokens: fc.nat(50), outputTokens: fc.nat(50) }, { requiredKeys: [] })
    .map((usage) => ({ type: 'usage' as const, usage })),
  fc.constant({ type: 'start' as const, model: 'm-2' }),
);

const ending = fc.constantFrom<'finish' | 'none' | 'throw'>('finish', 'none', 'throw');
const reason = fc.constantFrom<FinishReason>('stop', 'length', 'tool_calls', 'other');

function script(
  deltas: AdapterDelta[],
  end: 'finish' | 'none' | 'throw',
  finishReason: FinishReason,
): Step[] {
  const steps: Step[] = [...deltas];
  if (end === 'finish') steps.push({ type: 'finish', reason: finishReason });
  if (end === 'throw') steps.push({ throw: new Error('boom') });
  return steps;
}

function checkInvariants(events: StreamEvent[], finishReason: FinishReason): void {
  const terminals = events.filter((event) => event.type === 'finish' || event.type === 'error');
  expect(terminals).toHaveLength(1); // invariant 1: exactly one terminal event…
  const terminal = events[events.length - 1] as StreamEvent;
  expect(terminals[0]).toBe(terminal); // …and it is last
  if (events.length > 1) expect(events[0]?.type).toBe('start'); // start first
  expect(events.filter((event) => event.type === 'start').length).toBeLessThanOrEqual(1);

  let content = '';
  let reasoning = '';
  const completed = new Map<string, number>();
  for (const event of events) {
    if (event.type === 'token') {
      content += event.content;
      expect(event.accumulatedContent).toBe(content); // invariant 2
      expect(event.finishReason).toBeNull();
    } else if (event.type === 'reasoning') {
      reasoning += event.content;
      expect(event.accumulatedReasoning).toBe(reasoning);
    } else if (event.type === 'tool_call_complete') {
      completed.set(event.id, (completed.get(event.id) ?? 0) + 1);
      if (event.inputError === undefined) expect(event.input).toEqual(JSON.parse(event.arguments));
    }
  }
  for (const count of completed.values()) expect(count).toBe(1); // invariant 3: one completion per call

  if (terminal.type === 'finish') {
    expect(terminal.content).toBe(content);
    expect(terminal.reasoning).toBe(reasoning);
    if (terminal.reason === 'cancelled') {
      // calls still open when cancelled are kept too, without input
      for (const id of completed.keys()) expect(terminal.toolCalls.map((call) => call.id)).toContain(id);
    } else {
      expect(terminal.toolCalls.map((call) => call.id).sort()).toEqual([...completed.keys()].sort());
      for (const call of terminal.toolCalls) expect(call.arguments.trim()).not.toBe('');
    }
    if (completed.size > 0 && finishReason === 'stop' && terminal.reason !== 'cancelled')
      expect(terminal.reason).toBe('tool_calls'); // invariant 4
    expect(Number.isInteger(terminal.usage.totalTokens)).toBe(true); // invariant 5
  } else if (terminal.type === 'error') {
    expect(terminal.partial.content).toBe(content); // invariant 7: nothing lost
    expect(terminal.partial.reasoning).toBe(reasoning);
    expect(Number.isInteger(terminal.partial.usage.totalTokens)).toBe(true);
  }
}

describe('runtime invariants for random delta sequences', () => {
  it('hold for every adapter output', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(delta, { maxLength: 25 }),
        ending,
        reason,
        async (deltas, end, finishReason) => {
          const adapter = scriptedAdapter(script(deltas, end, finishReason));
          const tokenwire = createTokenwire({ providers: { mock: adapter }, retries: 0 });
          const events = await collectEvents(
            tokenwire.stream({ model: 'mock/m', messages: [{ role: 'user', content: 'x' }] }),
          );
          checkInvariants(events, finishReason);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('hold when the stream is cancelled at a random point', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(delta, { maxLength: 15 }), fc.nat(15), async (deltas, cancelAfter) => {
        const adapter = scriptedAdapter([...deltas, { stall: true }]);
        const stream = createTokenwire({ providers: { mock: adapter }, retries: 0 }).stream({
          model: 'mock/m',
          messages: [{ role: 'user', content: 'x' }],
        });
        const events: StreamEvent[] = [];
        if (cancelAfter === 0) stream.cancel();
        // the script stalls at its end: cancel then at the latest
        const stalled = setTimeout(() => stream.cancel(), 5);
        for await (const event of stream) {
          events.push(event);
          if (events.length >= cancelAfter) stream.cancel();
        }
        clearTimeout(stalled);
        checkInvariants(events, 'stop');
        const terminal = events[events.length - 1];
        if (terminal?.type === 'finish') expect(terminal.reason).toBe('cancelled');
      }),
      { numRuns: 150 },
    );
  });
});
