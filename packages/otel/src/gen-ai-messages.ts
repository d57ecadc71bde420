import type { ContentPart, FinishEvent, Message } from '@tokenwire/core';

/**
 * The conversation and the answer in the convention's message shapes (`{ role, parts }`), for
 * `gen_ai.input.messages` and `gen_ai.output.messages`. Called only with `captureContent: true`,
 * once per stream (never per delta).
 *
 * @see https://github.com/open-telemetry/semantic-conventions/blob/v1.41.0/docs/gen-ai/gen-ai-input-messages.json
 * @see https://github.com/open-telemetry/semantic-conventions/blob/v1.41.0/docs/gen-ai/gen-ai-output-messages.json
 */

/** One part of a message, as the convention's JSON schemas define them. */
export type GenAiPart = { type: string; [field: string]: unknown };

/** One message of `gen_ai.input.messages` or `gen_ai.output.messages`. */
export interface GenAiMessage {
  role: string;
  parts: GenAiPart[];
  /** Output messages only. */
  finish_reason?: string;
}

/** The request's messages in the convention's input shape (system messages included, in order). */
export function inputMessages(messages: readonly Message[]): GenAiMessage[] {
  return messages.map((message): GenAiMessage => {
    switch (message.role) {
      case 'system':
        return { role: 'system', parts: [{ type: 'text', content: message.content }] };
      case 'user':
        return { role: 'user', parts: userParts(message.content) };
      case 'assistant': {
        const parts: GenAiPart[] = (message.reasoning ?? [])
          .filter((part) => part.text !== '')
          .map((part) => ({ type: 'reasoning', content: part.text }));
        if (typeof message.content === 'string' && message.content !== '')
          parts.push({ type: 'text', content: message.content });
        for (const call of message.toolCalls ?? [])
          parts.push({
            type: 'tool_call',
            id: call.id,
            name: call.name,
            arguments: call.input ?? call.arguments,
          });
        return { role: 'assistant', parts };
      }
      case 'tool':
        return {
          role: 'tool',
          parts: [{ type: 'tool_call_response', id: message.toolCallId, response: message.content }],
        };
      default:
        // A role a newer core may add: kept by name, without parts we do not know how to read.
        return { role: String((message as { role: unknown }).role), parts: [] };
    }
  });
}

function userParts(content: string | ContentPart[]): GenAiPart[] {
  if (typeof content === 'string') return [{ type: 'text', content }];
  return content.map((part): GenAiPart => {
    if (part.type === 'text') return { type: 'text', content: part.text };
    if (part.type === 'image') return imagePart(part);
    return { type: String((part as { type: unknown }).type) };
  });
}

function imagePart(part: Extract<ContentPart, { type: 'image' }>): GenAiPart {
  const mimeType = part.mediaType === undefined ? {} : { mime_type: part.mediaType };
  if (part.data !== undefined) return { type: 'blob', modality: 'image', ...mimeType, content: part.data };
  return { type: 'uri', modality: 'image', ...mimeType, uri: part.url ?? '' };
}

/**
 * The answer as one output message: reasoning, text and the tool calls the stream ended with, with
 * the finish reason (`tool_calls` becomes the convention's `tool_call`). The calls tokenwire ran
 * in earlier steps are on the execute_tool spans, not here.
 */
export function outputMessages(finish: FinishEvent): GenAiMessage[] {
  const parts: GenAiPart[] = [];
  if (finish.reasoning !== '') parts.push({ type: 'reasoning', content: finish.reasoning });
  if (finish.content !== '') parts.push({ type: 'text', content: finish.content });
  // `finish.toolCalls` holds every step's calls; the stream ended with the last step's.
  const calls = finish.reason === 'tool_calls' ? (finish.steps?.at(-1)?.toolCalls ?? finish.toolCalls) : [];
  for (const call of calls)
    parts.push({ type: 'tool_call', id: call.id, name: call.name, arguments: call.input ?? call.arguments });
  const reason = finish.reason === 'tool_calls' ? 'tool_call' : finish.reason;
  return [{ role: 'assistant', parts, finish_reason: reason }];
}

/** A tool's arguments or result as an attribute value: text as it is, anything else as JSON. */
export function contentText(value: unknown): string {
  if (typeof value === 'string') return value;
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value); // a cycle or a BigInt: still say something
  }
}
