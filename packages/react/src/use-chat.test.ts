// @vitest-environment happy-dom
import { mockAdapter } from '@tokenwire/testing';
import { act, createElement } from 'react';
import { createRoot } from 'react-dom/client';
import { afterEach, describe, expect, it } from 'vitest';
import { type ChatReplica, manualFrames, startReplicas } from './chat-server.test-helpers.js';
import { type UseChat, useChat } from './use-chat.js';

(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;

let replicas: ChatReplica[] = [];
afterEach(async () => {
  await Promise.all(replicas.map((replica) => replica.close()));
  replicas = [];
});

describe('useChat', () => {
  it('renders the answer from the ChatClient, once per published snapshot', async () => {
    const adapter = mockAdapter([
      { type: 'start' },
      { type: 'text', delta: 'Hello ' },
      { type: 'text', delta: 'there' },
      { type: 'text', delta: '!' },
      { type: 'finish', reason: 'stop' },
    ]);
    replicas = await startReplicas(adapter);
    const frames = manualFrames();
    let chat: UseChat | undefined;
    let renders = 0;
    function Chat() {
      chat = useChat({ api: (replicas[0] as ChatReplica).url, frame: frames.schedule });
      renders++;
      const text = chat.messages
        .flatMap((message) => message.parts.flatMap((part) => (part.type === 'text' ? [part.text] : [])))
        .join('|');
      return createElement('p', { id: 'text', 'data-status': chat.status }, text);
    }
    const container = document.createElement('div');
    const root = createRoot(container);
    await act(async () => root.render(createElement(Chat)));
    await act(async () => {
      await chat?.send('Hi');
    });
    expect(container.querySelector('#text')?.textContent).toBe('Hi|Hello there!');
    expect(container.querySelector('#text')?.getAttribute('data-status')).toBe('ready');
    // The first render, then one per snapshot: submitted, the first token, the end (no frame ran).
    expect(renders).toBeLessThanOrEqual(4);
    await act(async () => root.unmount());
  });
});
