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
import { imageOfUrl, reasoningEffortOf, stopOf, toolOfFields } from './request-parts.js';

// OpenAI Chat Completions request → tokenwire request.
// @see https://platform.openai.com/docs/api-reference/chat/create

const FIELDS = [
  'model',
  'messages',
  'stream',
  'stream_options',
  'max_tokens',
  'max_completion_tokens',
  'temperature',
  'top_p',
  'stop',
  'seed',
  'tools',
  'tool_choice',
  'parallel_tool_calls',
  'response_format',
  'reasoning_effort',
  // Accepted with their neutral value only: anything else would be dropped on the way.
  'n',
  'logprobs',
  'top_logprobs',
  'frequency_penalty',
  'presence_penalty',
  'logit_bias',
  'modalities',
  // Accepted and not forwarded: they change nothing in the answer.
  'user',
  'metadata',
  'store',
  'service_tier',
  'prompt_cache_key',
  'safety_identifier',
] as const;

const REFUSED = ['audio', 'prediction', 'web_search_options', 'functions', 'function_call'];

/** Decodes a Chat Completions request body; throws a `RequestRefusal` naming the field. */
export function decodeChatRequest(body: unknown): DecodedRequest {
  const fields = objectAt(body, 'the request body');
  for (const key of REFUSED) if (isSet(fields[key])) unsupported(key, `'${key}'`);
  onlyFields(fields, '', FIELDS);
  neutralOnly(fields, 'n', [1]);
  neutralOnly(fields, 'logprobs', [false]);
  neutralOnly(fields, 'top_logprobs', [0]);
  neutralOnly(fields, 'frequency_penalty', [0]);
  neutralOnly(fields, 'presence_penalty', [0]);
  neutralOnly(fields, 'logit_bias', ['{}']);
  if (isSet(fields.modalities) && JSON.stringify(fields.modalities) !== '["text"]')
    unsupported('modalities', "an output other than ['text']");
  const request: Omit<StreamRequest, 'model'> = {
    messages: arrayAt(fields.messages, 'messages').map((message, index) => messageOf(message, index)),
  };
  const maxTokens = isSet(fields.max_completion_tokens) ? 'max_completion_tokens' : 'max_tokens';
  if (isSet(fields[maxTokens])) request.maxTokens = numberAt(fields[maxTokens], maxTokens, true);
  if (isSet(fields.temperature)) request.temperature = numberAt(fields.temperature, 'temperature');
  if (isSet(fields.top_p)) request.topP = numberAt(fields.top_p, 'top_p');
  if (isSet(fields.seed)) request.seed = numberAt(fields.seed, 'seed', true);
  if (isSet(fields.stop)) request.stop = stopOf(fields.stop, 'stop');
  if (isSet(fields.tools)) request.tools = arrayAt(fields.tools, 'tools').map(toolOf);
  if (isSet(fields.tool_choice)) request.toolChoice = toolChoiceOf(fields.tool_choice);
  if (isSet(fields.parallel_tool_calls)) booleanAt(fields.parallel_tool_calls, 'parallel_tool_calls');
  if (isSet(fields.response_format)) {
    const format = responseFormatOf(fields.response_format);
    if (format !== undefined) request.responseFormat = format;
  }
  if (isSet(fields.reasoning_effort)) {
    const effort = reasoningEffortOf(fields.reasoning_effort, 'reasoning_effort');
    if (effort !== undefined) request.reasoning = { effort };
  }
  const stream = isSet(fields.stream) && booleanAt(fields.stream, 'stream');
  let includeUsage = false;
  if (isSet(fields.stream_options)) {
    const options = objectAt(fields.stream_options, 'stream_options');
    onlyFields(options, 'stream_options', ['include_usage', 'include_obfuscation']);
    if (isSet(options.include_usage))
      includeUsage = booleanAt(options.include_usage, 'stream_options.include_usage');
  }
  return { model: nameAt(fields.model, 'model'), request, stream, includeUsage };
}

