import type { FinishReason } from '@tokenwire/core';

/**
 * Maps an Anthropic `stop_reason` to the normalized finish reason. The runtime keeps the
 * original as `rawReason`. `pause_turn` (a server tool paused a long turn) is a normal stop:
 * send the conversation back to let the model continue. Unknown and missing reasons are `other`.
 *
 * @see https://docs.anthropic.com/en/api/handling-stop-reasons
 */
export function mapAnthropicFinishReason(stopReason: string | null | undefined): FinishReason {
  switch (stopReason) {
    case 'end_turn':
    case 'stop_sequence':
    case 'pause_turn':
      return 'stop';
    case 'max_tokens':
    case 'model_context_window_exceeded':
      return 'length';
    case 'tool_use':
      return 'tool_calls';
    case 'refusal':
      return 'content_filter';
    default:
      return 'other';
  }
}
