import type { FinishEvent } from '@tokenwire/core';
import type { AdapterDelta } from '@tokenwire/core/adapter';
import { findInvariantViolations } from '@tokenwire/testing';
import { describe, expect, it } from 'vitest';
import { accumulateEvents } from './openai-fixtures.test-helpers.js';
import {
  createOpenAIResponsesStreamState,
  translateOpenAIResponsesEvent,
} from './openai-responses-stream.js';
import { type DeclaredTools, declaredToolsOf, LocalShellItemIds } from './openai-responses-tools.js';

// Payloads written from the Responses API reference (output items `apply_patch_call`,
// `local_shell_call`, `shell_call`, `custom_tool_call`) and xAI's description of its server-side
// tool calls (custom_tool_call items, `status: completed`, before the answer in the same response).

type Event = { type: string; [field: string]: unknown };

const created: Event = {
  type: 'response.created',
  response: { id: 'resp_1', model: 'gpt-5.1', status: 'in_progress', output: [] },
};
const completed: Event = {
  type: 'response.completed',
  response: { id: 'resp_1', model: 'gpt-5.1', status: 'completed', output: [] },
};

function added(outputIndex: number, item: Record<string, unknown>): Event {
  return { type: 'response.output_item.added', output_index: outputIndex, item };
}

function done(outputIndex: number, item: Record<string, unknown>): Event {
  return { type: 'response.output_item.done', output_index: outputIndex, item };
}

function text(delta: string, outputIndex = 0): Event {
  return {
    type: 'response.output_text.delta',
    item_id: `msg_${outputIndex}`,
    output_index: outputIndex,
    content_index: 0,
    delta,
  };
}

function run(
  events: Event[],
  declared: DeclaredTools = declaredToolsOf(undefined),
  localShellItemIds?: LocalShellItemIds,
): { deltas: AdapterDelta[]; finish: FinishEvent } {
  const state = createOpenAIResponsesStreamState({
    declaredTools: declared,
    ...(localShellItemIds === undefined ? {} : { localShellItemIds }),
  });
  const deltas = events.flatMap((event) => translateOpenAIResponsesEvent(event, state));
  const all = accumulateEvents(deltas);
  expect(findInvariantViolations(all)).toEqual([]);
  const finish = all.at(-1);
  if (finish?.type !== 'finish') throw new Error(`expected a finish, got ${finish?.type}`);
  return { deltas, finish };
}

const operation = { type: 'update_file', path: 'src/app.ts', diff: '@@\n-const a = 1\n+const a = 2\n' };
const applyPatchCall = {
  type: 'apply_patch_call',
  id: 'apc_1',
  call_id: 'call_patch',
  status: 'completed',
  operation,
};

describe('caller-run built-in tools of the Responses API', () => {
  it('surfaces an apply_patch_call whole, when its item is done, and finishes tool_calls', () => {
    const { deltas, finish } = run([
      created,
      added(0, { ...applyPatchCall, status: 'in_progress', operation: { ...operation, diff: '' } }),
      {
        type: 'response.apply_patch_call_operation_diff.delta',
        item_id: 'apc_1',
        output_index: 0,
        delta: '@@',
      },
      { type: 'response.apply_patch_call_operation_diff.done', item_id: 'apc_1', output_index: 0 },
      done(0, applyPatchCall),
      completed,
    ]);
    expect(deltas.filter((delta) => delta.type === 'tool_call' || delta.type === 'tool_call_end')).toEqual([
      {
        type: 'tool_call',
        index: 0,
        id: 'call_patch',
        name: 'apply_patch',
        argumentsDelta: JSON.stringify(operation),
      },
      { type: 'tool_call_end', index: 0 },
    ]);
    expect({ reason: finish.reason, rawReason: finish.rawReason, toolCalls: finish.toolCalls }).toEqual({
      reason: 'tool_calls',
      rawReason: 'completed',
      toolCalls: [
        { id: 'call_patch', name: 'apply_patch', arguments: JSON.stringify(operation), input: operation },
      ],
    });
  });

  it('surfaces a local_shell_call with its action and remembers its item id for the next request', () => {
    const action = { type: 'exec', command: ['ls', '-la'], env: {}, working_directory: '/tmp' };
    const item = { type: 'local_shell_call', id: 'lsh_1', call_id: 'call_ls', status: 'completed', action };
    const itemIds = new LocalShellItemIds();
    const { finish } = run(
      [created, added(0, { ...item, status: 'in_progress' }), done(0, item), completed],
      undefined,
      itemIds,
    );
    expect([finish.reason, finish.toolCalls]).toEqual([
      'tool_calls',
      [{ id: 'call_ls', name: 'local_shell', arguments: JSON.stringify(action), input: action }],
    ]);
    expect(itemIds.get('call_ls')).toBe('lsh_1');
  });

  it.each([
    ['without an environment', {}],
    ['in the local environment', { environment: { type: 'local' } }],
  ])('surfaces a shell_call %s as the caller’s', (_label, environment) => {
    const action = { commands: ['git status', 'ls'], timeout_ms: 10_000, max_output_length: 4096 };
    const item = {
      type: 'shell_call',
      id: 'sh_1',
      call_id: 'call_sh',
      status: 'completed',
      action,
      ...environment,
    };
    const { finish } = run([created, added(0, { ...item, status: 'in_progress' }), done(0, item), completed]);
    expect([finish.reason, finish.toolCalls]).toEqual([
      'tool_calls',
      [{ id: 'call_sh', name: 'shell', arguments: JSON.stringify(action), input: action }],
    ]);
  });

  it('leaves a shell_call in a hosted container to OpenAI: no call, the answer follows', () => {
    const item = {
      type: 'shell_call',
      id: 'sh_1',
      call_id: 'call_sh',
      status: 'completed',
      action: { commands: ['python -V'], timeout_ms: null, max_output_length: null },
      environment: { type: 'container_reference', container_id: 'cntr_1' },
    };
    const output = {
      type: 'shell_call_output',
      id: 'sho_1',
      call_id: 'call_sh',
      output: [{ stdout: 'Python 3.12\n', stderr: '', outcome: { type: 'exit', exit_code: 0 } }],
    };
    const { finish } = run([created, done(0, item), done(1, output), text('Python 3.12.', 2), completed]);
    expect([finish.reason, finish.toolCalls, finish.content]).toEqual(['stop', [], 'Python 3.12.']);
  });
});

