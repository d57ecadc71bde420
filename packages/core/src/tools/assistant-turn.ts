import type { Message, ReasoningPart, ToolCall } from '../model/types.js';

/** What an assistant turn is made of: a finish event, or a step of one. */
interface TurnParts {
  content: string;
  toolCalls: ToolCall[];
  reasoningParts?: ReasoningPart[];
}

/**
 * The assistant message that continues a conversation after this answer, on any provider: its
 * text, its tool calls and its reasoning parts (signatures and redacted data included).
 */
export function assistantTurnOf(parts: TurnParts): Message {
  const turn: Extract<Message, { role: 'assistant' }> = { role: 'assistant', content: parts.content };
  if (parts.toolCalls.length > 0) turn.toolCalls = parts.toolCalls;
  if (parts.reasoningParts !== undefined && parts.reasoningParts.length > 0)
    turn.reasoning = parts.reasoningParts;
  return turn;
}

/** True when `messages` is exactly the one assistant turn `assistantTurnOf(parts)` gives (the SSE wire rebuilds it). */
export function isOwnTurn(messages: readonly Message[], parts: TurnParts): boolean {
  if (messages.length !== 1) return false;
  const turn = messages[0] as Message;
  return (
    turn.role === 'assistant' &&
    turn.content === parts.content &&
    turn.toolCalls === (parts.toolCalls.length > 0 ? parts.toolCalls : undefined) &&
    turn.reasoning === (parts.reasoningParts?.length ? parts.reasoningParts : undefined)
  );
}
