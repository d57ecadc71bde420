import type {
  Tool as AnthropicTool,
  ToolChoice as AnthropicToolChoice,
  MessageCreateParamsStreaming,
  OutputConfig,
  ThinkingConfigParam,
} from '@anthropic-ai/sdk/resources/messages';
import type { ChatRequest } from '@tokenwire/core';
import {
  type AnthropicStructuredOutput,
  jsonAnswerMethodOf,
  jsonAnswerTool,
  jsonAnswerToolChoice,
  jsonInstructionBlock,
} from './anthropic-json-answer.js';
import {
  type AnthropicCacheMarker,
  markLast,
  toAnthropicConversation,
  toMessageParam,
} from './anthropic-turns.js';

/** `max_tokens` sent when the request sets no `maxTokens` (the Messages API requires one). */
export const DEFAULT_MAX_TOKENS = 4096;

/**
 * What `providerOptions.anthropic` accepts. `cacheControl` places prompt-caching breakpoints
 * (`cache_control: { type: 'ephemeral' }`) on the last system block, the last tool, and/or the last
 * block of the last message. Every other key is a Messages API body parameter sent unchanged and
 * unchecked, and wins over the mapped ones (`metadata`, `service_tier`, `container`,
 * `thinking: { type: 'adaptive' }`, `cache_control` for automatic caching, …).
 *
 * @see https://docs.anthropic.com/en/docs/build-with-claude/prompt-caching
 */
export interface AnthropicProviderOptions {
  cacheControl?: {
    system?: AnthropicCacheMarker;
    tools?: AnthropicCacheMarker;
    lastMessage?: AnthropicCacheMarker;
  };
  [parameter: string]: unknown;
}

/** Options of `toAnthropicParams`. */
export interface AnthropicParamsOptions {
  /** `max_tokens` when the request sets none. Default `DEFAULT_MAX_TOKENS` (4096), plus the thinking budget. */
  defaultMaxTokens?: number;
  /** How a `json_schema` answer is asked for (see `jsonAnswerMethodOf`). Default `'native'`. */
  structuredOutput?: AnthropicStructuredOutput;
}

/**
 * The streaming body sent to `messages.create`: the SDK's params plus `temperature` and `top_p`,
 * which the SDK 1.x types leave out but the Messages API documents (for API version 2023-06-01;
 * see the README). The SDK sends the body as is.
 */
export type AnthropicRequestBody = MessageCreateParamsStreaming & { temperature?: number; top_p?: number };

/**
 * Maps a normalized, validated `ChatRequest` (that passed `checkAnthropicRequest`) to
 * `messages.create` streaming parameters: the conversation (see `toAnthropicConversation`), tools
 * and tool choice, `maxTokens`, `stop`, `temperature`, `topP`, `reasoning` (`budgetTokens` →
 * `thinking`, `includeThoughts` → `thinking.display`, `effort` → `output_config.effort`) and a
 * JSON response format: `output_config.format`, the forced `json` tool, or a JSON instruction after
 * the caller's system text (see `jsonAnswerMethodOf`). `providerOptions.anthropic` keys win.
 */
