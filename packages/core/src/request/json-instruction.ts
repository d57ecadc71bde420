import type { ChatResponseFormat, Message } from '../model/types.js';

/**
 * The system instruction of a JSON answer asked for where the provider cannot hold the model to
 * the schema itself (JSON mode plus instructions, DESIGN.md "Structured output"): answer with JSON
 * only and, for `json_schema`, match the schema, which is quoted. Undefined for text answers.
 */
export function jsonInstruction(format: ChatResponseFormat | undefined): string | undefined {
  if (format === undefined || format.type === 'text') return undefined;
  const only = 'Answer with one JSON object and nothing else: no prose before or after it, no code fence.';
  if (format.type === 'json') return only;
  return `${only} It must match this JSON Schema:\n${JSON.stringify(format.schema)}`;
}

/**
 * True when a system or user message says "json" (any case). OpenAI-style JSON modes refuse a
 * request whose messages do not ("'messages' must contain the word 'json'").
 */
export function mentionsJson(messages: readonly Message[]): boolean {
  return messages.some((message) => {
    if (message.role === 'system') return /json/i.test(message.content);
    if (message.role !== 'user') return false;
    const { content } = message;
    if (typeof content === 'string') return /json/i.test(content);
    return content.some((part) => part.type === 'text' && /json/i.test(part.text));
  });
}
