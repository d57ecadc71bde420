// What tokenwire's own tests, benchmarks and sister packages need from @tokenwire/anthropic and
// users do not: not a stable API. Import it as `@tokenwire/anthropic/internal`.
export { anthropicStreamError, normalizeAnthropicError } from './anthropic-errors.js';
export type { JsonAnswerMethod } from './anthropic-json-answer.js';
export { JSON_ANSWER_TOOL, jsonAnswerMethodOf } from './anthropic-json-answer.js';
export type { AnthropicParamsOptions, AnthropicRequestBody } from './anthropic-messages.js';
export { DEFAULT_MAX_TOKENS, toAnthropicParams } from './anthropic-messages.js';
export { anthropicRecord } from './anthropic-records.js';
export { checkAnthropicRequest } from './anthropic-request-limits.js';
export type {
  AnthropicErrorEvent,
  AnthropicPingEvent,
  AnthropicStreamEvent,
  AnthropicStreamOptions,
  AnthropicStreamState,
} from './anthropic-stream.js';
export {
  createAnthropicStreamState,
  translateAnthropicEvent,
  translateAnthropicEventInto,
} from './anthropic-stream.js';
export { anthropicTranslator } from './anthropic-translator.js';
export type { AnthropicConversation } from './anthropic-turns.js';
export { ANTHROPIC_IMAGE_TYPES, toAnthropicConversation } from './anthropic-turns.js';
export { mapAnthropicFinishReason } from './map-anthropic-finish-reason.js';
