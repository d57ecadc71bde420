// What tokenwire's own tests, benchmarks and sister packages need from @tokenwire/openai and users
// do not: not a stable API. Import it as `@tokenwire/openai/internal`.
export { mapOpenAIChatFinishReason, mapOpenAIResponsesIncompleteReason } from './map-openai-finish-reason.js';
export type { OpenAIChatParamsOptions } from './openai-chat-messages.js';
export { toOpenAIChatParams } from './openai-chat-messages.js';
export type {
  OpenAIChatStreamOptions,
  OpenAIChatStreamState,
  OpenAICompatibleChatChunk,
} from './openai-chat-stream.js';
export { createOpenAIChatStreamState, translateOpenAIChatChunk } from './openai-chat-stream.js';
export type { OpenAIClientSettings } from './openai-client.js';
export { createOpenAIClient } from './openai-client.js';
export type { OpenAICompatibleService } from './openai-compatible-services.js';
export { findOpenAICompatibleService, OPENAI_COMPATIBLE_SERVICES } from './openai-compatible-services.js';
export type { OpenAIErrorBody, OpenAIErrorContext } from './openai-errors.js';
export { normalizeOpenAIError } from './openai-errors.js';
export type { OpenAIRequestTarget } from './openai-request-checks.js';
export { checkOpenAIRequest, samplingRefusal } from './openai-request-checks.js';
export type { OpenAIResponsesParamsOptions } from './openai-responses-messages.js';
export { toOpenAIResponsesParams } from './openai-responses-messages.js';
export type { OpenAIResponsesStreamOptions, OpenAIResponsesStreamState } from './openai-responses-stream.js';
export {
  createOpenAIResponsesStreamState,
  translateOpenAIResponsesEvent,
} from './openai-responses-stream.js';
export type { BuiltInCall, CallerRunBuiltIn, DeclaredTools } from './openai-responses-tools.js';
export {
  builtInCallOf,
  CALLER_RUN_BUILT_INS,
  declaredToolsOf,
  LocalShellItemIds,
} from './openai-responses-tools.js';
export type { OpenAIChunk } from './openai-send.js';
export { OPENAI_SETTING_KINDS } from './openai-settings.js';
export type { OpenAICompatibleUsage } from './openai-usage.js';
export { mapOpenAIChatUsage, mapOpenAIResponsesUsage } from './openai-usage.js';
