import type { FinishReason } from '@tokenwire/core';

/**
 * Core's finish reason for a ConverseStream `messageStop.stopReason`. A stop reason added after
 * this adapter was written is `other` (its word is kept as `rawReason`).
 * @see https://docs.aws.amazon.com/bedrock/latest/APIReference/API_runtime_MessageStopEvent.html
 */
export function mapBedrockFinishReason(stopReason: string | undefined): FinishReason {
  switch (stopReason) {
    case 'end_turn':
    case 'stop_sequence':
      return 'stop';
    case 'max_tokens':
    case 'model_context_window_exceeded':
      return 'length';
    case 'tool_use':
      return 'tool_calls';
    case 'guardrail_intervened':
    case 'content_filtered':
      return 'content_filter';
    default:
      // malformed_model_output, malformed_tool_use, and reasons added later
      return 'other';
  }
}
