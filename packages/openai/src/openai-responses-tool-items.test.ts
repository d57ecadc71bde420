import type { ChatRequest, Message, ToolCall } from '@tokenwire/core';
import { describe, expect, it } from 'vitest';
import { toOpenAIResponsesParams } from './openai-responses-messages.js';
import { LocalShellItemIds } from './openai-responses-tools.js';

// Output items as the Responses API reference and the tool guides (apply patch, shell, local
// shell) describe them: the call goes back as its original item, the result as its output item.

const operation = { type: 'create_file', path: 'notes.md', diff: '+# Notes\n' };
const shellAction = { commands: ['ls -a'], timeout_ms: null, max_output_length: 8912 };
const localAction = { type: 'exec', command: ['ls', '-a'], env: {} };

function call(id: string, name: string, input: unknown): ToolCall {
  return { id, name, arguments: typeof input === 'string' ? input : JSON.stringify(input) };
}

function conversation(
  calls: ToolCall[],
  results: Array<Omit<Message & { role: 'tool' }, 'role'>>,
): Message[] {
  return [
    { role: 'user', content: 'Tidy up.' },
    { role: 'assistant', content: null, toolCalls: calls },
    ...results.map((result): Message => ({ role: 'tool', ...result })),
  ];
}

function inputOf(request: Partial<ChatRequest>, localShellItemIds?: LocalShellItemIds): unknown[] {
  const params = toOpenAIResponsesParams(
    { model: 'gpt-5.1', messages: [], ...request },
    localShellItemIds === undefined ? {} : { localShellItemIds },
  );
  return (params.input as unknown[]).slice(1); // after the user message
}