export function toAnthropicParams(
  request: ChatRequest,
  options: AnthropicParamsOptions = {},
): AnthropicRequestBody {
  const { cacheControl, ...passthrough } = (request.providerOptions?.anthropic ??
    {}) as AnthropicProviderOptions;
  const { system, turns } = toAnthropicConversation(request.messages);
  if (cacheControl?.lastMessage) markLast(turns.at(-1)?.content ?? [], cacheControl.lastMessage);

  const params: AnthropicRequestBody = {
    model: request.model,
    max_tokens:
      request.maxTokens ?? (options.defaultMaxTokens ?? DEFAULT_MAX_TOKENS) + thinkingBudgetOf(request),
    messages: turns.map(toMessageParam),
    stream: true,
  };
  const jsonAnswer = jsonAnswerMethodOf(request, options.structuredOutput);
  if (cacheControl?.system) markLast(system, cacheControl.system);
  // The instruction and the json tool come after the caller's breakpoints, so the cached prefix
  // is the one the same request without a JSON answer has.
  if (jsonAnswer === 'instructions') system.push(jsonInstructionBlock(request.responseFormat));
  if (system.length > 0) {
    const only = system.length === 1 ? system[0] : undefined;
    params.system = only !== undefined && only.cache_control === undefined ? only.text : system;
  }
  const tools = toolsOf(request.tools ?? []);
  const hasTools = tools.length > 0;
  if (cacheControl?.tools) markLast(tools, cacheControl.tools);
  if (jsonAnswer === 'tool') {
    tools.push(jsonAnswerTool(request.responseFormat));
    params.tool_choice = jsonAnswerToolChoice(request);
  } else if (hasTools && request.toolChoice !== undefined) {
    // Without tools, toolChoice has nothing to choose from, and the API rejects a tool_choice.
    params.tool_choice = toolChoiceOf(request.toolChoice);
  }
  if (tools.length > 0) params.tools = tools;
  if (request.temperature !== undefined) params.temperature = request.temperature;
  if (request.topP !== undefined) params.top_p = request.topP;
  if (request.stop !== undefined && request.stop.length > 0) params.stop_sequences = request.stop;
  const thinking = thinkingOf(request.reasoning);
  if (thinking !== undefined) params.thinking = thinking;
  const outputConfig = outputConfigOf(request, jsonAnswer === 'output_format');
  if (outputConfig !== undefined) params.output_config = outputConfig;
  return { ...params, ...passthrough, stream: true } as AnthropicRequestBody;
}

function toolsOf(tools: NonNullable<ChatRequest['tools']>): AnthropicTool[] {
  return tools.map((tool) => {
    const mapped: AnthropicTool = {
      name: tool.name,
      input_schema: { type: 'object', ...tool.parameters } as AnthropicTool.InputSchema,
    };
    if (tool.description !== undefined) mapped.description = tool.description;
    if (tool.strict !== undefined) mapped.strict = tool.strict;
    return mapped;
  });
}

function toolChoiceOf(choice: NonNullable<ChatRequest['toolChoice']>): AnthropicToolChoice {
  if (choice === 'auto') return { type: 'auto' };
  if (choice === 'required') return { type: 'any' };
  if (choice === 'none') return { type: 'none' };
  return { type: 'tool', name: choice.name };
}

// The budget counts within max_tokens, so the default max_tokens grows by it.
function thinkingBudgetOf(request: ChatRequest): number {
  return request.reasoning?.budgetTokens ?? 0;
}

/**
 * `budgetTokens` 0 turns thinking off; a budget (at least 1,024, checked before) turns extended
 * thinking on, and `includeThoughts` chooses whether its text comes back (`summarized`) or only its
 * signature (`omitted`).
 * @see https://platform.claude.com/docs/en/build-with-claude/extended-thinking
 */
function thinkingOf(reasoning: ChatRequest['reasoning']): ThinkingConfigParam | undefined {
  const budget = reasoning?.budgetTokens;
  if (budget === undefined) return undefined;
  if (budget === 0) return { type: 'disabled' };
  const includeThoughts = reasoning?.includeThoughts;
  return includeThoughts === undefined
    ? { type: 'enabled', budget_tokens: budget }
    : { type: 'enabled', budget_tokens: budget, display: includeThoughts ? 'summarized' : 'omitted' };
}

/**
 * `output_config`: `effort` (Anthropic's levels are low, medium, high, xhigh and max, so `minimal`
 * becomes `low`) and, with `native`, the `json_schema` response format.
 * @see https://platform.claude.com/docs/en/build-with-claude/effort
 * @see https://platform.claude.com/docs/en/build-with-claude/structured-outputs
 */
function outputConfigOf(request: ChatRequest, native: boolean): OutputConfig | undefined {
  const effort = request.reasoning?.effort;
  const format = request.responseFormat;
  const schema = native && format?.type === 'json_schema' ? format.schema : undefined;
  if (effort === undefined && schema === undefined) return undefined;
  const config: OutputConfig = {};
  if (effort !== undefined) config.effort = effort === 'minimal' ? 'low' : effort;
  if (schema !== undefined) config.format = { type: 'json_schema', schema };
  return config;
}
