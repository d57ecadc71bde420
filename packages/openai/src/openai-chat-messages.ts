import type { ChatRequest, ContentPart, Message, ToolDefinition } from '@tokenwire/core';
import { imageSourceOf, toolCallArguments, toolResultText } from '@tokenwire/core/adapter';
import type {
  ChatCompletionContentPart,
  ChatCompletionCreateParamsStreaming,
  ChatCompletionFunctionTool,
  ChatCompletionMessageParam,
  ChatCompletionToolChoiceOption,
} from 'openai/resources/chat/completions';
import { toChatFilePart } from './openai-file-parts.js';
import { chatResponseFormat, type StructuredOutputSupport } from './openai-response-format.js';

/** How a Chat Completions request is shaped for one service (see OpenAICompatibleQuirks). */
export interface OpenAIChatParamsOptions {
  /** Provider name: its `providerOptions` entry is merged after `providerOptions.openai`. Default `'openai'`. */
  provider?: string;
  /** Ask for the usage chunk with `stream_options.include_usage`. Default true. */
  streamOptions?: boolean;
  /** The field that carries `maxTokens`. Default `'max_completion_tokens'`. */
  maxTokensField?: 'max_tokens' | 'max_completion_tokens';
  /** How the service takes `responseFormat`. Default `'native'`. */
  structuredOutput?: StructuredOutputSupport;
}

/**
 * Maps a normalized request to streaming Chat Completions parameters: messages (system, user
 * text and images, assistant text and tool calls, tool results), tools with their JSON Schema,
 * `toolChoice`, `responseFormat` (by the service's support, with a JSON instruction first where
 * JSON mode needs one or a schema cannot be sent), `reasoning.effort`, `maxTokens`, `temperature`, `topP`,
 * `stop` and `seed`. `providerOptions.openai`, then `providerOptions[provider]`, are merged over
 * the result unchanged (`stream` always stays true). Chat Completions has no field for assistant
 * reasoning parts (not sent), a tool result's `isError` (its content is sent as is) or
 * `reasoning.includeThoughts` (reasoning a service streams is read either way); `checkOpenAIRequest`
 * refuses what cannot be sent at all.
 */
export function toOpenAIChatParams(
  request: ChatRequest,
  options: OpenAIChatParamsOptions = {},
): ChatCompletionCreateParamsStreaming {
  const messages = request.messages.map(toChatMessage);
  const params: ChatCompletionCreateParamsStreaming = { model: request.model, messages, stream: true };
  if (options.streamOptions !== false) params.stream_options = { include_usage: true };
  if (request.tools !== undefined && request.tools.length > 0) params.tools = request.tools.map(toChatTool);
  if (request.toolChoice !== undefined) params.tool_choice = toChatToolChoice(request.toolChoice);
  if (request.temperature !== undefined) params.temperature = request.temperature;
  if (request.topP !== undefined) params.top_p = request.topP;
  if (request.maxTokens !== undefined) {
    if (options.maxTokensField === 'max_tokens') params.max_tokens = request.maxTokens;
    else params.max_completion_tokens = request.maxTokens;
  }
  if (request.stop !== undefined && request.stop.length > 0) params.stop = request.stop;
  if (request.seed !== undefined) params.seed = request.seed;
  if (request.reasoning?.effort !== undefined) params.reasoning_effort = request.reasoning.effort;
  const format = chatResponseFormat(request, options.structuredOutput);
  if (format.param !== undefined) params.response_format = format.param;
  if (format.instruction !== undefined) messages.unshift({ role: 'system', content: format.instruction });
  return withProviderOptions(params, request, options.provider ?? 'openai');
}

/** Merges `providerOptions.openai` and then `providerOptions[provider]` over the parameters. */
export function withProviderOptions<Params extends { stream: true }>(
  params: Params,
  request: ChatRequest,
  provider: string,
): Params {
  const shared = request.providerOptions?.openai;
  const own = provider === 'openai' ? undefined : request.providerOptions?.[provider];
  if (shared === undefined && own === undefined) return params;
  return { ...params, ...shared, ...own, stream: true };
}

function toChatMessage(message: Message): ChatCompletionMessageParam {
  switch (message.role) {
    case 'system':
      return { role: 'system', content: message.content };
    case 'user':
      return { role: 'user', content: toUserContent(message.content) };
    case 'assistant': {
      const toolCalls = message.toolCalls ?? [];
      const assistant: ChatCompletionMessageParam = { role: 'assistant', content: message.content ?? null };
      if (toolCalls.length > 0) {
        assistant.tool_calls = toolCalls.map((call) => ({
          id: call.id,
          type: 'function',
          // Arguments that are not a JSON object are sent as {}, as on every provider.
          function: { name: call.name, arguments: toolCallArguments(call) },
        }));
      } else if (assistant.content === null) {
        assistant.content = '';
      }
      return assistant;
    }
    case 'tool':
      // Chat tool messages are text only: checkOpenAIRequest refused other parts.
      return { role: 'tool', tool_call_id: message.toolCallId, content: toolResultText(message.content) };
  }
}

// Text-only content is sent as one string: several compatible services (DeepSeek, older vLLM
// chat templates) accept only string content.
function toUserContent(content: string | ContentPart[]): string | ChatCompletionContentPart[] {
  if (typeof content === 'string') return content;
  if (content.every((part) => part.type === 'text')) {
    return content.map((part) => (part as { text: string }).text).join('');
  }
  return content.map((part): ChatCompletionContentPart => {
    if (part.type === 'text') return { type: 'text', text: part.text };
    if (part.type === 'file') return toChatFilePart(part);
    return { type: 'image_url', image_url: { url: imageUrl(part) } };
  });
}

/** An image part as OpenAI takes it: its URL, or its base64 bytes as a `data:` URL again. */
export function imageUrl(part: Extract<ContentPart, { type: 'image' }>): string {
  const source = imageSourceOf(part);
  return source.kind === 'url' ? source.url : `data:${source.mediaType};base64,${source.data}`;
}

/** A tool's JSON Schema, defaulting to an object with no properties. */
export function toolParameters(tool: ToolDefinition): Record<string, unknown> {
  return tool.parameters ?? { type: 'object', properties: {} };
}

function toChatTool(tool: ToolDefinition): ChatCompletionFunctionTool {
  return {
    type: 'function',
    function: {
      name: tool.name,
      ...(tool.description === undefined ? {} : { description: tool.description }),
      parameters: toolParameters(tool),
      ...(tool.strict === undefined ? {} : { strict: tool.strict }),
    },
  };
}

function toChatToolChoice(choice: NonNullable<ChatRequest['toolChoice']>): ChatCompletionToolChoiceOption {
  return typeof choice === 'string' ? choice : { type: 'function', function: { name: choice.name } };
}
