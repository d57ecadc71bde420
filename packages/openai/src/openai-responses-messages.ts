import {
  type ChatRequest,
  type ContentPart,
  type Message,
  type Tool,
  toolCallArguments,
} from '@tokenwire/core';
import type {
  FunctionTool,
  ResponseCreateParamsStreaming,
  ResponseInputContent,
  ResponseInputItem,
  ToolChoiceFunction,
  ToolChoiceOptions,
} from 'openai/resources/responses/responses';
import { imageUrl, toolParameters, withProviderOptions } from './openai-chat-messages.js';

/**
 * Maps a normalized request to streaming Responses API parameters: messages become `input`
 * items (assistant tool calls become `function_call` items, tool results `function_call_output`
 * items), tools become function tools (`strict` defaults to false, where the API defaults to
 * true), `responseFormat` becomes `text.format`, `reasoning.effort` and `reasoning.includeThoughts`
 * (`summary: 'auto'`) become `reasoning`, `maxTokens` becomes `max_output_tokens`. The Responses
 * API has no `stop` or `seed`: `checkOpenAIRequest` refuses them first. `providerOptions.openai`, then
 * `providerOptions[provider]`, are merged over the result unchanged. Assistant reasoning parts are
 * not sent (the stream yields no reasoning item ids to send back); a tool result's `isError` has no
 * field, its content is sent as is.
 */
export function toOpenAIResponsesParams(
  request: ChatRequest,
  provider = 'openai',
): ResponseCreateParamsStreaming {
  const params: ResponseCreateParamsStreaming = {
    model: request.model,
    input: request.messages.flatMap(toInputItems),
    stream: true,
  };
  if (request.tools !== undefined && request.tools.length > 0)
    params.tools = request.tools.map(toFunctionTool);
  if (request.toolChoice !== undefined) params.tool_choice = toToolChoice(request.toolChoice);
  if (request.temperature !== undefined) params.temperature = request.temperature;
  if (request.topP !== undefined) params.top_p = request.topP;
  if (request.maxTokens !== undefined) params.max_output_tokens = request.maxTokens;
  const reasoning = request.reasoning;
  if (reasoning?.effort !== undefined || reasoning?.includeThoughts === true) {
    params.reasoning = {
      ...(reasoning.effort === undefined ? {} : { effort: reasoning.effort }),
      ...(reasoning.includeThoughts === true ? { summary: 'auto' as const } : {}),
    };
  }
  const format = request.responseFormat;
  if (format !== undefined) {
    params.text = {
      format:
        format.type === 'json_schema'
          ? {
              type: 'json_schema',
              name: format.name ?? 'response',
              schema: format.schema,
              ...(format.strict === undefined ? {} : { strict: format.strict }),
            }
          : format.type === 'json'
            ? { type: 'json_object' }
            : { type: 'text' },
    };
  }
  return withProviderOptions(params, request, provider);
}

function toInputItems(message: Message): ResponseInputItem[] {
  switch (message.role) {
    case 'system':
      return [{ role: 'system', content: message.content }];
    case 'user':
      return [{ role: 'user', content: toUserContent(message.content) }];
    case 'assistant': {
      const items: ResponseInputItem[] = [];
      if (message.content) items.push({ role: 'assistant', content: message.content });
      for (const call of message.toolCalls ?? []) {
        items.push({
          type: 'function_call',
          call_id: call.id,
          name: call.name,
          // Arguments that are not a JSON object are sent as {}, as on every provider.
          arguments: toolCallArguments(call),
        });
      }
      return items;
    }
    case 'tool':
      return [{ type: 'function_call_output', call_id: message.toolCallId, output: message.content }];
  }
}

function toUserContent(content: string | ContentPart[]): string | ResponseInputContent[] {
  if (typeof content === 'string') return content;
  return content.map(
    (part): ResponseInputContent =>
      part.type === 'text'
        ? { type: 'input_text', text: part.text }
        : { type: 'input_image', image_url: imageUrl(part), detail: 'auto' },
  );
}

function toFunctionTool(tool: Tool): FunctionTool {
  return {
    type: 'function',
    name: tool.name,
    ...(tool.description === undefined ? {} : { description: tool.description }),
    parameters: toolParameters(tool),
    strict: tool.strict ?? false,
  };
}

function toToolChoice(
  choice: NonNullable<ChatRequest['toolChoice']>,
): ToolChoiceOptions | ToolChoiceFunction {
  return typeof choice === 'string' ? choice : { type: 'function', name: choice.name };
}
