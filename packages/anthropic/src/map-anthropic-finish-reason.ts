import type { FinishReason } from '@tokenwire/core';

/**
 * Maps an Anthropic `stop_reason` to the normalized finish reason. The runtime keeps the
 * original as `rawReason`. `pause_turn` (a server tool paused a long turn) is a normal stop:
 * send the conversation back to let the model continue. So is `compaction`: the response is the
 * compaction block alone (a compaction request, or `pause_after_compaction`), to send back on the
 * next request. Unknown and missing reasons are `other`.
 *
 * @see https://docs.anthropic.com/en/api/handling-stop-reasons
 */
export function mapAnthropicFinishReason(stopReason: string | null | undefined): FinishReason {
  switch (stopReason) {
    case 'end_turn':
    case 'stop_sequence':
    case 'pause_turn':
    case 'compaction':
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
