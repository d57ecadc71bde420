import { tool } from '@tokenwire/core';
import { type MockAdapter, mockAdapter } from '@tokenwire/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { ChatClient } from './chat-client.js';
import {
  type ChatReplica,
  manualFrames,
  memoryStorage,
  startReplicas,
  until,
} from './chat-server.test-helpers.js';
import type { ChatSnapshot } from './chat-types.js';

let replicas: ChatReplica[] = [];
afterEach(async () => {
  await Promise.all(replicas.map((replica) => replica.close()));
  replicas = [];
});

async function twoReplicas(adapter: MockAdapter, tools: Parameters<typeof startReplicas>[1] = []) {
  replicas = await startReplicas(adapter, tools);
  return replicas as [ChatReplica, ChatReplica];
}

const textOf = (snapshot: ChatSnapshot) =>
  snapshot.messages
    .filter((message) => message.role === 'assistant')
    .flatMap((message) => message.parts.flatMap((part) => (part.type === 'text' ? [part.text] : [])))
    .join('');

describe('ChatClient', () => {
  it('publishes the first token at once, coalesces the rest into frames, and the end at once', async () => {
    const adapter = mockAdapter([
      { type: 'start' },
      { type: 'text', delta: 'One ' },
      { type: 'text', delta: 'two ' },
      { type: 'text', delta: 'three.' },
      { type: 'finish', reason: 'stop' },
    ]);
    const [replica] = await twoReplicas(adapter);
    const frames = manualFrames();
    const chat = new ChatClient({ api: replica.url, frame: frames.schedule });
    const published: string[] = [];
    chat.subscribe(() => published.push(`${chat.getSnapshot().status}:${textOf(chat.getSnapshot())}`));
    await chat.send('Count');
    // No frame ran: 'One two ' was never published on its own, the first token and the end were.
    expect(published).toEqual(['submitted:', 'streaming:One ', 'ready:One two three.']);
    expect(frames.pending()).toBe(0);
    expect(chat.getSnapshot().messages.map((message) => message.role)).toEqual(['user', 'assistant']);
    expect(adapter.calls[0]?.request.messages).toEqual([{ role: 'user', content: 'Count' }]);
  });

  it('shows a tool call with its partial input, its input, the result, then the next step', async () => {
    const adapter = mockAdapter([
      [
        { type: 'start' },
        { type: 'tool_call', index: 0, id: 'call_1', name: 'get_weather', argumentsDelta: '{"city":"Pa' },
        { type: 'tool_call', index: 0, argumentsDelta: 'ris"}' },
        { type: 'finish', reason: 'tool_calls' },
      ],
      [{ type: 'start' }, { type: 'text', delta: 'Sunny.' }, { type: 'finish', reason: 'stop' }],
    ]);
    const weather = tool({ name: 'get_weather', execute: () => ({ celsius: 21 }) });
    const [replica] = await twoReplicas(adapter, [weather]);
    const frames = manualFrames();
    const chat = new ChatClient({ api: replica.url, frame: frames.schedule });
    const parts: unknown[] = [];
    chat.subscribe(() => parts.push(chat.getSnapshot().messages.at(-1)?.parts[0]));
    await chat.send('Weather?');
    // The first content is the call, shown at once with what parses of its input.
    expect(parts[1]).toEqual({
      type: 'tool',
      toolCallId: 'call_1',
      name: 'get_weather',
      state: 'input-streaming',
      partialInput: { city: 'Pa' },
    });
    expect(chat.getSnapshot().messages.at(-1)?.parts).toEqual([
      {
        type: 'tool',
        toolCallId: 'call_1',
        name: 'get_weather',
        state: 'output-available',
        input: { city: 'Paris' },
        output: { celsius: 21 },
      },
      { type: 'text', text: 'Sunny.' },
    ]);
    expect(chat.getSnapshot().status).toBe('ready');
  });

  it('stop ends the answer at once and cancels it upstream on the replica that runs it', async () => {
    const adapter = mockAdapter([{ type: 'start' }, { type: 'text', delta: 'Partial' }, { stall: true }]);
    const [replica] = await twoReplicas(adapter);
    const chat = new ChatClient({ api: replica.url, frame: manualFrames().schedule });
    const sent = chat.send('Go');
    await until(() => textOf(chat.getSnapshot()) === 'Partial');
    await chat.stop();
    await sent;
    await until(() => adapter.aborted === 1);
    expect(chat.getSnapshot().status).toBe('ready');
    expect(textOf(chat.getSnapshot())).toBe('Partial');
  });

  it('after a reload, resumes the answer on the other replica with every token once, and can stop it there', async () => {
    const adapter = mockAdapter([
      { type: 'start' },
      { type: 'text', delta: 'a ' },
      { type: 'text', delta: 'b ' },
      { delayMs: 200 },
      { type: 'text', delta: 'c ' },
      { type: 'text', delta: 'd.' },
      { type: 'finish', reason: 'stop' },
    ]);
    const [first, second] = await twoReplicas(adapter);
    const storage = memoryStorage();
    const page = new AbortController();
    const before = new ChatClient({
      api: first.url,
      storage,
      frame: manualFrames().schedule,
      fetch: (url, init) =>
        fetch(url, { ...init, signal: AbortSignal.any([init?.signal ?? page.signal, page.signal]) }),
    });
    void before.send('Letters');
    await until(() => textOf(before.getSnapshot()) === 'a ');
    page.abort(); // the page goes away: its reading stops, the stream does not
    const after = new ChatClient({ api: second.url, storage, frame: manualFrames().schedule });
    expect(after.getSnapshot().messages.map((message) => message.role)).toEqual(['user']);
    await after.resume();
    expect(textOf(after.getSnapshot())).toBe('a b c d.');
    expect(after.getSnapshot().status).toBe('ready');
    expect(adapter.calls.length).toBe(1);
    expect(JSON.parse(storage.getItem('tokenwire-chat') ?? '{}').streamId).toBeUndefined();
  });

  it('stops a resumed answer upstream, from the replica it was resumed on', async () => {
    const adapter = mockAdapter([{ type: 'start' }, { type: 'text', delta: 'Long' }, { stall: true }]);
    const [first, second] = await twoReplicas(adapter);
    const storage = memoryStorage();
    const page = new AbortController();
    const before = new ChatClient({
      api: first.url,
      storage,
      frame: manualFrames().schedule,
      fetch: (url, init) =>
        fetch(url, { ...init, signal: AbortSignal.any([init?.signal ?? page.signal, page.signal]) }),
    });
    void before.send('Go');
    await until(() => textOf(before.getSnapshot()) === 'Long');
    page.abort();
    const after = new ChatClient({ api: second.url, storage, frame: manualFrames().schedule });
    const resumed = after.resume();
    await until(() => textOf(after.getSnapshot()) === 'Long');
    await after.stop();
    await resumed;
    await until(() => adapter.aborted === 1);
    expect(after.getSnapshot().status).toBe('ready');
  });
});

