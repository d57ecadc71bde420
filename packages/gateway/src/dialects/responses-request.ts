import type { ContentPart, Message, ResponseFormat, StreamRequest, Tool, ToolChoice } from '@tokenwire/core';
import type { DecodedRequest } from './dialect.js';
import {
  arrayAt,
  booleanAt,
  type Fields,
  isSet,
  nameAt,
  neutralOnly,
  numberAt,
  objectAt,
  oneOf,
  onlyFields,
  pathOf,
  stringAt,
  textOf,
  unsupported,
} from './fields.js';
import { imageOfUrl, reasoningEffortOf, reasoningOfEncrypted, toolOfFields } from './request-parts.js';

// OpenAI Responses (Open Responses) request → tokenwire request. The gateway keeps no state:
// every request carries its whole conversation (`store` is accepted, `previous_response_id` is not).
// @see https://platform.openai.com/docs/api-reference/responses/create

const FIELDS = [
  'model',
  'input',
  'instructions',
  'stream',
  'max_output_tokens',
  'temperature',
  'top_p',
  'tools',
  'tool_choice',
  'parallel_tool_calls',
  'text',
  'reasoning',
  'top_logprobs',
  // Accepted and not forwarded: they change nothing in the answer.
  'store',
  'metadata',
  'user',
  'include',
  'prompt_cache_key',
  'safety_identifier',
  'service_tier',
  'truncation',
  'stream_options',
] as const;

const REFUSED = ['previous_response_id', 'conversation', 'background', 'prompt', 'max_tool_calls'];

type Assistant = Extract<Message, { role: 'assistant' }>;

/** Decodes a Responses request body; throws a `RequestRefusal` naming the field. */
export function decodeResponsesRequest(body: unknown): DecodedRequest {
  const fields = objectAt(body, 'the request body');
  for (const key of REFUSED) {
    if (isSet(fields[key])) unsupported(key, `'${key}' (the gateway keeps no state: send the whole input)`);
  }
  onlyFields(fields, '', FIELDS);
  neutralOnly(fields, 'top_logprobs', [0]);
  if (isSet(fields.truncation)) oneOf(fields.truncation, 'truncation', ['disabled']);
  const messages: Message[] = [];
  if (isSet(fields.instructions))
    messages.push({ role: 'system', content: stringAt(fields.instructions, 'instructions') });
  if (typeof fields.input === 'string') messages.push({ role: 'user', content: fields.input });
  else appendItems(arrayAt(fields.input, 'input'), messages);
  const request: Omit<StreamRequest, 'model'> = { messages };
  if (isSet(fields.max_output_tokens))
    request.maxTokens = numberAt(fields.max_output_tokens, 'max_output_tokens', true);
  if (isSet(fields.temperature)) request.temperature = numberAt(fields.temperature, 'temperature');
  if (isSet(fields.top_p)) request.topP = numberAt(fields.top_p, 'top_p');
  if (isSet(fields.tools)) request.tools = arrayAt(fields.tools, 'tools').map(toolOf);
  if (isSet(fields.tool_choice)) request.toolChoice = toolChoiceOf(fields.tool_choice);
  if (isSet(fields.parallel_tool_calls)) booleanAt(fields.parallel_tool_calls, 'parallel_tool_calls');
  if (isSet(fields.text)) {
    const format = textFormatOf(fields.text);
    if (format !== undefined) request.responseFormat = format;
  }
  if (isSet(fields.reasoning)) {
    const reasoning = reasoningOf(fields.reasoning);
    if (reasoning !== undefined) request.reasoning = reasoning;
  }
  const stream = isSet(fields.stream) && booleanAt(fields.stream, 'stream');
  return { model: nameAt(fields.model, 'model'), request, stream };
}

/** Input items → messages: reasoning, assistant text and function calls in a row make one assistant turn. */
function appendItems(items: unknown[], messages: Message[]): void {
  let assistant: Assistant | undefined;
  const turn = (): Assistant => {
    if (assistant === undefined) {
      assistant = { role: 'assistant' };
      messages.push(assistant);
    }
    return assistant;
  };
  items.forEach((value, index) => {
    const param = `input[${index}]`;
    const item = objectAt(value, param);
    const type = isSet(item.type) ? stringAt(item.type, `${param}.type`) : 'message';
    if (type === 'message' && item.role === 'assistant') {
      const text = textOf(item.content, `${param}.content`, ['output_text', 'input_text', 'refusal']);
      const current = turn();
      current.content = (current.content ?? '') + text;
    } else if (type === 'function_call') {
      const current = turn();
      current.toolCalls = [...(current.toolCalls ?? []), functionCallOf(item, param)];
    } else if (type === 'reasoning') {
      const current = turn();
      current.reasoning = [...(current.reasoning ?? []), reasoningItemOf(item, param)];
    } else {
      assistant = undefined;
      messages.push(otherItemOf(item, type, param));
    }
  });
}

