import { type StreamEvent, TokenwireError } from '@tokenwire/core';
import { describe, expect, it } from 'vitest';
import { findInvariantViolations } from './invariants.js';

const usage = { inputTokens: 1, outputTokens: 2, totalTokens: 3, estimated: false };
const start: StreamEvent = { type: 'start', provider: 'p', model: 'm' };
const token = (content: string, accumulatedContent: string): StreamEvent => ({
  type: 'token',
  content,
  accumulatedContent,
  tokenCount: 1,
  totalTokens: 1,
  model: 'm',
  finishReason: null,
});
const finish = (fields: Partial<Extract<StreamEvent, { type: 'finish' }>> = {}): StreamEvent =>
  ({
    type: 'finish',
    reason: 'stop',
    usage,
    content: '',
    reasoning: '',
    toolCalls: [],
    provider: 'p',
    model: 'm',
    messages: [],
    ...fields,
  }) as StreamEvent;
const chunk = (index: number, id: string, argumentsDelta: string, accumulated: string): StreamEvent => ({
  type: 'tool_call_chunk',
  index,
  id,
  name: 'f',
  argumentsDelta,
  arguments: accumulated,
});
const complete = (index: number, id: string, args: string, input: unknown): StreamEvent => ({
  type: 'tool_call_complete',
  index,
  id,
  name: 'f',
  arguments: args,
  input,
});

describe('findInvariantViolations', () => {
  it('accepts a conforming stream', () => {
    const call = { id: 'c', name: 'f', arguments: '{"a":1}', input: { a: 1 } };
    expect(
      findInvariantViolations([
        start,
        token('a', 'a'),
        token('b', 'ab'),
        chunk(0, 'c', '{"a":', '{"a":'),
        chunk(0, 'c', '1}', '{"a":1}'),
        complete(0, 'c', '{"a":1}', { a: 1 }),
        finish({ reason: 'tool_calls', content: 'ab', toolCalls: [call] }),
      ]),
    ).toEqual([]);
  });

  it('accepts an error alone', () => {
    const error = new TokenwireError({ code: 'authentication', message: 'no' });
    expect(
      findInvariantViolations([
        { type: 'error', error, partial: { content: '', reasoning: '', toolCalls: [], usage } },
      ]),
    ).toEqual([]);
  });

  it('names a missing start, events after the terminal one and a broken accumulation', () => {
    expect(findInvariantViolations([token('a', 'a'), finish({ content: 'a' }), token('b', 'x')])).toEqual([
      'event #1 is terminal but events follow it (invariant 1)',
      'events came without a start event; only a terminal event may come alone (invariant 1)',
      'event #2 (token): accumulatedContent is not the concatenation of all content so far (invariant 2)',
    ]);
  });

  it('names a call completed twice, a stop reason after tool calls and missing usage', () => {
    const events = [
      start,
      chunk(0, 'c', '', ''),
      complete(0, 'c', '{}', {}),
      complete(0, 'c', '{}', {}),
      finish({ toolCalls: [{ id: 'c', name: 'f', arguments: '{}' }], usage: undefined as never }),
    ];
    expect(findInvariantViolations(events)).toEqual([
      'event #3 (tool_call_complete): call #0 completed twice (invariant 3)',
      'event #4 (finish): usage is missing (invariant 5)',
      "event #4 (finish): tool calls completed but the reason is 'stop', not 'tool_calls' (invariant 4)",
    ]);
  });

  it('names an error that lost partial content or is not a TokenwireError', () => {
    const events: StreamEvent[] = [
      start,
      token('a', 'a'),
      {
        type: 'error',
        error: new Error('x') as TokenwireError,
        partial: { content: '', reasoning: '', toolCalls: [], usage },
      },
    ];
    expect(findInvariantViolations(events)).toEqual([
      'event #2 (error): error is not a TokenwireError (invariant 7)',
      'event #2 (error): partial.content lost text (invariant 7)',
    ]);
  });

  describe('with executable tools', () => {
    const call = { id: 'c', name: 'f', arguments: '{}', input: {} };
    const stepUsage = { inputTokens: 1, outputTokens: 1, totalTokens: 2, estimated: false };
    const stepStart = (step: number): StreamEvent => ({
      type: 'step_start',
      step,
      provider: 'p',
      model: 'm',
    });
    const stepFinish = (step: number, toolCalls = [call]): StreamEvent => ({
      type: 'step_finish',
      step,
      reason: toolCalls.length > 0 ? 'tool_calls' : 'stop',
      usage: stepUsage,
      toolCalls,
    });
    const result: StreamEvent = { type: 'tool_result', toolCallId: 'c', name: 'f', output: 1 };
    const summary = {
      provider: 'p',
      model: 'm',
      usage: stepUsage,
      content: '',
      toolCalls: [],
      toolResults: [],
    };
    const twoStepFinish = (total: number) =>
      finish({
        content: 'a',
        toolCalls: [call],
        usage: { inputTokens: total / 2, outputTokens: total / 2, totalTokens: total, estimated: false },
        steps: [
          { ...summary, step: 1, reason: 'tool_calls' },
          { ...summary, step: 2, reason: 'stop' },
        ],
      });
    const twoSteps = (results: StreamEvent[], total: number): StreamEvent[] => [
      start,
      stepStart(1),
      chunk(0, 'c', '', ''),
      complete(0, 'c', '{}', {}),
      stepFinish(1),
      ...results,
      stepStart(2),
      token('a', 'a'),
      stepFinish(2, []),
      twoStepFinish(total),
    ];

    it('accepts two steps with a result between them and usage summed', () => {
      expect(findInvariantViolations(twoSteps([result], 4))).toEqual([]);
    });

    it('accepts a stream waiting for approval, and the result of a decision before its first step', () => {
      const asked: StreamEvent = {
        type: 'tool_approval_request',
        approvalId: 'c',
        toolCallId: 'c',
        name: 'f',
        input: {},
      };
      const waiting = [
        start,
        stepStart(1),
        chunk(0, 'c', '', ''),
        complete(0, 'c', '{}', {}),
        stepFinish(1),
        asked,
      ];
      const waitingFinish = finish({
        reason: 'awaiting_approval',
        toolCalls: [call],
        usage: stepUsage,
        steps: [{ ...summary, step: 1, reason: 'tool_calls' }],
      });
      expect(findInvariantViolations([...waiting, waitingFinish])).toEqual([]);
      const decided = [start, result, stepStart(1), token('a', 'a'), stepFinish(1, [])];
      const decidedFinish = finish({
        content: 'a',
        usage: stepUsage,
        steps: [{ ...summary, step: 1, reason: 'stop' }],
      });
      expect(findInvariantViolations([...decided, decidedFinish])).toEqual([]);
    });

    it('names a result nobody called, a step out of order and usage that is not the sum', () => {
      const stray: StreamEvent = { ...result, toolCallId: 'other' };
      const events = twoSteps([stray], 3);
      events.splice(6, 1, stepStart(3));
      expect(findInvariantViolations(events)).toEqual([
        'event #5 (tool_result): a result for other, which no finished step called',
        'event #6 (step_start): step 3 follows step 1, not step 2',
        'event #8 (step_finish): step_finish of step 2, which is not the one running',
        'event #9 (finish): finish.steps has 2 steps, the stream had 3',
        "event #9 (finish): usage.totalTokens 3 is not the steps' sum 4",
      ]);
    });
  });
});