describe('ChatClient, tool approvals', () => {
  const script = () =>
    mockAdapter([
      [
        { type: 'start' },
        {
          type: 'tool_call',
          index: 0,
          id: 'call_del',
          name: 'delete_file',
          argumentsDelta: '{"path":"old.txt"}',
        },
        { type: 'finish', reason: 'tool_calls' },
      ],
      [{ type: 'start' }, { type: 'text', delta: 'Deleted.' }, { type: 'finish', reason: 'stop' }],
    ]);
  const deleteFile = (runs: string[]) =>
    tool({
      name: 'delete_file',
      needsApproval: true,
      execute: (input) => {
        runs.push((input as { path: string }).path);
        return 'deleted';
      },
    });

  it('shows the pending approval, keeps it across a reload, and runs the tool once on approve, on the other replica', async () => {
    const runs: string[] = [];
    const adapter = script();
    const [first, second] = await twoReplicas(adapter, [deleteFile(runs)]);
    const storage = memoryStorage();
    const before = new ChatClient({ api: first.url, storage, frame: manualFrames().schedule });
    await before.send('Delete old.txt');
    expect(before.getSnapshot().status).toBe('awaiting-approval');
    expect(before.getSnapshot().pendingApprovals).toEqual([
      { approvalId: 'call_del', toolCallId: 'call_del', name: 'delete_file', input: { path: 'old.txt' } },
    ]);
    expect(runs).toEqual([]);
    const after = new ChatClient({ api: second.url, storage, frame: manualFrames().schedule });
    expect(after.getSnapshot().pendingApprovals.map((call) => call.approvalId)).toEqual(['call_del']);
    const storedBeforeApproval = storage.getItem('tokenwire-chat');
    await after.approve('call_del');
    expect(runs).toEqual(['old.txt']);
    expect(after.getSnapshot().status).toBe('ready');
    expect(after.getSnapshot().pendingApprovals).toEqual([]);
    expect(after.getSnapshot().messages.at(-2)?.parts).toEqual([
      {
        type: 'tool',
        toolCallId: 'call_del',
        name: 'delete_file',
        state: 'output-available',
        input: { path: 'old.txt' },
        output: 'deleted',
      },
    ]);
    expect(textOf(after.getSnapshot())).toBe('Deleted.');
    // The same approval sent again (a page restored from before it): the stream is served, the tool not run.
    const replayedStorage = memoryStorage();
    replayedStorage.setItem('tokenwire-chat', storedBeforeApproval ?? '');
    const replayed = new ChatClient({
      api: first.url,
      storage: replayedStorage,
      frame: manualFrames().schedule,
    });
    await replayed.approve('call_del');
    expect(runs).toEqual(['old.txt']);
    expect(textOf(replayed.getSnapshot())).toBe('Deleted.');
    expect(adapter.calls.length).toBe(2);
  });

  it('sends a rejection with its reason, and the tool does not run', async () => {
    const runs: string[] = [];
    const adapter = script();
    const [replica] = await twoReplicas(adapter, [deleteFile(runs)]);
    const chat = new ChatClient({ api: replica.url, frame: manualFrames().schedule });
    await chat.send('Delete old.txt');
    await chat.reject('call_del', 'Keep it.');
    expect(runs).toEqual([]);
    expect(adapter.calls[1]?.request.messages.at(-1)).toMatchObject({
      role: 'tool',
      toolCallId: 'call_del',
      isError: true,
      content: 'The user refused to run delete_file. Reason: Keep it.',
    });
    expect(chat.getSnapshot().messages.at(-2)?.parts[0]).toMatchObject({ state: 'output-error' });
  });

  it('answers pending calls as refused when a new message is sent instead', async () => {
    const runs: string[] = [];
    const adapter = script();
    const [replica] = await twoReplicas(adapter, [deleteFile(runs)]);
    const chat = new ChatClient({ api: replica.url, frame: manualFrames().schedule });
    await chat.send('Delete old.txt');
    await chat.send('Never mind.');
    expect(runs).toEqual([]);
    expect(adapter.calls[1]?.request.messages.slice(-2)).toEqual([
      {
        role: 'tool',
        toolCallId: 'call_del',
        name: 'delete_file',
        content: 'The user sent a new message instead of approving this call.',
        isError: true,
      },
      { role: 'user', content: 'Never mind.' },
    ]);
    expect(chat.getSnapshot().pendingApprovals).toEqual([]);
  });
});
