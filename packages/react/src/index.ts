export * from './client.js';
export type { UseChat } from './use-chat.js';
export { useChat } from './use-chat.js';
