import type { Message, ToolResultEvent } from '@tokenwire/core';
import type { ChatMessage, ChatPart, ChatState, ChatStorage, PendingApproval } from './chat-types.js';

/** The default key of a chat in its storage. */
export const STORAGE_KEY = 'tokenwire-chat';

/** What a `ChatClient` saves: its state, its id, and the decisions not sent yet. */
export interface SavedChat extends ChatState {
  chatId?: string;
  decisions: Message[];
}

/** Saves the chat (JSON). */
export function saveChat(storage: ChatStorage, key: string, state: SavedChat): void {
  storage.setItem(key, JSON.stringify(state));
}

/** The saved chat, or undefined when there is none or it does not parse. */
export function loadChat(storage: ChatStorage, key: string): SavedChat | undefined {
  const saved = storage.getItem(key);
  if (saved === null) return undefined;
  try {
    const state = JSON.parse(saved) as Partial<SavedChat>;
    return {
      ...state,
      conversation: state.conversation ?? [],
      messages: state.messages ?? [],
      decisions: state.decisions ?? [],
    };
  } catch {
    return undefined; // a broken saved chat starts afresh
  }
}

/** The calls of the last answer that wait for a decision. */
export function pendingOf(message: ChatMessage | undefined): PendingApproval[] {
  if (message?.role !== 'assistant') return [];
  return message.parts.flatMap((part) =>
    part.type === 'tool' && part.state === 'approval-requested' && part.approvalId !== undefined
      ? [{ approvalId: part.approvalId, toolCallId: part.toolCallId, name: part.name, input: part.input }]
      : [],
  );
}

/** Puts a result on the call of a shown message that waited for it; false when no message has the call. */
export function putResult(shown: ChatMessage[], event: ToolResultEvent): boolean {
  const index = shown.findIndex((message) =>
    message.parts.some((part) => part.type === 'tool' && part.toolCallId === event.toolCallId),
  );
  const message = shown[index];
  if (message === undefined) return false;
  const parts = message.parts.map((part): ChatPart => {
    if (part.type !== 'tool' || part.toolCallId !== event.toolCallId) return part;
    const { approvalId: _asked, ...call } = part;
    return {
      ...call,
      output: event.output,
      state: event.isError === true ? 'output-error' : 'output-available',
    };
  });
  shown[index] = { ...message, parts };
  return true;
}

/** A new id for a message or a stream. */
export function randomId(): string {
  return globalThis.crypto.randomUUID();
}

/** An id usable in a stream id (`[\w.-]`, at most 128 characters with the chat's id before it). */
export function safeId(id: string): string {
  return id.replace(/[^\w.-]/g, '_').slice(0, 80);
}
