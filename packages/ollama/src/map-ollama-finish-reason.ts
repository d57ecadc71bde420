import type { FinishReason } from '@tokenwire/core';

/**
 * Maps Ollama's `done_reason` to a normalized finish reason: `stop` and `length` keep their
 * meaning, anything else (`load`, `unload`, future words) is `other`. A final line without a
 * `done_reason` (servers before 0.3.x never sent one) finished normally, so it is `stop`.
 * Ollama says `stop` after tool calls too; the runtime turns that into `tool_calls` when calls
 * completed, so this mapping must not guess.
 *
 * @see https://github.com/ollama/ollama/blob/main/docs/api.md#generate-a-chat-completion
 */
export function mapOllamaFinishReason(doneReason: string | undefined): FinishReason {
  switch (doneReason) {
    case undefined:
    case '':
    case 'stop':
      return 'stop';
    case 'length':
      return 'length';
    default:
      return 'other';
  }
}