function otherItemOf(item: Fields, type: string, param: string): Message {
  if (type === 'function_call_output') {
    const output = item.output;
    return {
      role: 'tool',
      toolCallId: nameAt(item.call_id, `${param}.call_id`),
      content: textOf(output, `${param}.output`, ['input_text', 'output_text']),
    };
  }
  if (type !== 'message') unsupported(`${param}.type`, `an input item of type '${type}'`);
  const role = oneOf(item.role, `${param}.role`, ['user', 'system', 'developer', 'assistant']);
  if (role !== 'user')
    return { role: 'system', content: textOf(item.content, `${param}.content`, ['input_text']) };
  return { role: 'user', content: userContentOf(item.content, `${param}.content`) };
}

function userContentOf(value: unknown, param: string): string | ContentPart[] {
  if (typeof value === 'string') return value;
  return arrayAt(value, param).map((entry, index) => {
    const partParam = pathOf(param, index);
    const part = objectAt(entry, partParam);
    const type = oneOf(part.type, `${partParam}.type`, [
      'input_text',
      'input_image',
      'input_file',
      'input_audio',
    ]);
    if (type === 'input_text') return { type: 'text', text: stringAt(part.text, `${partParam}.text`) };
    if (type !== 'input_image' || !isSet(part.image_url)) {
      unsupported(`${partParam}`, type === 'input_image' ? 'an image by file_id' : `an '${type}' part`);
    }
    return imageOfUrl(stringAt(part.image_url, `${partParam}.image_url`));
  });
}

function functionCallOf(item: Fields, param: string) {
  return {
    id: nameAt(item.call_id, `${param}.call_id`),
    name: nameAt(item.name, `${param}.name`),
    arguments: stringAt(item.arguments ?? '', `${param}.arguments`),
  };
}

function reasoningItemOf(item: Fields, param: string) {
  const content = isSet(item.content) ? item.content : (item.summary ?? []);
  const contentParam = isSet(item.content) ? `${param}.content` : `${param}.summary`;
  const text = textOf(content, contentParam, ['reasoning_text', 'summary_text']);
  const encrypted = isSet(item.encrypted_content)
    ? stringAt(item.encrypted_content, `${param}.encrypted_content`)
    : undefined;
  return reasoningOfEncrypted(text, encrypted);
}

function toolOf(value: unknown, index: number): Tool {
  const param = `tools[${index}]`;
  const entry = objectAt(value, param);
  const type = stringAt(entry.type, `${param}.type`);
  if (type !== 'function') unsupported(`${param}.type`, `the '${type}' tool`);
  onlyFields(entry, param, ['type', 'name', 'description', 'parameters', 'strict']);
  return toolOfFields(entry, param, 'parameters');
}

function toolChoiceOf(value: unknown): ToolChoice {
  if (typeof value === 'string')
    return oneOf<'auto' | 'none' | 'required'>(value, 'tool_choice', ['auto', 'none', 'required']);
  const choice = objectAt(value, 'tool_choice');
  oneOf(choice.type, 'tool_choice.type', ['function']);
  return { name: nameAt(choice.name, 'tool_choice.name') };
}

function textFormatOf(value: unknown): ResponseFormat | undefined {
  const text = objectAt(value, 'text');
  onlyFields(text, 'text', ['format', 'verbosity']);
  neutralOnly(text, 'verbosity', ['medium']);
  if (!isSet(text.format)) return undefined;
  const format = objectAt(text.format, 'text.format');
  const type = oneOf(format.type, 'text.format.type', ['text', 'json_object', 'json_schema']);
  if (type === 'text') return undefined;
  if (type === 'json_object') return { type: 'json' };
  onlyFields(format, 'text.format', ['type', 'name', 'description', 'schema', 'strict']);
  const answer: ResponseFormat = {
    type: 'json_schema',
    schema: objectAt(format.schema, 'text.format.schema'),
    name: nameAt(format.name, 'text.format.name'),
  };
  if (isSet(format.strict)) answer.strict = booleanAt(format.strict, 'text.format.strict');
  return answer;
}

function reasoningOf(value: unknown): StreamRequest['reasoning'] {
  const reasoning = objectAt(value, 'reasoning');
  onlyFields(reasoning, 'reasoning', ['effort', 'summary', 'generate_summary']);
  const answer: NonNullable<StreamRequest['reasoning']> = {};
  if (isSet(reasoning.effort)) {
    const effort = reasoningEffortOf(reasoning.effort, 'reasoning.effort');
    if (effort === undefined) return undefined;
    answer.effort = effort;
  }
  const summary = reasoning.summary ?? reasoning.generate_summary;
  if (isSet(summary)) {
    const param = isSet(reasoning.summary) ? 'reasoning.summary' : 'reasoning.generate_summary';
    answer.includeThoughts = oneOf(summary, param, ['auto', 'concise', 'detailed', 'none']) !== 'none';
  }
  return Object.keys(answer).length === 0 ? undefined : answer;
}
