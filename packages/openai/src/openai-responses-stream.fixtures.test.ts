import { type ErrorEvent, type FinishEvent, TokenwireError } from '@tokenwire/core';
import type { AdapterDelta } from '@tokenwire/core/adapter';
import { findInvariantViolations } from '@tokenwire/testing';
import { describe, expect, it } from 'vitest';
import {
  accumulateEvents,
  fixtureNames,
  readFixturePayloads,
  recordedTools,
  splitResponses,
} from './openai-fixtures.test-helpers.js';
import {
  expectedTexts,
  RESPONSES_FIXTURE_EXPECTATIONS,
  type ResponseExpectation,
} from './openai-responses.fixtures.test-helpers.js';
import {
  createOpenAIResponsesStreamState,
  translateOpenAIResponsesEvent,
} from './openai-responses-stream.js';
import { declaredToolsOf } from './openai-responses-tools.js';

const fixtures = fixtureNames('openai-responses');

/**
 * Runs one response through the translator and core's accumulator, as the runtime would, with the
 * tools its request declared (which the response echoes).
 */
function run(payloads: unknown[]): FinishEvent | ErrorEvent {
  const state = createOpenAIResponsesStreamState({ declaredTools: declaredToolsOf(recordedTools(payloads)) });
  const deltas: AdapterDelta[] = [];
  let failure: TokenwireError | undefined;
  try {
    for (const payload of payloads) translateOpenAIResponsesEvent(payload as { type: string }, state, deltas);
  } catch (error) {
    if (!TokenwireError.isInstance(error)) throw error;
    failure = error;
  }
  const events = accumulateEvents(deltas, failure);
  expect(findInvariantViolations(events)).toEqual([]);
  return events.at(-1) as FinishEvent | ErrorEvent;
}

/** The observable outcome of a terminal event, in the shape of the expectations. */
function outcomeOf(terminal: FinishEvent | ErrorEvent, payloads: unknown[]): ResponseExpectation {
  if (terminal.type === 'error') {
    return {
      outcome: 'error',
      code: terminal.error.code,
      retryable: terminal.error.retryable,
      toolCalls: terminal.partial.toolCalls,
    };
  }
  const { content, reasoning } = expectedTexts(payloads);
  expect(terminal.content).toBe(content);
  expect(terminal.reasoning).toBe(reasoning);
  return {
    outcome: 'finish',
    responseId: terminal.responseId as string,
    model: terminal.model,
    reason: terminal.reason,
    rawReason: terminal.rawReason as string,
    contentLength: terminal.content.length,
    reasoningLength: terminal.reasoning.length,
    toolCalls: terminal.toolCalls,
    usage: terminal.usage,
  };
}

describe('translateOpenAIResponsesEvent over recorded streams', () => {
  it('has an expectation for every recorded Responses fixture', () => {
    expect(Object.keys(RESPONSES_FIXTURE_EXPECTATIONS).sort()).toEqual(fixtures);
  });

  it.each(fixtures)('translates openai-responses/%s', (name) => {
    const { payloads, unparsableLines } = readFixturePayloads(`openai-responses/${name}`);
    const expected = RESPONSES_FIXTURE_EXPECTATIONS[name];
    expect(unparsableLines).toEqual(expected?.unparsableLines);
    const outcomes = splitResponses(payloads).map((response) => outcomeOf(run(response), response));
    expect(outcomes).toEqual(expected?.responses);
  });
});
