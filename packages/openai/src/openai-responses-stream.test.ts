import { TokenwireError } from '@tokenwire/core';
import type { AdapterDelta } from '@tokenwire/core/adapter';
import { describe, expect, it } from 'vitest';
import { accumulate } from './openai-fixtures.test-helpers.js';
import {
  createOpenAIResponsesStreamState,
  translateOpenAIResponsesEvent,
} from './openai-responses-stream.js';

type Event = { type: string; [field: string]: unknown };

function response(fields: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    id: 'resp_1',
    object: 'response',
    model: 'gpt-test',
    status: 'in_progress',
    output: [],
    error: null,
    incomplete_details: null,
    usage: null,
    ...fields,
  };
}

const created: Event = { type: 'response.created', response: response() };
const usage = {
  input_tokens: 50,
  input_tokens_details: { cached_tokens: 10 },
  output_tokens: 30,
  output_tokens_details: { reasoning_tokens: 20 },
  total_tokens: 80,
};
const completed: Event = { type: 'response.completed', response: response({ status: 'completed', usage }) };
const start: AdapterDelta = { type: 'start', model: 'gpt-test', responseId: 'resp_1' };
const mappedUsage: AdapterDelta = {
  type: 'usage',
  usage: { inputTokens: 50, outputTokens: 30, totalTokens: 80, cachedInputTokens: 10, reasoningTokens: 20 },
};

function textDelta(delta: string, itemId = 'msg_1'): Event {
  return { type: 'response.output_text.delta', item_id: itemId, output_index: 0, content_index: 0, delta };
}

function functionCallAdded(
  outputIndex: number,
  callId: string,
  name: string,
  itemId = `fc_${outputIndex}`,
): Event {
  return {
    type: 'response.output_item.added',
    output_index: outputIndex,
    item: { type: 'function_call', id: itemId, call_id: callId, name, arguments: '', status: 'in_progress' },
  };
}

function argumentsDelta(outputIndex: number, delta: string, itemId = `fc_${outputIndex}`): Event {
  return {
    type: 'response.function_call_arguments.delta',
    item_id: itemId,
    output_index: outputIndex,
    delta,
  };
}

function functionCallDone(outputIndex: number, callId: string, name: string, args: string): Event {
  return {
    type: 'response.output_item.done',
    output_index: outputIndex,
    item: {
      type: 'function_call',
      id: `fc_${outputIndex}`,
      call_id: callId,
      name,
      arguments: args,
      status: 'completed',
    },
  };
}

function translate(events: Event[], custom: string[] = []): AdapterDelta[] {
  const state = createOpenAIResponsesStreamState({
    declaredTools: { functions: new Set(), custom: new Set(custom) },
  });
  return events.flatMap((event) => translateOpenAIResponsesEvent(event, state));
}

function thrownBy(events: Event[]): TokenwireError {
  try {
    translate(events);
  } catch (error) {
    if (TokenwireError.isInstance(error)) return error;
    throw error;
  }
  throw new Error('expected the translator to throw');
}