describe('server-side custom tool calls', () => {
  // xAI's agent tools: its search sub-tools, already run, reported before the answer.
  const keywordSearch = {
    type: 'custom_tool_call',
    id: 'ctc_1',
    call_id: 'xs_call_1',
    name: 'x_keyword_search',
    input: '{"query":"tokenwire","limit":10}',
    status: 'completed',
  };
  const browse = {
    type: 'custom_tool_call',
    id: 'ctc_2',
    call_id: 'ws_call_2',
    name: 'browse_page',
    input: '',
    status: 'in_progress',
  };

  it('produce no tool-call events when the request did not declare them, and keep the answer', () => {
    const { deltas, finish } = run([
      created,
      added(0, keywordSearch),
      done(0, keywordSearch),
      added(1, browse),
      { type: 'response.custom_tool_call_input.delta', item_id: 'ctc_2', output_index: 1, delta: '{"url":' },
      { type: 'response.custom_tool_call_input.delta', item_id: 'ctc_2', output_index: 1, delta: '"x.ai"}' },
      done(1, { ...browse, input: '{"url":"x.ai"}', status: 'completed' }),
      text('Found it.', 2),
      completed,
    ]);
    expect(deltas.some((delta) => delta.type === 'tool_call' || delta.type === 'tool_call_end')).toBe(false);
    expect([finish.reason, finish.toolCalls, finish.content]).toEqual(['stop', [], 'Found it.']);
  });

  it('drop an undeclared call never announced by output_item.added', () => {
    const { finish } = run([created, done(0, keywordSearch), text('Done.', 1), completed]);
    expect([finish.reason, finish.toolCalls]).toEqual(['stop', []]);
  });

  it('surface a custom tool the request declared, beside the provider’s own calls', () => {
    const declared = declaredToolsOf([
      { type: 'custom', name: 'write_sql', description: 'A SQL query' },
      { type: 'function', name: 'lookup', parameters: null, strict: false },
    ]);
    const sql = { type: 'custom_tool_call', id: 'ctc_3', call_id: 'call_sql', name: 'write_sql', input: '' };
    const { finish } = run(
      [
        created,
        added(0, keywordSearch),
        done(0, keywordSearch),
        added(1, sql),
        {
          type: 'response.custom_tool_call_input.delta',
          item_id: 'ctc_3',
          output_index: 1,
          delta: 'SELECT 1',
        },
        done(1, { ...sql, input: 'SELECT 1', status: 'completed' }),
        completed,
      ],
      declared,
    );
    expect(finish.reason).toBe('tool_calls');
    expect(finish.toolCalls).toMatchObject([{ id: 'call_sql', name: 'write_sql', arguments: 'SELECT 1' }]);
  });

  it('leave function calls the caller’s, declared or not: no provider runs function tools', () => {
    const call = {
      type: 'function_call',
      id: 'fc_1',
      call_id: 'call_fn',
      name: 'parallel',
      arguments: '{}',
      status: 'completed',
    };
    const { finish } = run([created, added(0, { ...call, arguments: '' }), done(0, call), completed]);
    expect(finish.toolCalls).toMatchObject([{ id: 'call_fn', name: 'parallel' }]);
  });
});

describe('declaredToolsOf', () => {
  it('lists function and custom tools, also inside namespaces, and no built-ins', () => {
    const declared = declaredToolsOf([
      { type: 'function', name: 'weather', parameters: null, strict: true },
      { type: 'custom', name: 'write_sql' },
      {
        type: 'namespace',
        name: 'crm',
        description: 'CRM',
        tools: [
          { type: 'function', name: 'find_customer' },
          { type: 'custom', name: 'crm_query' },
        ],
      },
      { type: 'apply_patch' },
      { type: 'shell' },
      { type: 'web_search' },
    ]);
    expect({ functions: [...declared.functions], custom: [...declared.custom] }).toEqual({
      functions: ['weather', 'find_customer'],
      custom: ['write_sql', 'crm_query'],
    });
  });
});
