import type { ContentPart, Message, StreamRequest, Tool, ToolCall, ToolChoice } from '@tokenwire/core';
import type { DecodedRequest } from './dialect.js';
import {
  arrayAt,
  booleanAt,
  type Fields,
  isSet,
  nameAt,
  numberAt,
  objectAt,
  oneOf,
  onlyFields,
  pathOf,
  stringAt,
  textOf,
  unsupported,
} from './fields.js';
import { stopOf, toolOfFields } from './request-parts.js';

// Anthropic Messages request → tokenwire request.
// @see https://docs.claude.com/en/api/messages

const FIELDS = [
  'model',
  'messages',
  'system',
  'max_tokens',
  'stream',
  'temperature',
  'top_p',
  'top_k',
  'stop_sequences',
  'tools',
  'tool_choice',
  'thinking',
  'output_config',
  // Accepted and not forwarded: they change nothing in the answer.
  'metadata',
  'service_tier',
] as const;

type Assistant = Extract<Message, { role: 'assistant' }>;

/** Decodes a Messages request body (also `count_tokens`'); throws a `RequestRefusal` naming the field. */
export function decodeMessagesRequest(body: unknown): DecodedRequest {
  const fields = objectAt(body, 'the request body');
  onlyFields(fields, '', FIELDS);
  if (isSet(fields.top_k)) unsupported('top_k', 'top_k sampling');
  const messages: Message[] = [];
  if (isSet(fields.system)) messages.push({ role: 'system', content: textOf(fields.system, 'system') });
  arrayAt(fields.messages, 'messages').forEach((message, index) => {
    messagesOf(message, `messages[${index}]`, messages);
  });
  const request: Omit<StreamRequest, 'model'> = { messages };
  if (isSet(fields.max_tokens)) request.maxTokens = numberAt(fields.max_tokens, 'max_tokens', true);
  if (isSet(fields.temperature)) request.temperature = numberAt(fields.temperature, 'temperature');
  if (isSet(fields.top_p)) request.topP = numberAt(fields.top_p, 'top_p');
  if (isSet(fields.stop_sequences)) request.stop = stopOf(fields.stop_sequences, 'stop_sequences');
  if (isSet(fields.tools)) request.tools = arrayAt(fields.tools, 'tools').map(toolOf);
  if (isSet(fields.tool_choice)) {
    const choice = toolChoiceOf(fields.tool_choice);
    if (choice !== undefined) request.toolChoice = choice;
  }
  if (isSet(fields.thinking)) {
    const reasoning = thinkingOf(fields.thinking);
    if (reasoning !== undefined) request.reasoning = reasoning;
  }
  if (isSet(fields.output_config)) applyOutputConfig(fields.output_config, request);
  const stream = isSet(fields.stream) && booleanAt(fields.stream, 'stream');
  return { model: nameAt(fields.model, 'model'), request, stream };
}

/** One Messages message, which may become several tokenwire messages (tool results come apart). */
function messagesOf(value: unknown, param: string, out: Message[]): void {
  const message = objectAt(value, param);
  onlyFields(message, param, ['role', 'content']);
  const role = oneOf(message.role, `${param}.role`, ['user', 'assistant']);
  const contentParam = `${param}.content`;
  if (typeof message.content === 'string') {
    out.push(role === 'user' ? { role, content: message.content } : { role, content: message.content });
    return;
  }
  const blocks = arrayAt(message.content, contentParam);
  if (role === 'assistant') {
    out.push(assistantOf(blocks, contentParam));
    return;
  }
  const parts: ContentPart[] = [];
  blocks.forEach((item, index) => {
    const blockParam = pathOf(contentParam, index);
    const block = objectAt(item, blockParam);
    const type = oneOf(block.type, `${blockParam}.type`, ['text', 'image', 'tool_result', 'document']);
    if (type === 'text') parts.push({ type: 'text', text: stringAt(block.text, `${blockParam}.text`) });
    else if (type === 'image') parts.push(imageOf(block, blockParam));
    else if (type === 'document') unsupported(`${blockParam}.type`, "a 'document' block");
    else out.push(toolResultOf(block, blockParam));
  });
  if (parts.length > 0) out.push({ role: 'user', content: parts });
}

function imageOf(block: Fields, param: string): ContentPart {
  const source = objectAt(block.source, `${param}.source`);
  const type = oneOf(source.type, `${param}.source.type`, ['base64', 'url', 'file']);
  if (type === 'file') unsupported(`${param}.source.type`, "an image from the Files API ('file')");
  if (type === 'url') return { type: 'image', url: stringAt(source.url, `${param}.source.url`) };
  return {
    type: 'image',
    data: stringAt(source.data, `${param}.source.data`),
    mediaType: stringAt(source.media_type, `${param}.source.media_type`),
  };
}

