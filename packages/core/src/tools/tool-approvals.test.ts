import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { Tool } from '../model/tool-types.js';
import type { FinishEvent, Message, StreamEvent } from '../model/types.js';
import { createTokenwire } from '../runtime/create-tokenwire.js';
import {
  collectEvents,
  type Step,
  scriptedAdapter,
  typesOf,
} from '../runtime/scripted-adapter.test-helpers.js';
import { parseSSE, toSSE } from '../sse/sse.js';
import { tool } from './resolve-tools.js';

const question: Message[] = [{ role: 'user', content: 'Delete old.txt, then tell me the weather.' }];

function callStep(...calls: Array<[id: string, name: string, args: string]>): Step[] {
  return [
    { type: 'start', model: 'm' },
    ...calls.map(
      ([id, name, args], index): Step => ({ type: 'tool_call', index, id, name, argumentsDelta: args }),
    ),
    { type: 'finish', reason: 'tool_calls' },
  ];
}

const answerStep = (text: string): Step[] => [
  { type: 'start', model: 'm' },
  { type: 'text', delta: text },
  { type: 'finish', reason: 'stop' },
];

/** A delete tool that needs approval, and counts its runs. */
function deleteTool(runs: string[], needsApproval: Tool['needsApproval'] = true): Tool {
  return {
    name: 'delete_file',
    parameters: { type: 'object', properties: { path: { type: 'string' } } },
    needsApproval,
    execute: (input) => {
      runs.push((input as { path: string }).path);
      return 'deleted';
    },
  };
}

const weather: Tool = { name: 'get_weather', execute: () => ({ celsius: 21 }) };

async function run(steps: Step[][], messages: Message[], tools: Tool[]) {
  const adapter = scriptedAdapter(steps);
  const tokenwire = createTokenwire({ providers: { mock: adapter }, retries: 0 });
  const events = await collectEvents(tokenwire.stream({ model: 'mock/m', messages, tools }));
  return { events, finish: events.at(-1) as FinishEvent, adapter };
}

const decision = (approved: boolean, reason?: string): Message => ({
  role: 'tool',
  toolCallId: 'call_del',
  content: '',
  approval: reason === undefined ? { approved } : { approved, reason },
});

