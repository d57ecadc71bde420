// The framework-free entry: `ChatClient` without React (for Vue, Svelte, plain pages, workers).
export type { ChatClientOptions } from './chat-client.js';
export { ChatClient } from './chat-client.js';
export type {
  ChatMessage,
  ChatPart,
  ChatSnapshot,
  ChatState,
  ChatStatus,
  ChatStorage,
  ChatToolPart,
  PendingApproval,
} from './chat-types.js';
export type { FrameScheduler } from './frame-batcher.js';
