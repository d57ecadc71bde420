import type { FinishReason } from '@tokenwire/core';

/**
 * Maps a Chat Completions `finish_reason` to a normalized finish reason. Besides OpenAI's five
 * values it knows the words compatible services use (Zhipu `sensitive`, DeepSeek
 * `insufficient_system_resource`, vLLM/llama.cpp `eos`, Anthropic-style `end_turn`/`max_tokens`).
 * Unknown reasons map to `'other'`; callers keep the raw word as `rawReason`.
 *
 * @see https://platform.openai.com/docs/api-reference/chat-streaming/streaming#chat-streaming/streaming-choices
 */
export function mapOpenAIChatFinishReason(reason: string): FinishReason {
  switch (reason) {
    case 'stop':
    case 'eos':
    case 'end_turn':
    case 'stop_sequence':
      return 'stop';
    case 'length':
    case 'max_tokens':
    case 'model_context_window_exceeded':
      return 'length';
    case 'tool_calls':
    case 'function_call':
    case 'tool_use':
      return 'tool_calls';
    case 'content_filter':
    case 'sensitive': // Zhipu GLM: output blocked by its safety filter
    case 'refusal':
      return 'content_filter';
    default:
      return 'other';
  }
}

/**
 * Maps the `incomplete_details.reason` of a Responses API `response.incomplete` event.
 *
 * @see https://platform.openai.com/docs/api-reference/responses-streaming/response/incomplete
 */
export function mapOpenAIResponsesIncompleteReason(reason: string | undefined): FinishReason {
  switch (reason) {
    case 'max_output_tokens':
      return 'length';
    case 'content_filter':
      return 'content_filter';
    default:
      return 'other';
  }
}
