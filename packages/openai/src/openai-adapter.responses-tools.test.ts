import {
  createTokenwire,
  type FinishEvent,
  type Message,
  type StreamEvent,
  type StreamRequest,
} from '@tokenwire/core';
import { collect, findInvariantViolations } from '@tokenwire/testing';
import { useReplayServer } from '@tokenwire/testing/conformance';
import { describe, expect, it } from 'vitest';
import { createOpenAIAdapter, type OpenAIAdapter } from './openai-adapter.js';
import { readFixturePayloads, splitResponses } from './openai-fixtures.test-helpers.js';

// The caller-run built-ins of the Responses API through the real `openai` SDK: the recorded call
// surfaces as a tool call, and its result, sent on the next request, arrives at the server as the
// output item the API takes (read from the body the replay server recorded).

const server = useReplayServer();

function answer(text: string): unknown[] {
  const response = { id: 'resp_next', model: 'gpt-5.1', output: [] };
  return [
    { type: 'response.created', response: { ...response, status: 'in_progress' } },
    { type: 'response.output_text.delta', item_id: 'msg_1', output_index: 0, content_index: 0, delta: text },
    { type: 'response.completed', response: { ...response, status: 'completed' } },
  ];
}

function adapterFor(provider = 'openai'): OpenAIAdapter {
  return createOpenAIAdapter({
    provider,
    apiKey: 'sk-replay-test-key',
    baseURL: `${server.url}/v1`,
    api: 'responses',
  });
}

async function stream(adapter: OpenAIAdapter, request: Partial<StreamRequest>): Promise<StreamEvent[]> {
  const tokenwire = createTokenwire({ providers: { [adapter.provider]: adapter }, retries: 0 });
  const events = await collect(
    tokenwire.stream({
      model: `${adapter.provider}/gpt-5.1`,
      messages: [{ role: 'user', content: 'Go.' }],
      ...request,
    }),
  );
  expect(findInvariantViolations(events)).toEqual([]);
  return events;
}

function finishOf(events: StreamEvent[]): FinishEvent {
  const last = events.at(-1);
  if (last?.type !== 'finish') throw new Error(`expected a finish, got ${last?.type}`);
  return last;
}

/**
 * Streams the first recorded response (a call), then answers the call: returns the first finish,
 * the second, and the input items of the second request after its user message. The second
 * response is the recording's own when it has one.
 */
async function roundTrip(
  fixture: string,
  tools: unknown[],
  result: string,
): Promise<{ first: FinishEvent; second: FinishEvent; input: unknown[] }> {
  const [recorded, next] = splitResponses(readFixturePayloads(`openai-responses/${fixture}`).payloads);
  server.enqueue({ payloads: recorded ?? [] }, { payloads: next ?? answer('Done.') });
  const adapter = adapterFor();
  const providerOptions = { openai: { tools } };
  const first = finishOf(await stream(adapter, { providerOptions }));
  const messages: Message[] = [
    { role: 'user', content: 'Go.' },
    { role: 'assistant', content: first.content, toolCalls: first.toolCalls },
    ...first.toolCalls.map((call): Message => ({ role: 'tool', toolCallId: call.id, content: result })),
  ];
  const second = finishOf(await stream(adapter, { messages, providerOptions }));
  const body = (server.requests[1]?.body ?? {}) as { input: unknown[]; tools: unknown[] };
  expect(body.tools).toEqual(tools);
  return { first, second, input: body.input.slice(1) };
}

