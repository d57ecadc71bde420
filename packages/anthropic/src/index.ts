export type { AnthropicAdapter } from './anthropic-adapter.js';
export { createAdapter, createAnthropicAdapter } from './anthropic-adapter.js';
export type { AnthropicMessagesClient } from './anthropic-client.js';
export type { AnthropicStructuredOutput } from './anthropic-json-answer.js';
export type { AnthropicProviderOptions } from './anthropic-messages.js';
export type { AnthropicAdapterSettings } from './anthropic-settings.js';
export type { AnthropicCacheMarker } from './anthropic-turns.js';
