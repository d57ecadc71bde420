/** The AI SDK's UI messages (what `useChat` sends) as a tokenwire conversation. */
import type { Message, ToolCall } from '@tokenwire/core';

/** The parts of a UI message this example reads: text, and tool calls with their results. */
export interface UIChatMessage {
  role: 'user' | 'assistant' | 'system';
  parts: Array<{
    type: string;
    text?: string;
    toolCallId?: string;
    input?: unknown;
    output?: unknown;
    state?: string;
  }>;
}

/** The conversation of `useChat`'s messages: texts, and each answered tool call with its result. */
export function messagesOfUI(messages: UIChatMessage[]): Message[] {
  const conversation: Message[] = [];
  for (const message of messages) {
    const text = message.parts.flatMap((part) => (part.type === 'text' ? [part.text ?? ''] : [])).join('');
    if (message.role !== 'assistant') {
      conversation.push({ role: message.role, content: text });
      continue;
    }
    const answered = message.parts.filter(
      (part) => part.type.startsWith('tool-') && part.state === 'output-available',
    );
    const toolCalls: ToolCall[] = answered.map((part) => ({
      id: part.toolCallId ?? '',
      name: part.type.slice('tool-'.length),
      arguments: JSON.stringify(part.input ?? {}),
      input: part.input,
    }));
    conversation.push(
      toolCalls.length > 0
        ? { role: 'assistant', content: text, toolCalls }
        : { role: 'assistant', content: text },
    );
    for (const part of answered)
      conversation.push({
        role: 'tool',
        toolCallId: part.toolCallId ?? '',
        content: JSON.stringify(part.output ?? null),
      });
  }
  return conversation;
}
