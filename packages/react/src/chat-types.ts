import type { Message, TokenwireError, Usage } from '@tokenwire/core';

/** A piece of a shown message, in the order it arrived. */
export type ChatPart =
  | { type: 'text'; text: string }
  | { type: 'reasoning'; text: string }
  | ChatToolPart
  /** The structured answer so far (`responseFormat`), replaced as it grows. */
  | { type: 'object'; object: unknown };

/**
 * A tool call: its input while it streams (`partialInput`), then its `input`, then its result.
 * `approval-requested` waits for `ChatClient.approve` or `reject`.
 */
export interface ChatToolPart {
  type: 'tool';
  toolCallId: string;
  name: string;
  state: 'input-streaming' | 'input-available' | 'approval-requested' | 'output-available' | 'output-error';
  /** The best-effort parse of the arguments so far, while they stream. */
  partialInput?: unknown;
  input?: unknown;
  output?: unknown;
  /** Set while the call waits for a decision. */
  approvalId?: string;
}

/** A message as shown: the user's text, or an assistant answer made of parts. */
export interface ChatMessage {
  id: string;
  role: 'user' | 'assistant';
  parts: readonly ChatPart[];
}

/**
 * Where the chat is: `submitted` (sent, nothing back yet), `streaming`, `awaiting-approval` (the
 * answer stopped at tools that need a decision), `ready`, or `error`.
 */
export type ChatStatus = 'submitted' | 'streaming' | 'awaiting-approval' | 'ready' | 'error';

/** A tool call waiting for `approve(approvalId)` or `reject(approvalId, reason)`. */
export interface PendingApproval {
  approvalId: string;
  toolCallId: string;
  name: string;
  input: unknown;
}

/** What `ChatClient.getSnapshot()` returns: a new object whenever something shown changed. */
export interface ChatSnapshot {
  messages: readonly ChatMessage[];
  status: ChatStatus;
  /** What ended the last answer, when it failed. */
  error: TokenwireError | undefined;
  pendingApprovals: readonly PendingApproval[];
  /** The id of the answer's resumable stream, once the server has sent one. */
  streamId: string | undefined;
  /** The last answer's usage, when it finished. */
  usage: Usage | undefined;
}

/** What a chat keeps across a reload (see `ChatClientOptions.storage`). */
export interface ChatState {
  /** The conversation, as the server gets it. */
  conversation: Message[];
  /** The messages shown for it. */
  messages: ChatMessage[];
  /** The stream that was running, to resume. */
  streamId?: string;
  /** The last decision sent, to resend only if its stream never started. */
  pendingApprovals?: PendingApproval[];
}

/** Where a chat keeps its state: `sessionStorage`, `localStorage`, or anything with these two. */
export interface ChatStorage {
  /** The saved value, or null. */
  getItem(key: string): string | null;
  /** Saves a value. */
  setItem(key: string, value: string): void;
}
