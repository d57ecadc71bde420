export { mapOpenAIChatFinishReason, mapOpenAIResponsesIncompleteReason } from './map-openai-finish-reason.js';
export type { OpenAIAdapter, OpenAIAdapterSettings } from './openai-adapter.js';
export { createAdapter, createOpenAIAdapter } from './openai-adapter.js';
export type { OpenAIChatParamsOptions } from './openai-chat-messages.js';
export { toOpenAIChatParams } from './openai-chat-messages.js';
export type {
  OpenAIChatStreamState,
  OpenAICompatibleChatChunk,
  OpenAICompatibleUsage,
} from './openai-chat-stream.js';
export {
  createOpenAIChatStreamState,
  mapOpenAIChatUsage,
  translateOpenAIChatChunk,
} from './openai-chat-stream.js';
export type { OpenAIClientSettings } from './openai-client.js';
export { createOpenAIClient } from './openai-client.js';
export type { OpenAICompatibleQuirks, OpenAICompatibleService } from './openai-compatible-services.js';
export { findOpenAICompatibleService, OPENAI_COMPATIBLE_SERVICES } from './openai-compatible-services.js';
export type { OpenAIErrorBody, OpenAIErrorContext } from './openai-errors.js';
export { normalizeOpenAIError } from './openai-errors.js';
export { toOpenAIResponsesParams } from './openai-responses-messages.js';
export type { OpenAIResponsesStreamState } from './openai-responses-stream.js';
export {
  createOpenAIResponsesStreamState,
  mapOpenAIResponsesUsage,
  translateOpenAIResponsesEvent,
} from './openai-responses-stream.js';