describe('translateOpenAIResponsesEvent', () => {
  it('translates text and finishes with usage on response.completed', () => {
    expect(
      translate([
        created,
        { type: 'response.in_progress', response: response() },
        textDelta('Hel'),
        textDelta('lo'),
        completed,
      ]),
    ).toEqual([
      start,
      { type: 'text', delta: 'Hel' },
      { type: 'text', delta: 'lo' },
      mappedUsage,
      { type: 'finish', reason: 'stop', rawReason: 'completed' },
    ]);
  });

  it('translates reasoning summaries and reasoning text, a new summary part on a new paragraph', () => {
    expect(
      translate([
        created,
        {
          type: 'response.output_item.added',
          output_index: 0,
          item: { type: 'reasoning', id: 'rs_1', summary: [] },
        },
        { type: 'response.reasoning_summary_part.added', item_id: 'rs_1', output_index: 0, summary_index: 0 },
        {
          type: 'response.reasoning_summary_text.delta',
          item_id: 'rs_1',
          output_index: 0,
          summary_index: 0,
          delta: 'First',
        },
        { type: 'response.reasoning_summary_part.added', item_id: 'rs_1', output_index: 0, summary_index: 1 },
        {
          type: 'response.reasoning_summary_text.delta',
          item_id: 'rs_1',
          output_index: 0,
          summary_index: 1,
          delta: 'Second',
        },
        {
          type: 'response.reasoning_text.delta',
          item_id: 'rs_1',
          output_index: 0,
          content_index: 0,
          delta: ' raw',
        },
      ]),
    ).toEqual([
      start,
      { type: 'reasoning', delta: 'First' },
      { type: 'reasoning', delta: '\n\n' },
      { type: 'reasoning', delta: 'Second' },
      { type: 'reasoning', delta: ' raw' },
    ]);
  });

  it('keys function-call arguments by output_index even when the item id changes', () => {
    const deltas = translate([
      created,
      functionCallAdded(1, 'call_1', 'weather', 'fc_first'),
      argumentsDelta(1, '{"city":', 'fc_first'),
      argumentsDelta(1, '"Rome"}', 'fc_rotated'),
      functionCallDone(1, 'call_1', 'weather', '{"city":"Rome"}'),
      completed,
    ]);
    expect(deltas).toEqual([
      start,
      { type: 'tool_call', index: 1, id: 'call_1', name: 'weather' },
      { type: 'tool_call', index: 1, argumentsDelta: '{"city":' },
      { type: 'tool_call', index: 1, argumentsDelta: '"Rome"}' },
      { type: 'tool_call_end', index: 1 },
      mappedUsage,
      { type: 'finish', reason: 'stop', rawReason: 'completed' },
    ]);
    expect(accumulate(deltas)).toMatchObject({
      reason: 'tool_calls',
      rawReason: 'completed',
      toolCalls: [{ id: 'call_1', name: 'weather', arguments: '{"city":"Rome"}', input: { city: 'Rome' } }],
    });
  });

  it('joins interleaved argument deltas of parallel calls by output_index', () => {
    const deltas = translate([
      created,
      functionCallAdded(0, 'call_a', 'weather'),
      functionCallAdded(1, 'call_b', 'time'),
      argumentsDelta(1, '{"zone":"CET"}'),
      argumentsDelta(0, '{"city":"Rome"}'),
      functionCallDone(0, 'call_a', 'weather', '{"city":"Rome"}'),
      functionCallDone(1, 'call_b', 'time', '{"zone":"CET"}'),
      completed,
    ]);
    expect(accumulate(deltas)).toMatchObject({
      toolCalls: [
        { id: 'call_a', name: 'weather', input: { city: 'Rome' } },
        { id: 'call_b', name: 'time', input: { zone: 'CET' } },
      ],
    });
  });

  it('takes the arguments from the done item when no argument deltas came', () => {
    expect(
      translate([functionCallAdded(0, 'call_1', 'weather'), functionCallDone(0, 'call_1', 'weather', '{}')]),
    ).toEqual([
      { type: 'tool_call', index: 0, id: 'call_1', name: 'weather' },
      { type: 'tool_call', index: 0, argumentsDelta: '{}' },
      { type: 'tool_call_end', index: 0 },
    ]);
  });

  it('passes calls of declared custom tools on with their free-form input as arguments', () => {
    expect(
      translate(
        [
          {
            type: 'response.output_item.added',
            output_index: 0,
            item: { type: 'custom_tool_call', id: 'ct_1', call_id: 'call_sql', name: 'sql', input: '' },
          },
          {
            type: 'response.custom_tool_call_input.delta',
            item_id: 'ct_1',
            output_index: 0,
            delta: 'SELECT 1',
          },
          {
            type: 'response.output_item.done',
            output_index: 0,
            item: {
              type: 'custom_tool_call',
              id: 'ct_1',
              call_id: 'call_sql',
              name: 'sql',
              input: 'SELECT 1',
            },
          },
        ],
        ['sql'],
      ),
    ).toEqual([
      { type: 'tool_call', index: 0, id: 'call_sql', name: 'sql' },
      { type: 'tool_call', index: 0, argumentsDelta: 'SELECT 1' },
      { type: 'tool_call_end', index: 0 },
    ]);
  });

  it.each([
    ['max_output_tokens', 'length'],
    ['content_filter', 'content_filter'],
    ['max_messages', 'other'],
  ])('finishes a response.incomplete with reason %s as %s', (raw, reason) => {
    const incomplete = {
      type: 'response.incomplete',
      response: response({ status: 'incomplete', incomplete_details: { reason: raw }, usage }),
    };
    expect(translate([created, incomplete])).toEqual([
      start,
      mappedUsage,
      { type: 'finish', reason, rawReason: raw },
    ]);
  });

  it('throws a server error for response.failed, with the provider named', () => {
    const failed = {
      type: 'response.failed',
      response: response({
        status: 'failed',
        error: { code: 'server_error', message: 'The model crashed.' },
      }),
    };
    const error = thrownBy([created, failed]);
    expect({ code: error.code, provider: error.provider, retryable: error.retryable }).toEqual({
      code: 'server',
      provider: 'openai',
      retryable: true,
    });
    expect(error.message).toContain('The model crashed.');
  });

  it('throws quota_exceeded, not retryable, for an in-band insufficient_quota error event', () => {
    const errorEvent = {
      type: 'error',
      sequence_number: 2,
      error: {
        type: 'insufficient_quota',
        code: 'insufficient_quota',
        message: 'You exceeded your current quota.',
      },
    };
    const error = thrownBy([created, errorEvent]);
    expect({ code: error.code, retryable: error.retryable }).toEqual({
      code: 'quota_exceeded',
      retryable: false,
    });
  });

  it('reads an error event in the flat shape the SDK types declare', () => {
    const errorEvent = { type: 'error', code: 'rate_limit_exceeded', message: 'Slow down.', param: null };
    expect(thrownBy([errorEvent]).code).toBe('rate_limit');
  });

  it('ignores provider-executed items and their progress events', () => {
    expect(
      translate([
        created,
        {
          type: 'response.output_item.added',
          output_index: 0,
          item: { type: 'web_search_call', id: 'ws_1', status: 'in_progress' },
        },
        { type: 'response.web_search_call.searching', item_id: 'ws_1', output_index: 0 },
        {
          type: 'response.output_item.done',
          output_index: 0,
          item: { type: 'web_search_call', id: 'ws_1', status: 'completed' },
        },
        {
          type: 'response.code_interpreter_call_code.delta',
          item_id: 'ci_1',
          output_index: 1,
          delta: 'print(1)',
        },
        { type: 'response.mcp_call_arguments.delta', item_id: 'mcp_1', output_index: 2, delta: '{}' },
        { type: 'response.output_text.annotation.added', item_id: 'msg_1', output_index: 3, annotation: {} },
        { type: 'response.some_future_event', output_index: 4 },
      ]),
    ).toEqual([start]);
  });

  it('separates the text of consecutive message items with a blank line', () => {
    const messageAdded = (index: number): Event => ({
      type: 'response.output_item.added',
      output_index: index,
      item: { type: 'message', id: `msg_${index}`, role: 'assistant', content: [] },
    });
    expect(
      translate([messageAdded(0), textDelta('Got it'), messageAdded(1), textDelta('Answer', 'msg_1')]),
    ).toEqual([
      { type: 'text', delta: 'Got it' },
      { type: 'text', delta: '\n\n' },
      { type: 'text', delta: 'Answer' },
    ]);
  });

  it('surfaces a refusal as text and finishes with content_filter', () => {
    const refusal = {
      type: 'response.refusal.delta',
      item_id: 'msg_1',
      output_index: 0,
      content_index: 0,
      delta: 'No.',
    };
    expect(translate([created, refusal, completed])).toEqual([
      start,
      { type: 'text', delta: 'No.' },
      mappedUsage,
      { type: 'finish', reason: 'content_filter', rawReason: 'refusal' },
    ]);
  });

  it('ignores everything after the terminal event', () => {
    expect(translate([created, completed, textDelta('late'), completed])).toEqual([
      start,
      mappedUsage,
      { type: 'finish', reason: 'stop', rawReason: 'completed' },
    ]);
  });

  it('produces no finish delta without a terminal event, so the runtime reports truncation', () => {
    const deltas = translate([created, textDelta('cut')]);
    expect(deltas).toEqual([start, { type: 'text', delta: 'cut' }]);
    expect(accumulate(deltas)).toMatchObject({ type: 'error', error: { code: 'invalid_response' } });
  });
});