describe('tool approvals', () => {
  it('stops before a tool that needs approval: the other calls run, then tool_approval_request and awaiting_approval', async () => {
    const runs: string[] = [];
    const { events, finish, adapter } = await run(
      [callStep(['call_del', 'delete_file', '{"path":"old.txt"}'], ['call_w', 'get_weather', '{}'])],
      question,
      [deleteTool(runs), weather],
    );
    expect(typesOf(events).slice(-4)).toEqual([
      'step_finish',
      'tool_result',
      'tool_approval_request',
      'finish',
    ]);
    expect(events.find((event) => event.type === 'tool_approval_request')).toEqual({
      type: 'tool_approval_request',
      approvalId: 'call_del',
      toolCallId: 'call_del',
      name: 'delete_file',
      input: { path: 'old.txt' },
    });
    expect(runs).toEqual([]);
    expect(adapter.calls).toBe(1);
    expect(finish.reason).toBe('awaiting_approval');
    expect(finish.messages.map((message) => message.role)).toEqual(['assistant', 'tool']);
    expect(finish.messages[1]).toMatchObject({ toolCallId: 'call_w' });
  });

  it('asks only for the calls whose input the function picks', async () => {
    const runs: string[] = [];
    const onlyOutsideTmp = (input: unknown) => !(input as { path: string }).path.startsWith('/tmp/');
    const { finish } = await run(
      [callStep(['call_del', 'delete_file', '{"path":"/tmp/a"}']), answerStep('Done.')],
      question,
      [deleteTool(runs, onlyOutsideTmp)],
    );
    expect(runs).toEqual(['/tmp/a']);
    expect(finish.reason).toBe('stop');
  });

  it("types needsApproval's input by the schema, through tool()", async () => {
    const runs: string[] = [];
    const remove = tool({
      name: 'delete_file',
      parameters: z.object({ path: z.string() }),
      needsApproval: (input) => input.path !== 'scratch.txt', // input: { path: string }
      execute: ({ path }) => {
        runs.push(path);
        return 'deleted';
      },
    });
    const { finish } = await run([callStep(['call_del', 'delete_file', '{"path":"notes.txt"}'])], question, [
      remove,
    ]);
    expect(finish.reason).toBe('awaiting_approval');
    expect(runs).toEqual([]);
  });

  it('runs an approved call from the next request, before the next step, and sends its result on', async () => {
    const runs: string[] = [];
    const first = await run([callStep(['call_del', 'delete_file', '{"path":"old.txt"}'])], question, [
      deleteTool(runs),
    ]);
    // A reload later, on any replica: the conversation and the decision are the whole state.
    const messages = [...question, ...first.finish.messages, decision(true)];
    const { events, finish, adapter } = await run([answerStep('Deleted.')], messages, [deleteTool(runs)]);
    expect(runs).toEqual(['old.txt']);
    expect(typesOf(events)).toEqual(['start', 'tool_result', 'step_start', 'token', 'step_finish', 'finish']);
    expect(events[1]).toEqual({
      type: 'tool_result',
      toolCallId: 'call_del',
      name: 'delete_file',
      output: 'deleted',
    });
    const result: Message = { role: 'tool', toolCallId: 'call_del', name: 'delete_file', content: 'deleted' };
    expect(adapter.requests[0]?.messages).toEqual([...question, ...first.finish.messages, result]);
    expect(finish.messages).toEqual([result, { role: 'assistant', content: 'Deleted.' }]);
  });

  it('sends a refusal to the model as an error result, and does not run the tool', async () => {
    const runs: string[] = [];
    const first = await run([callStep(['call_del', 'delete_file', '{"path":"old.txt"}'])], question, [
      deleteTool(runs),
    ]);
    const messages = [...question, ...first.finish.messages, decision(false, 'Keep it.')];
    const { events, adapter } = await run([answerStep('Kept.')], messages, [deleteTool(runs)]);
    expect(runs).toEqual([]);
    expect(events[1]).toEqual({
      type: 'tool_result',
      toolCallId: 'call_del',
      name: 'delete_file',
      output: 'The user refused to run delete_file. Reason: Keep it.',
      isError: true,
    });
    expect(adapter.requests[0]?.messages.at(-1)).toMatchObject({ role: 'tool', isError: true });
  });

  it('uses an approval once: replayed after its result, it does not run the tool again', async () => {
    const runs: string[] = [];
    const first = await run([callStep(['call_del', 'delete_file', '{"path":"old.txt"}'])], question, [
      deleteTool(runs),
    ]);
    const approved = [...question, ...first.finish.messages, decision(true)];
    const second = await run([answerStep('Deleted.')], approved, [deleteTool(runs)]);
    // The client sends the conversation again with the decision still in it, after the result.
    const replayed = [...approved, ...second.finish.messages, decision(true)];
    const third = await run([answerStep('Still deleted.')], replayed, [deleteTool(runs)]);
    expect(runs).toEqual(['old.txt']);
    expect(typesOf(third.events)).not.toContain('tool_result');
    expect(third.adapter.requests[0]?.messages.some((message) => 'approval' in message)).toBe(false);
  });

  it('carries the request and the decision over SSE: parseSSE gives the same approval request back', async () => {
    const adapter = scriptedAdapter([callStep(['call_del', 'delete_file', '{"path":"old.txt"}'])]);
    const tokenwire = createTokenwire({ providers: { mock: adapter }, retries: 0 });
    const stream = tokenwire.stream({ model: 'mock/m', messages: question, tools: [deleteTool([])] });
    const events: StreamEvent[] = [];
    for await (const event of parseSSE(toSSE(stream))) events.push(event);
    expect(events.find((event) => event.type === 'tool_approval_request')).toMatchObject({
      approvalId: 'call_del',
    });
    expect((events.at(-1) as FinishEvent).reason).toBe('awaiting_approval');
  });

  it('refuses a malformed decision before anything is sent', async () => {
    const runs: string[] = [];
    const first = await run([callStep(['call_del', 'delete_file', '{}'])], question, [deleteTool(runs)]);
    const bad = {
      role: 'tool',
      toolCallId: 'call_del',
      content: '',
      approval: { approved: 'yes' },
    } as unknown as Message;
    const { events, adapter } = await run(
      [answerStep('x')],
      [...question, ...first.finish.messages, bad],
      [deleteTool(runs)],
    );
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ type: 'error', error: { code: 'invalid_request' } });
    expect(adapter.calls).toBe(0);
  });

  it('refuses a decision whose tool is not in tools with execute: it would reach the provider', async () => {
    const first = await run([callStep(['call_del', 'delete_file', '{}'])], question, [deleteTool([])]);
    const messages = [...question, ...first.finish.messages, decision(true)];
    const { events, adapter } = await run([answerStep('x')], messages, [weather]);
    expect(events).toHaveLength(1);
    const error = (events[0] as Extract<StreamEvent, { type: 'error' }>).error;
    expect(error.code).toBe('invalid_request');
    expect(error.message).toContain('messages[2].approval decides on a call of "delete_file"');
    expect(adapter.calls).toBe(0);
  });
});
