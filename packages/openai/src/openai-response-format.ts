import type { ChatRequest, ChatResponseFormat } from '@tokenwire/core';
import { jsonInstruction, mentionsJson } from '@tokenwire/core/internal';
import type { ChatCompletionCreateParamsStreaming } from 'openai/resources/chat/completions';
import type { ResponseCreateParamsStreaming } from 'openai/resources/responses/responses';

/**
 * How a service takes `responseFormat` (the `structuredOutput` quirk):
 * - `'native'`: `json_object` and `json_schema`, as OpenAI;
 * - `'json_object'`: JSON mode only; a schema is asked for as `json_object` plus an instruction
 *   that quotes it (the service does not hold the model to it: core validates the answer);
 * - `'json_schema'`: schemas only; `{ type: 'json' }` is sent as the schema `{ type: 'object' }`;
 * - `'instructions'`: no `response_format` at all, only the instruction.
 */
export type StructuredOutputSupport = 'native' | 'json_object' | 'json_schema' | 'instructions';

type ChatResponseFormatParam = NonNullable<ChatCompletionCreateParamsStreaming['response_format']>;
type TextFormatParam = NonNullable<NonNullable<ResponseCreateParamsStreaming['text']>['format']>;

/** What a request sends for its `responseFormat`: the field, and an instruction to put first (if any). */
export interface ResponseFormatPlan<Param> {
  param: Param | undefined;
  instruction: string | undefined;
}

/**
 * Plans `response_format` for Chat Completions. JSON mode refuses messages that do not say
 * "json", so an instruction comes with it when none does.
 */
export function chatResponseFormat(
  request: ChatRequest,
  support: StructuredOutputSupport = 'native',
): ResponseFormatPlan<ChatResponseFormatParam> {
  const format = request.responseFormat;
  if (format === undefined) return { param: undefined, instruction: undefined };
  if (format.type === 'text') return { param: { type: 'text' }, instruction: undefined };
  const sent = sentFormat(format, support);
  if (sent === undefined) return { param: undefined, instruction: jsonInstruction(format) };
  if (sent.type === 'json_schema') return { param: toChatJsonSchema(sent), instruction: undefined };
  // JSON mode: the schema (when the service cannot take it) goes in the instruction.
  const needsInstruction = format.type === 'json_schema' || !mentionsJson(request.messages);
  return {
    param: { type: 'json_object' },
    instruction: needsInstruction ? jsonInstruction(format) : undefined,
  };
}

/** Plans `text.format` for the Responses API (OpenAI's own: every format is native). */
export function responsesTextFormat(request: ChatRequest): ResponseFormatPlan<TextFormatParam> {
  const format = request.responseFormat;
  if (format === undefined) return { param: undefined, instruction: undefined };
  if (format.type === 'text') return { param: { type: 'text' }, instruction: undefined };
  if (format.type === 'json') {
    const instruction = mentionsJson(request.messages) ? undefined : jsonInstruction(format);
    return { param: { type: 'json_object' }, instruction };
  }
  const { name = 'response', schema, strict } = format;
  return {
    param: { type: 'json_schema', name, schema, ...(strict === undefined ? {} : { strict }) },
    instruction: undefined,
  };
}

/** The format the service is sent, by what it supports; undefined for none (instructions only). */
function sentFormat(
  format: Exclude<ChatResponseFormat, { type: 'text' }>,
  support: StructuredOutputSupport,
): Exclude<ChatResponseFormat, { type: 'text' }> | undefined {
  if (support === 'instructions') return undefined;
  if (support === 'json_object') return { type: 'json' };
  if (support === 'json_schema' && format.type === 'json')
    return { type: 'json_schema', schema: { type: 'object' } };
  return format;
}

function toChatJsonSchema(
  format: Extract<ChatResponseFormat, { type: 'json_schema' }>,
): ChatResponseFormatParam {
  const { name = 'response', schema, strict } = format;
  return { type: 'json_schema', json_schema: { name, schema, ...(strict === undefined ? {} : { strict }) } };
}
