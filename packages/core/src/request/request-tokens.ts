import { estimateQuarterTokens } from '../model/estimate-tokens.js';
import type { ChatRequest } from '../model/types.js';

/** Estimated input tokens of a request (text of every message and tool), used only when a provider reports none. */
export function estimateRequestTokens(request: Pick<ChatRequest, 'messages' | 'tools'>): number {
  let units = 0;
  for (const message of request.messages) {
    units += 16; // role and framing, about four tokens per message
    if (typeof message.content === 'string') units += estimateQuarterTokens(message.content);
    else if (Array.isArray(message.content)) {
      for (const part of message.content) {
        units += part.type === 'text' ? estimateQuarterTokens(part.text) : 4 * 256; // an image: a few hundred tokens
      }
    }
    if (message.role === 'assistant' && message.toolCalls) {
      for (const call of message.toolCalls) units += estimateQuarterTokens(call.name + call.arguments);
    }
  }
  if (request.tools && request.tools.length > 0)
    units += estimateQuarterTokens(JSON.stringify(request.tools));
  return Math.ceil(units / 4);
}
