import { useState, useSyncExternalStore } from 'react';
import { ChatClient, type ChatClientOptions } from './chat-client.js';
import type { ChatSnapshot } from './chat-types.js';

/** What `useChat` returns: the chat's snapshot and its actions. */
export interface UseChat extends ChatSnapshot {
  /** Sends a user message and streams the answer. */
  send: (text: string) => Promise<void>;
  /** Stops the answer, upstream too. */
  stop: () => Promise<void>;
  /** Resumes a stream by id (default: the one running before a reload). */
  resume: (streamIdOrEventId?: string) => Promise<void>;
  /** Approves a pending tool call. */
  approve: (approvalId: string) => Promise<void>;
  /** Refuses a pending tool call. */
  reject: (approvalId: string, reason?: string) => Promise<void>;
  /** The `ChatClient` underneath. */
  client: ChatClient;
}

/**
 * A chat in a React component, on a `ChatClient` (made once from the first render's options, or
 * passed in) through `useSyncExternalStore`: the component re-renders at most once per animation
 * frame while an answer streams, the first token at once.
 *
 * @example
 * const { messages, status, send, stop, pendingApprovals, approve } = useChat({ api: '/api/chat' });
 */
export function useChat(options: ChatClientOptions | ChatClient): UseChat {
  // The client and its actions are made once: they are stable across renders (effect-safe).
  const [actions] = useState(() =>
    actionsOf(options instanceof ChatClient ? options : new ChatClient(options)),
  );
  const { client } = actions;
  const snapshot = useSyncExternalStore(client.subscribe, client.getSnapshot, client.getSnapshot);
  return { ...snapshot, ...actions };
}

function actionsOf(client: ChatClient): Omit<UseChat, keyof ChatSnapshot> {
  return {
    send: (text) => client.send(text),
    stop: () => client.stop(),
    resume: (streamIdOrEventId) => client.resume(streamIdOrEventId),
    approve: (approvalId) => client.approve(approvalId),
    reject: (approvalId, reason) => client.reject(approvalId, reason),
    client,
  };
}
