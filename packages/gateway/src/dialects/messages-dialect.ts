import type { FinishEvent } from '@tokenwire/core';
import type { AnswerContext, Dialect } from './dialect.js';
import { anthropicError } from './messages-errors.js';
import { decodeMessagesRequest } from './messages-request.js';
import { anthropicUsageOf, MessagesStreamEncoder, stopReasonOf } from './messages-stream.js';

/** The whole answer as one Messages body: reasoning blocks, the text, then the tool calls. */
function answerBody(finish: FinishEvent, context: AnswerContext): unknown {
  const content: unknown[] = [];
  for (const part of finish.reasoningParts ?? []) {
    if (part.providerBlock !== undefined) content.push(part.providerBlock);
    else if (part.redactedData !== undefined && part.text === '')
      content.push({ type: 'redacted_thinking', data: part.redactedData });
    else content.push({ type: 'thinking', thinking: part.text, signature: part.signature ?? '' });
  }
  if (finish.content !== '') content.push({ type: 'text', text: finish.content });
  for (const call of finish.toolCalls) {
    content.push({ type: 'tool_use', id: call.id, name: call.name, input: call.input ?? {} });
  }
  return {
    id: `msg_${context.id}`,
    type: 'message',
    role: 'assistant',
    model: context.model,
    content,
    stop_reason: stopReasonOf(finish.reason, finish.rawReason),
    stop_sequence: null,
    usage: anthropicUsageOf(finish.usage),
  };
}

/** Anthropic Messages: `POST /v1/messages` (and `/v1/messages/count_tokens`). */
export const messagesDialect: Dialect = {
  name: 'messages',
  decode: decodeMessagesRequest,
  streamEncoder: (context) => new MessagesStreamEncoder(context),
  answerBody,
  errorAnswer(problem) {
    const { status, error } = anthropicError(problem);
    return { status, body: { type: 'error', error } };
  },
};
