export type { OllamaAdapter, OllamaAdapterSettings, OllamaChunk, OllamaTransport } from './ollama-adapter.js';
export { createAdapter, createOllamaAdapter, DEFAULT_OLLAMA_HOST } from './ollama-adapter.js';
