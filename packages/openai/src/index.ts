export type { OpenAIAdapter } from './openai-adapter.js';
export { createAdapter, createOpenAIAdapter } from './openai-adapter.js';
export type { OpenAICompatibleQuirks } from './openai-compatible-services.js';
export type { OpenAIAdapterSettings } from './openai-settings.js';
