export type {
  AnthropicAdapter,
  AnthropicAdapterSettings,
  AnthropicMessagesClient,
} from './anthropic-adapter.js';
export { createAdapter, createAnthropicAdapter } from './anthropic-adapter.js';
export type { AnthropicStructuredOutput } from './anthropic-json-answer.js';
export type { AnthropicProviderOptions } from './anthropic-messages.js';
export type { AnthropicCacheMarker } from './anthropic-turns.js';
