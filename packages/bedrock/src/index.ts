export type { BedrockAdapter, BedrockAdapterSettings, BedrockStructuredOutput } from './bedrock-adapter.js';
export { createAdapter, createBedrockAdapter } from './bedrock-adapter.js';
export type { BedrockProviderOptions } from './bedrock-messages.js';
