import type { ChatRequest, ContentPart, Message, ToolDefinition } from '@tokenwire/core';
import type {
  FunctionTool,
  ResponseCreateParamsStreaming,
  ResponseInputContent,
  ResponseInputItem,
  Tool as ResponsesTool,
  ToolChoiceFunction,
  ToolChoiceOptions,
} from 'openai/resources/responses/responses';
import { imageUrl, toolParameters, withProviderOptions } from './openai-chat-messages.js';
import { toResponsesFilePart } from './openai-file-parts.js';
import { responsesTextFormat } from './openai-response-format.js';
import { callsById, type ToolItemContext, toCallItem, toOutputItem } from './openai-responses-tool-items.js';
import { declaredToolsOf, type LocalShellItemIds } from './openai-responses-tools.js';

/** Options of `toOpenAIResponsesParams`. */
export interface OpenAIResponsesParamsOptions {
  /** The provider, whose `providerOptions` entry is merged after `providerOptions.openai`. Default `'openai'`. */
  provider?: string;
  /** Item ids of the `local_shell_call`s the adapter streamed, sent back with those calls. Default none. */
  localShellItemIds?: LocalShellItemIds;
}

/**
 * Maps a normalized request to streaming Responses API parameters: messages become `input`
 * items, tools become function tools (`strict` defaults to false, where the API defaults to
 * true), `responseFormat` becomes `text.format` (JSON mode with an instruction first when no message
 * says "json", which the API requires), `reasoning.effort` and `reasoning.includeThoughts`
 * (`summary: 'auto'`) become `reasoning`, `maxTokens` becomes `max_output_tokens`. The Responses
 * API has no `stop` or `seed`: `checkOpenAIRequest` refuses them first. `providerOptions.openai`, then
 * `providerOptions[provider]`, are merged over the result unchanged, except `tools`, which are added
 * after the request's function tools (built-ins such as `{ type: 'apply_patch' }`, custom tools).
 *
 * Assistant tool calls become `function_call` items, calls of declared custom tools
 * `custom_tool_call` items, and calls of the caller-run built-ins (`apply_patch`, `shell`,
 * `local_shell`, unless a function or custom tool of that name is declared) their original items;
 * tool results become the matching output items. Assistant reasoning parts are not sent (the
 * stream yields no reasoning item ids to send back); a tool result's `isError` has no field (but
 * for apply-patch and shell outputs), its content is sent as is.
 */
export function toOpenAIResponsesParams(
  request: ChatRequest,
  options: OpenAIResponsesParamsOptions = {},
): ResponseCreateParamsStreaming {
  const provider = options.provider ?? 'openai';
  const functionTools = (request.tools ?? []).map(toFunctionTool);
  const input: ResponseInputItem[] = [];
  const params: ResponseCreateParamsStreaming = { model: request.model, input, stream: true };
  if (functionTools.length > 0) params.tools = functionTools;
  if (request.toolChoice !== undefined) params.tool_choice = toToolChoice(request.toolChoice);
  if (request.temperature !== undefined) params.temperature = request.temperature;
  if (request.topP !== undefined) params.top_p = request.topP;
  if (request.maxTokens !== undefined) params.max_output_tokens = request.maxTokens;
  const reasoning = request.reasoning;
  if (reasoning?.effort !== undefined || reasoning?.includeThoughts === true)
    params.reasoning = toReasoning(reasoning);
  const format = responsesTextFormat(request);
  if (format.param !== undefined) params.text = { format: format.param };
  if (format.instruction !== undefined) input.push({ role: 'system', content: format.instruction });
  const merged = withProviderOptions(params, request, provider);
  if (merged.tools !== params.tools) merged.tools = joinTools(functionTools, merged.tools);
  // The input items are mapped once the tools are known (a declared tool decides how its calls
  // go back), into the array the params hold, unless `providerOptions` replaced it.
  const context: ToolItemContext = {
    declared: declaredToolsOf(merged.tools),
    callsById: callsById(request.messages),
    localShellItemIds: options.localShellItemIds,
  };
  for (const message of request.messages) input.push(...toInputItems(message, context));
  return merged;
}

/**
 * The request's function tools, then the tools of `providerOptions` when they are a list (else
 * the function tools, or what `providerOptions` gave when there are none: the API answers for it).
 */
function joinTools(
  functionTools: FunctionTool[],
  extra: ResponsesTool[] | undefined,
): ResponsesTool[] | undefined {
  if (!Array.isArray(extra)) return functionTools.length > 0 ? functionTools : extra;
  return [...functionTools, ...extra];
}

function toReasoning(
  reasoning: NonNullable<ChatRequest['reasoning']>,
): NonNullable<ResponseCreateParamsStreaming['reasoning']> {
  return {
    ...(reasoning.effort === undefined ? {} : { effort: reasoning.effort }),
    ...(reasoning.includeThoughts === true ? { summary: 'auto' as const } : {}),
  };
}

function toInputItems(message: Message, context: ToolItemContext): ResponseInputItem[] {
  switch (message.role) {
    case 'system':
      return [{ role: 'system', content: message.content }];
    case 'user':
      return [{ role: 'user', content: toUserContent(message.content) }];
    case 'assistant': {
      const items: ResponseInputItem[] = [];
      if (message.content) items.push({ role: 'assistant', content: message.content });
      for (const call of message.toolCalls ?? []) items.push(toCallItem(call, context));
      return items;
    }
    case 'tool':
      return [toOutputItem(message, context)];
  }
}

function toUserContent(content: string | ContentPart[]): string | ResponseInputContent[] {
  if (typeof content === 'string') return content;
  return content.map((part): ResponseInputContent => {
    if (part.type === 'text') return { type: 'input_text', text: part.text };
    if (part.type === 'file') return toResponsesFilePart(part);
    return { type: 'input_image', image_url: imageUrl(part), detail: 'auto' };
  });
}

function toFunctionTool(tool: ToolDefinition): FunctionTool {
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
