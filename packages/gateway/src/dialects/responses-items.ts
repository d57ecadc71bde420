import type { FinishEvent, FinishReason, ReasoningPart, ToolCall, Usage } from '@tokenwire/core';
import type { AnswerContext } from './dialect.js';
import { encryptedContentOf } from './request-parts.js';

// The Responses objects both the stream and the JSON body are made of.
// @see https://www.openresponses.org/specification

/** Usage in Responses' names, with the details objects clients expect. */
export function responsesUsageOf(usage: Usage): Record<string, unknown> {
  return {
    input_tokens: usage.inputTokens,
    input_tokens_details: { cached_tokens: usage.cachedInputTokens ?? 0 },
    output_tokens: usage.outputTokens,
    output_tokens_details: { reasoning_tokens: usage.reasoningTokens ?? 0 },
    total_tokens: usage.totalTokens,
  };
}

/** A message item of output text. */
export function messageItem(id: string, text: string, status: string): Record<string, unknown> {
  return {
    id,
    type: 'message',
    status,
    role: 'assistant',
    content: status === 'in_progress' ? [] : [{ type: 'output_text', text, annotations: [] }],
  };
}

/** A reasoning item: its text as `reasoning_text` content, its proof in `encrypted_content`. */
export function reasoningItem(id: string, part: ReasoningPart | undefined): Record<string, unknown> {
  const item: Record<string, unknown> = { id, type: 'reasoning', summary: [] };
  if (part === undefined) return item;
  if (part.text !== '') item.content = [{ type: 'reasoning_text', text: part.text }];
  const encrypted = encryptedContentOf(part);
  if (encrypted !== undefined) item.encrypted_content = encrypted;
  return item;
}

/** A function call item: `call_id` is the id to answer with a `function_call_output`. */
export function functionCallItem(
  id: string,
  call: Omit<ToolCall, 'input'>,
  status: string,
): Record<string, unknown> {
  return { id, type: 'function_call', status, call_id: call.id, name: call.name, arguments: call.arguments };
}

/** `completed`, or `incomplete` with the reason, from tokenwire's finish reason. */
function endingOf(reason: FinishReason): { status: string; incomplete_details: unknown } {
  if (reason === 'length')
    return { status: 'incomplete', incomplete_details: { reason: 'max_output_tokens' } };
  if (reason === 'content_filter')
    return { status: 'incomplete', incomplete_details: { reason: 'content_filter' } };
  return { status: 'completed', incomplete_details: null };
}

/** The response object, at any stage: `in_progress`, `completed`, `incomplete` or `failed`. */
export function responseObject(
  context: AnswerContext,
  status: string,
  output: unknown[],
  extra: Record<string, unknown> = {},
): Record<string, unknown> {
  return {
    id: `resp_${context.id}`,
    object: 'response',
    created_at: context.created,
    status,
    model: context.model,
    output,
    error: null,
    incomplete_details: null,
    usage: null,
    parallel_tool_calls: true,
    tool_choice: 'auto',
    tools: [],
    metadata: {},
    ...extra,
  };
}

/** The final response object of a finish: its status, output items and usage. */
export function finishedResponse(finish: FinishEvent, context: AnswerContext, output: unknown[]): unknown {
  const { status, incomplete_details } = endingOf(finish.reason);
  return responseObject(context, status, output, {
    incomplete_details,
    usage: responsesUsageOf(finish.usage),
  });
}

/** The output items of a whole answer: reasoning, the text, then the function calls. */
export function outputOfFinish(finish: FinishEvent, context: AnswerContext): unknown[] {
  const output: unknown[] = [];
  (finish.reasoningParts ?? []).forEach((part, index) => {
    output.push(reasoningItem(`rs_${context.id}_${index}`, part));
  });
  if (finish.content !== '') output.push(messageItem(`msg_${context.id}`, finish.content, 'completed'));
  finish.toolCalls.forEach((call, index) => {
    output.push(functionCallItem(`fc_${context.id}_${index}`, call, 'completed'));
  });
  return output;
}