function messageOf(value: unknown, index: number): Message {
  const param = `messages[${index}]`;
  const message = objectAt(value, param);
  const role = oneOf(message.role, `${param}.role`, ['system', 'developer', 'user', 'assistant', 'tool']);
  const contentParam = `${param}.content`;
  switch (role) {
    case 'system':
    case 'developer':
      onlyFields(message, param, ['role', 'content', 'name']);
      return { role: 'system', content: textOf(message.content, contentParam) };
    case 'user':
      onlyFields(message, param, ['role', 'content', 'name']);
      return { role: 'user', content: userContentOf(message.content, contentParam) };
    case 'tool':
      onlyFields(message, param, ['role', 'content', 'tool_call_id']);
      return {
        role: 'tool',
        toolCallId: nameAt(message.tool_call_id, `${param}.tool_call_id`),
        content: textOf(message.content, contentParam),
      };
    case 'assistant':
      return assistantOf(message, param);
  }
}

function userContentOf(value: unknown, param: string): string | ContentPart[] {
  if (typeof value === 'string') return value;
  return arrayAt(value, param).map((item, index) => {
    const partParam = pathOf(param, index);
    const part = objectAt(item, partParam);
    const type = oneOf(part.type, `${partParam}.type`, ['text', 'image_url', 'input_audio', 'file']);
    if (type === 'text') return { type: 'text', text: stringAt(part.text, `${partParam}.text`) };
    if (type !== 'image_url') unsupported(`${partParam}.type`, `a '${type}' part`);
    const image = objectAt(part.image_url, `${partParam}.image_url`);
    return imageOfUrl(stringAt(image.url, `${partParam}.image_url.url`));
  });
}

function assistantOf(message: Fields, param: string): Message {
  onlyFields(message, param, ['role', 'content', 'name', 'tool_calls', 'refusal', 'reasoning_content']);
  const assistant: Extract<Message, { role: 'assistant' }> = { role: 'assistant' };
  if (isSet(message.content))
    assistant.content = textOf(message.content, `${param}.content`, ['text', 'refusal']);
  if (isSet(message.reasoning_content)) {
    assistant.reasoning = [{ text: stringAt(message.reasoning_content, `${param}.reasoning_content`) }];
  }
  if (isSet(message.tool_calls)) {
    assistant.toolCalls = arrayAt(message.tool_calls, `${param}.tool_calls`).map((item, index) => {
      const callParam = `${param}.tool_calls[${index}]`;
      const call = objectAt(item, callParam);
      oneOf(call.type ?? 'function', `${callParam}.type`, ['function']);
      const fn = objectAt(call.function, `${callParam}.function`);
      return {
        id: nameAt(call.id, `${callParam}.id`),
        name: nameAt(fn.name, `${callParam}.function.name`),
        arguments: stringAt(fn.arguments ?? '', `${callParam}.function.arguments`),
      };
    });
  }
  return assistant;
}

function toolOf(value: unknown, index: number): Tool {
  const param = `tools[${index}]`;
  const entry = objectAt(value, param);
  const type = oneOf(entry.type, `${param}.type`, ['function', 'custom']);
  if (type === 'custom') unsupported(`${param}.type`, "a 'custom' tool");
  const fn = objectAt(entry.function, `${param}.function`);
  onlyFields(fn, `${param}.function`, ['name', 'description', 'parameters', 'strict']);
  return toolOfFields(fn, `${param}.function`, 'parameters');
}

function toolChoiceOf(value: unknown): ToolChoice {
  if (typeof value === 'string')
    return oneOf<'auto' | 'none' | 'required'>(value, 'tool_choice', ['auto', 'none', 'required']);
  const choice = objectAt(value, 'tool_choice');
  oneOf(choice.type, 'tool_choice.type', ['function']);
  return {
    name: nameAt(objectAt(choice.function, 'tool_choice.function').name, 'tool_choice.function.name'),
  };
}

function responseFormatOf(value: unknown): ResponseFormat | undefined {
  const format = objectAt(value, 'response_format');
  const type = oneOf(format.type, 'response_format.type', ['text', 'json_object', 'json_schema']);
  if (type === 'text') return undefined;
  if (type === 'json_object') return { type: 'json' };
  const schema = objectAt(format.json_schema, 'response_format.json_schema');
  onlyFields(schema, 'response_format.json_schema', ['name', 'description', 'schema', 'strict']);
  const answer: ResponseFormat = {
    type: 'json_schema',
    schema: isSet(schema.schema) ? objectAt(schema.schema, 'response_format.json_schema.schema') : {},
    name: nameAt(schema.name, 'response_format.json_schema.name'),
  };
  if (isSet(schema.strict)) answer.strict = booleanAt(schema.strict, 'response_format.json_schema.strict');
  return answer;
}
