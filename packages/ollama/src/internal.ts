// What tokenwire's own tests, benchmarks and sister packages need from @tokenwire/ollama and users
// do not: not a stable API. Import it as `@tokenwire/ollama/internal`.
export { mapOllamaFinishReason } from './map-ollama-finish-reason.js';
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