function toolResultOf(block: Fields, param: string): Message {
  const message: Message = {
    role: 'tool',
    toolCallId: nameAt(block.tool_use_id, `${param}.tool_use_id`),
    content: isSet(block.content) ? textOf(block.content, `${param}.content`) : '',
  };
  if (isSet(block.is_error)) message.isError = booleanAt(block.is_error, `${param}.is_error`);
  return message;
}

function assistantOf(blocks: unknown[], param: string): Assistant {
  const assistant: Assistant = { role: 'assistant' };
  let content = '';
  const toolCalls: ToolCall[] = [];
  const reasoning: NonNullable<Assistant['reasoning']> = [];
  blocks.forEach((item, index) => {
    const blockParam = pathOf(param, index);
    const block = objectAt(item, blockParam);
    const type = oneOf(block.type, `${blockParam}.type`, [
      'text',
      'tool_use',
      'thinking',
      'redacted_thinking',
    ]);
    if (type === 'text') content += stringAt(block.text, `${blockParam}.text`);
    else if (type === 'tool_use') {
      const input = isSet(block.input) ? objectAt(block.input, `${blockParam}.input`) : {};
      toolCalls.push({
        id: nameAt(block.id, `${blockParam}.id`),
        name: nameAt(block.name, `${blockParam}.name`),
        arguments: JSON.stringify(input),
        input,
      });
    } else if (type === 'thinking') {
      const part: { text: string; signature?: string } = {
        text: stringAt(block.thinking, `${blockParam}.thinking`),
      };
      if (isSet(block.signature)) part.signature = stringAt(block.signature, `${blockParam}.signature`);
      reasoning.push(part);
    } else reasoning.push({ text: '', redactedData: stringAt(block.data, `${blockParam}.data`) });
  });
  if (content !== '') assistant.content = content;
  if (toolCalls.length > 0) assistant.toolCalls = toolCalls;
  if (reasoning.length > 0) assistant.reasoning = reasoning;
  return assistant;
}

function toolOf(value: unknown, index: number): Tool {
  const param = `tools[${index}]`;
  const entry = objectAt(value, param);
  // Server tools (web search, code execution, …) are typed `web_search_20250305` and the like.
  if (isSet(entry.type) && entry.type !== 'custom')
    unsupported(`${param}.type`, `the server tool '${String(entry.type)}'`);
  onlyFields(entry, param, ['type', 'name', 'description', 'input_schema', 'cache_control', 'strict']);
  return toolOfFields(entry, param, 'input_schema');
}

function toolChoiceOf(value: unknown): ToolChoice | undefined {
  const choice = objectAt(value, 'tool_choice');
  onlyFields(choice, 'tool_choice', ['type', 'name', 'disable_parallel_tool_use']);
  const type = oneOf(choice.type, 'tool_choice.type', ['auto', 'any', 'tool', 'none']);
  if (type === 'any') return 'required';
  if (type === 'tool') return { name: nameAt(choice.name, 'tool_choice.name') };
  return type;
}

function thinkingOf(value: unknown): StreamRequest['reasoning'] {
  const thinking = objectAt(value, 'thinking');
  onlyFields(thinking, 'thinking', ['type', 'budget_tokens', 'display']);
  const type = oneOf(thinking.type, 'thinking.type', ['enabled', 'disabled', 'adaptive']);
  // Adaptive thinking lets the model choose its budget: tokenwire's default, no budget set.
  if (type !== 'enabled') return undefined;
  const reasoning: NonNullable<StreamRequest['reasoning']> = {
    budgetTokens: numberAt(thinking.budget_tokens, 'thinking.budget_tokens', true),
  };
  if (isSet(thinking.display))
    reasoning.includeThoughts =
      oneOf(thinking.display, 'thinking.display', ['summarized', 'omitted']) === 'summarized';
  return reasoning;
}

/** `output_config`: the answer's JSON Schema and the reasoning effort. */
function applyOutputConfig(value: unknown, request: Omit<StreamRequest, 'model'>): void {
  const config = objectAt(value, 'output_config');
  onlyFields(config, 'output_config', ['format', 'effort']);
  if (isSet(config.effort)) {
    const effort = oneOf(config.effort, 'output_config.effort', ['low', 'medium', 'high', 'xhigh', 'max']);
    request.reasoning = {
      ...request.reasoning,
      effort: effort === 'xhigh' || effort === 'max' ? 'high' : effort,
    };
  }
  if (!isSet(config.format)) return;
  const format = objectAt(config.format, 'output_config.format');
  onlyFields(format, 'output_config.format', ['type', 'schema']);
  oneOf(format.type, 'output_config.format.type', ['json_schema']);
  request.responseFormat = {
    type: 'json_schema',
    schema: objectAt(format.schema, 'output_config.format.schema'),
  };
}