describe('toOpenAIResponsesParams: calls of caller-run built-ins and their results', () => {
  it('sends an apply_patch call back as apply_patch_call, its result as apply_patch_call_output', () => {
    const messages = conversation(
      [call('call_a', 'apply_patch', operation), call('call_b', 'apply_patch', operation)],
      [
        { toolCallId: 'call_a', content: 'Created notes.md' },
        { toolCallId: 'call_b', content: 'notes.md exists', isError: true },
      ],
    );
    expect(inputOf({ messages, providerOptions: { openai: { tools: [{ type: 'apply_patch' }] } } })).toEqual([
      { type: 'apply_patch_call', call_id: 'call_a', operation, status: 'completed' },
      { type: 'apply_patch_call', call_id: 'call_b', operation, status: 'completed' },
      { type: 'apply_patch_call_output', call_id: 'call_a', status: 'completed', output: 'Created notes.md' },
      { type: 'apply_patch_call_output', call_id: 'call_b', status: 'failed', output: 'notes.md exists' },
    ]);
  });

  it('sends a shell call back as shell_call, text results as one output entry with the call’s max_output_length', () => {
    const messages = conversation(
      [call('call_ok', 'shell', shellAction), call('call_err', 'shell', { commands: ['cat x'] })],
      [
        { toolCallId: 'call_ok', content: '.\n..\nnotes.md\n' },
        { toolCallId: 'call_err', content: 'cat: x: No such file', isError: true },
      ],
    );
    expect(inputOf({ messages })).toEqual([
      { type: 'shell_call', call_id: 'call_ok', action: shellAction, status: 'completed' },
      { type: 'shell_call', call_id: 'call_err', action: { commands: ['cat x'] }, status: 'completed' },
      {
        type: 'shell_call_output',
        call_id: 'call_ok',
        output: [{ stdout: '.\n..\nnotes.md\n', stderr: '', outcome: { type: 'exit', exit_code: 0 } }],
        max_output_length: 8912,
      },
      {
        type: 'shell_call_output',
        call_id: 'call_err',
        output: [{ stdout: '', stderr: 'cat: x: No such file', outcome: { type: 'exit', exit_code: 1 } }],
      },
    ]);
  });

  it('passes a result that is already the shell output array (or an object holding it) through', () => {
    const entries = [
      { stdout: 'a\n', stderr: '', outcome: { type: 'exit', exit_code: 0 } },
      { stdout: '', stderr: '', outcome: { type: 'timeout' } },
    ];
    const messages = conversation(
      [call('call_1', 'shell', shellAction), call('call_2', 'shell', shellAction)],
      [
        { toolCallId: 'call_1', content: JSON.stringify(entries) },
        { toolCallId: 'call_2', content: JSON.stringify({ output: entries, max_output_length: 100 }) },
      ],
    );
    expect(inputOf({ messages }).slice(2)).toEqual([
      { type: 'shell_call_output', call_id: 'call_1', output: entries, max_output_length: 8912 },
      { type: 'shell_call_output', call_id: 'call_2', output: entries, max_output_length: 100 },
    ]);
  });

  it('sends a local_shell call back with its item id when this adapter streamed it', () => {
    const itemIds = new LocalShellItemIds();
    itemIds.set('call_seen', 'lsh_seen');
    const messages = conversation(
      [call('call_seen', 'local_shell', localAction), call('call_other', 'local_shell', localAction)],
      [{ toolCallId: 'call_seen', content: '{"output":".\\n..\\n","metadata":{"exit_code":0}}' }],
    );
    expect(inputOf({ messages }, itemIds)).toEqual([
      {
        type: 'local_shell_call',
        id: 'lsh_seen',
        call_id: 'call_seen',
        action: localAction,
        status: 'completed',
      },
      { type: 'local_shell_call', call_id: 'call_other', action: localAction, status: 'completed' },
      {
        type: 'local_shell_call_output',
        id: 'call_seen',
        call_id: 'call_seen',
        output: '{"output":".\\n..\\n","metadata":{"exit_code":0}}',
      },
    ]);
  });

  it('lets a function tool declared with a built-in’s name win: a normal function call', () => {
    const messages = conversation(
      [call('call_1', 'shell', { cmd: 'ls' })],
      [{ toolCallId: 'call_1', content: 'ok' }],
    );
    expect(inputOf({ messages, tools: [{ name: 'shell' }] })).toEqual([
      { type: 'function_call', call_id: 'call_1', name: 'shell', arguments: '{"cmd":"ls"}' },
      { type: 'function_call_output', call_id: 'call_1', output: 'ok' },
    ]);
  });

  it('sends calls of declared custom tools back as custom_tool_call with their free-form input', () => {
    const messages = conversation(
      [call('call_sql', 'write_sql', 'SELECT 1')],
      [{ toolCallId: 'call_sql', content: '1 row' }],
    );
    const tools = [{ type: 'custom', name: 'write_sql', description: 'SQL' }];
    expect(inputOf({ messages, providerOptions: { openai: { tools } } })).toEqual([
      { type: 'custom_tool_call', call_id: 'call_sql', name: 'write_sql', input: 'SELECT 1' },
      { type: 'custom_tool_call_output', call_id: 'call_sql', output: '1 row' },
    ]);
  });

  it('maps a result by the name on the tool message when its call is not in the conversation', () => {
    const messages: Message[] = [
      { role: 'tool', toolCallId: 'call_x', name: 'apply_patch', content: 'Done' },
    ];
    expect(toOpenAIResponsesParams({ model: 'gpt-5.1', messages }).input).toEqual([
      { type: 'apply_patch_call_output', call_id: 'call_x', status: 'completed', output: 'Done' },
    ]);
  });
});

describe('toOpenAIResponsesParams: tools', () => {
  it('adds the tools of providerOptions after the request’s function tools', () => {
    const params = toOpenAIResponsesParams(
      {
        model: 'gpt-5.1',
        messages: [],
        tools: [{ name: 'weather' }],
        providerOptions: { openai: { tools: [{ type: 'apply_patch' }, { type: 'shell' }] } },
      },
      { provider: 'openai' },
    );
    expect(params.tools).toEqual([
      { type: 'function', name: 'weather', parameters: { type: 'object', properties: {} }, strict: false },
      { type: 'apply_patch' },
      { type: 'shell' },
    ]);
  });

  it('keeps input that providerOptions replaced', () => {
    const input = [{ role: 'user', content: 'Replaced.' }];
    const params = toOpenAIResponsesParams({
      model: 'gpt-5.1',
      messages: [{ role: 'user', content: 'Hi' }],
      providerOptions: { openai: { input } },
    });
    expect(params.input).toBe(input);
  });
});
