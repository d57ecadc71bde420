import type { FinishReason } from '@tokenwire/core';

/**
 * Maps a Gemini `finishReason` to a normalized finish reason. `STOP` is `stop` even when the model
 * called tools (Gemini has no tool-call reason): the runtime turns it into `tool_calls` when calls
 * completed. `MALFORMED_FUNCTION_CALL` never gets here: the translator reports it as an error.
 *
 * @see https://ai.google.dev/api/generate-content#FinishReason
 */
export function mapGoogleFinishReason(reason: string): FinishReason {
  switch (reason) {
    case 'STOP':
      return 'stop';
    case 'MAX_TOKENS':
      return 'length';
    case 'SAFETY':
    case 'RECITATION':
    case 'BLOCKLIST':
    case 'PROHIBITED_CONTENT':
    case 'SPII':
    case 'IMAGE_SAFETY':
    case 'IMAGE_PROHIBITED_CONTENT':
    case 'IMAGE_RECITATION':
      return 'content_filter';
    default:
      return 'other';
  }
}