describe('caller-run built-ins through the openai SDK', () => {
  it('apply_patch: the recorded call finishes tool_calls, its result goes back as apply_patch_call_output', async () => {
    const { first, second, input } = await roundTrip(
      'openai-apply-patch-tool.1.chunks.txt',
      [{ type: 'apply_patch' }],
      'Created shopping-checklist.md',
    );
    expect(second.content).toBe('Done.');
    const operation = {
      type: 'create_file',
      diff: '+## Shopping Checklist\n+\n+- [ ] Milk\n+- [ ] Bread\n+- [ ] Eggs\n+- [ ] Fresh fruit\n+- [ ] Coffee\n',
      path: 'shopping-checklist.md',
    };
    expect([first.reason, first.toolCalls]).toEqual([
      'tool_calls',
      [
        {
          id: 'call_kA46f91ZwocQyMCKyyZqRyC5',
          name: 'apply_patch',
          arguments: JSON.stringify(operation),
          input: operation,
        },
      ],
    ]);
    expect(input).toEqual([
      { type: 'apply_patch_call', call_id: 'call_kA46f91ZwocQyMCKyyZqRyC5', operation, status: 'completed' },
      {
        type: 'apply_patch_call_output',
        call_id: 'call_kA46f91ZwocQyMCKyyZqRyC5',
        status: 'completed',
        output: 'Created shopping-checklist.md',
      },
    ]);
  });

  it('local_shell: the call goes back with the item id the adapter saw, its result as local_shell_call_output', async () => {
    const { first, second, input } = await roundTrip(
      'openai-local-shell-tool.1.chunks.txt',
      [{ type: 'local_shell' }],
      '{"output":".\\n..\\n"}',
    );
    expect(second.content).toBe('Done.');
    const action = { type: 'exec', command: ['ls', '-a', '~'], env: {} };
    expect([first.reason, first.toolCalls.map(({ name, input }) => ({ name, input }))]).toEqual([
      'tool_calls',
      [{ name: 'local_shell', input: action }],
    ]);
    expect(input).toEqual([
      {
        type: 'local_shell_call',
        id: 'lsh_68da7fd99b3c8194bd624b18c0c0851b0faf5df54b42d9a6',
        call_id: 'call_h3nm8hUG0KO9tVNuRACkL1ri',
        action,
        status: 'completed',
      },
      {
        type: 'local_shell_call_output',
        id: 'call_h3nm8hUG0KO9tVNuRACkL1ri',
        call_id: 'call_h3nm8hUG0KO9tVNuRACkL1ri',
        output: '{"output":".\\n..\\n"}',
      },
    ]);
  });

  it('shell: the recorded loop, the commands’ output sent back as shell_call_output', async () => {
    const { first, second, input } = await roundTrip(
      'openai-shell-tool.1.chunks.txt',
      [{ type: 'shell' }],
      '.\n..\n.DS_Store\n',
    );
    expect([second.reason, second.content.slice(0, 35)]).toEqual([
      'stop',
      'Here are the files and folders in y',
    ]);
    const action = { commands: ['ls -a ~/Desktop'], max_output_length: 8912, timeout_ms: null };
    expect(first.toolCalls.map(({ id, name, input }) => ({ id, name, input }))).toEqual([
      { id: 'call_pbxjNs1tMJUahLZKAS9qLtvw', name: 'shell', input: action },
    ]);
    expect(input).toEqual([
      { type: 'shell_call', call_id: 'call_pbxjNs1tMJUahLZKAS9qLtvw', action, status: 'completed' },
      {
        type: 'shell_call_output',
        call_id: 'call_pbxjNs1tMJUahLZKAS9qLtvw',
        output: [{ stdout: '.\n..\n.DS_Store\n', stderr: '', outcome: { type: 'exit', exit_code: 0 } }],
        max_output_length: 8912,
      },
    ]);
  });
});

describe('server-side tools through the openai SDK', () => {
  const response = { id: 'resp_xai', model: 'grok-4', output: [] };
  const keywordSearch = {
    type: 'custom_tool_call',
    id: 'ctc_1',
    call_id: 'xs_call_1',
    name: 'x_keyword_search',
    input: '{"query":"tokenwire"}',
    status: 'completed',
  };
  const sql = {
    type: 'custom_tool_call',
    id: 'ctc_2',
    call_id: 'call_sql',
    name: 'write_sql',
    input: 'SELECT 1',
  };
  const payloads = (items: unknown[], text?: string) => [
    { type: 'response.created', response: { ...response, status: 'in_progress' } },
    ...items.flatMap((item, index) => [
      { type: 'response.output_item.added', output_index: index, item },
      {
        type: 'response.output_item.done',
        output_index: index,
        item: { ...(item as object), status: 'completed' },
      },
    ]),
    ...(text === undefined
      ? []
      : [
          {
            type: 'response.output_text.delta',
            item_id: 'msg_1',
            output_index: items.length,
            content_index: 0,
            delta: text,
          },
        ]),
    { type: 'response.completed', response: { ...response, status: 'completed' } },
  ];

  it('xAI’s completed search calls produce no tool-call events, and the answer stays', async () => {
    server.enqueue({ payloads: payloads([keywordSearch], 'tokenwire streams LLM output.') });
    const events = await stream(adapterFor('xai'), {
      providerOptions: { xai: { tools: [{ type: 'x_search' }] } },
    });
    expect(events.filter((event) => event.type.startsWith('tool_call'))).toEqual([]);
    const finish = finishOf(events);
    expect([finish.reason, finish.content]).toEqual(['stop', 'tokenwire streams LLM output.']);
    expect(server.requests[0]?.body).toMatchObject({ tools: [{ type: 'x_search' }] });
  });

  it('a custom tool the request declared still surfaces, beside them', async () => {
    server.enqueue({ payloads: payloads([keywordSearch, sql]) });
    const tools = [{ type: 'x_search' }, { type: 'custom', name: 'write_sql' }];
    const finish = finishOf(await stream(adapterFor('xai'), { providerOptions: { xai: { tools } } }));
    expect(finish.reason).toBe('tool_calls');
    expect(finish.toolCalls.map(({ id, name, arguments: text }) => ({ id, name, text }))).toEqual([
      { id: 'call_sql', name: 'write_sql', text: 'SELECT 1' },
    ]);
  });
});
