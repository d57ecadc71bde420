// What tokenwire's own tests, benchmarks and sister packages need from @tokenwire/openai and users
// do not: not a stable API. Import it as `@tokenwire/openai/internal`.
export { mapOpenAIChatFinishReason, mapOpenAIResponsesIncompleteReason } from './map-openai-finish-reason.js';
export type { OpenAIChatParamsOptions } from './openai-chat-messages.js';
export { toOpenAIChatParams } from './openai-chat-messages.js';
export type {
  OpenAIChatStreamOptions,
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
export type { OpenAICompatibleService } from './openai-compatible-services.js';
export { findOpenAICompatibleService, OPENAI_COMPATIBLE_SERVICES } from './openai-compatible-services.js';
export type { OpenAIErrorBody, OpenAIErrorContext } from './openai-errors.js';
export { normalizeOpenAIError } from './openai-errors.js';
export type { OpenAIChunk } from './openai-open.js';
export type { OpenAIRequestTarget } from './openai-request-checks.js';
export { checkOpenAIRequest, samplingRefusal } from './openai-request-checks.js';
export { toOpenAIResponsesParams } from './openai-responses-messages.js';
export type { OpenAIResponsesStreamState } from './openai-responses-stream.js';
export {
  createOpenAIResponsesStreamState,
  mapOpenAIResponsesUsage,
  translateOpenAIResponsesEvent,
} from './openai-responses-stream.js';
export { OPENAI_SETTING_KINDS } from './openai-settings.js';
