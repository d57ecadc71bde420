export { mapOllamaFinishReason } from './map-ollama-finish-reason.js';
export type { OllamaAdapter, OllamaAdapterSettings } from './ollama-adapter.js';
export { createAdapter, createOllamaAdapter, DEFAULT_OLLAMA_HOST } from './ollama-adapter.js';
export type { OllamaErrorContext } from './ollama-errors.js';
export { normalizeOllamaError } from './ollama-errors.js';
export type {
  OllamaRequestMessage,
  OllamaRequestSettings,
  OllamaStreamingChatRequest,
} from './ollama-messages.js';
export { toOllamaChatRequest, toOllamaMessages } from './ollama-messages.js';
export type { OllamaStreamState } from './ollama-stream.js';
export { createOllamaStreamState, translateOllamaChunk } from './ollama-stream.js';
