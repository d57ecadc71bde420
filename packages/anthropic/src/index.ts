export type { AnthropicAdapter, AnthropicAdapterSettings } from './anthropic-adapter.js';
export { createAdapter, createAnthropicAdapter } from './anthropic-adapter.js';
export { anthropicStreamError, normalizeAnthropicError } from './anthropic-errors.js';
export type {
  AnthropicCacheMarker,
  AnthropicParamsOptions,
  AnthropicProviderOptions,
} from './anthropic-messages.js';
export { DEFAULT_MAX_TOKENS, toAnthropicParams } from './anthropic-messages.js';
export type {
  AnthropicErrorEvent,
  AnthropicPingEvent,
  AnthropicStreamEvent,
  AnthropicStreamState,
} from './anthropic-stream.js';
export {
  createAnthropicStreamState,
  translateAnthropicEvent,
  translateAnthropicEventInto,
} from './anthropic-stream.js';
export { mapAnthropicFinishReason } from './map-anthropic-finish-reason.js';
