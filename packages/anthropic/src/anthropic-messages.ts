import type {
  Tool as AnthropicTool,
  ToolChoice as AnthropicToolChoice,
  CacheControlEphemeral,
  ContentBlockParam,
  ImageBlockParam,
  MessageCreateParamsStreaming,
  MessageParam,
  TextBlockParam,
  ToolResultBlockParam,
} from '@anthropic-ai/sdk/resources/messages';
import {
  type ChatRequest,
  type ContentPart,
  type Message,
  TokenwireError,
  type ToolCall,
} from '@tokenwire/core';

/** `max_tokens` sent when the request sets no `maxTokens` (the Messages API requires one). */
export const DEFAULT_MAX_TOKENS = 4096;

/** A prompt-caching breakpoint: `true` (default 5-minute TTL) or an explicit TTL. */
export type AnthropicCacheMarker = boolean | '5m' | '1h';

/**
 * What `providerOptions.anthropic` accepts. `cacheControl` places prompt-caching breakpoints
 * (`cache_control: { type: 'ephemeral' }`) on the last system block, the last tool, and/or the last
 * block of the last message. Every other key is a Messages API body parameter sent unchanged and
 * wins over the mapped ones (`metadata`, `service_tier`, `container`, `thinking: { type: 'adaptive' }`,
 * `cache_control` for automatic caching, …).
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
}

type Turn = { role: 'user' | 'assistant'; content: ContentBlockParam[] };
type CacheableBlock = ContentBlockParam & { cache_control?: CacheControlEphemeral | null };

/**
 * Maps a normalized `ChatRequest` to `messages.create` streaming parameters. System messages go
 * to the top-level `system`; tool results become `tool_result` blocks of a user turn; consecutive
 * turns of the same role are merged (tool results first, as the API requires); assistant reasoning
 * is sent back as `thinking` blocks with their signature, or `redacted_thinking` — reasoning
 * without a signature (from another provider) is left out, since Anthropic would reject it.
 * `reasoning.budgetTokens` enables extended thinking.
 *
 * Ignored, because the Messages API (version 2026-10-21, SDK 1.x) has no such parameter:
 * `temperature` and `topP` (removed from the API; on an older API version pass them through
 * `providerOptions.anthropic`), `seed`, `reasoning.effort` (pass `output_config: { effort }`) and
 * `responseFormat: { type: 'json' }` (use `json_schema`, mapped to `output_config.format`).
 */
export function toAnthropicParams(
  request: ChatRequest,
  options: AnthropicParamsOptions = {},
): MessageCreateParamsStreaming {
  const { cacheControl, ...passthrough } = (request.providerOptions?.anthropic ??
    {}) as AnthropicProviderOptions;
  const system: TextBlockParam[] = [];
  const turns: Turn[] = [];
  for (const message of request.messages) {
    if (message.role === 'system') {
      if (message.content !== '') system.push({ type: 'text', text: message.content });
    } else {
      appendTurn(turns, message.role === 'assistant' ? 'assistant' : 'user', blocksOf(message));
    }
  }
  if (cacheControl?.lastMessage) markLast(turns.at(-1)?.content ?? [], cacheControl.lastMessage);

  const budget = request.reasoning?.budgetTokens;
  const params: MessageCreateParamsStreaming = {
    model: request.model,
    max_tokens: request.maxTokens ?? (options.defaultMaxTokens ?? DEFAULT_MAX_TOKENS) + (budget ?? 0),
    messages: turns.map(toMessageParam),
    stream: true,
  };
  if (system.length > 0) {
    if (cacheControl?.system) markLast(system, cacheControl.system);
    const only = system.length === 1 ? system[0] : undefined;
    params.system = only !== undefined && only.cache_control === undefined ? only.text : system;
  }
  if (request.tools !== undefined && request.tools.length > 0) {
    const tools: AnthropicTool[] = request.tools.map((tool) => {
      const mapped: AnthropicTool = {
        name: tool.name,
        input_schema: { type: 'object', ...tool.parameters } as AnthropicTool.InputSchema,
      };
      if (tool.description !== undefined) mapped.description = tool.description;
      if (tool.strict !== undefined) mapped.strict = tool.strict;
      return mapped;
    });
    if (cacheControl?.tools) markLast(tools, cacheControl.tools);
    params.tools = tools;
    if (request.toolChoice !== undefined) params.tool_choice = toolChoiceOf(request.toolChoice);
  }
  if (budget !== undefined) params.thinking = { type: 'enabled', budget_tokens: budget };
  if (request.stop !== undefined && request.stop.length > 0) params.stop_sequences = request.stop;
  if (request.responseFormat?.type === 'json_schema') {
    params.output_config = { format: { type: 'json_schema', schema: request.responseFormat.schema } };
  }
  return { ...params, ...passthrough, stream: true } as MessageCreateParamsStreaming;
}

function blocksOf(message: Exclude<Message, { role: 'system' }>): ContentBlockParam[] {
  switch (message.role) {
    case 'user':
      if (typeof message.content === 'string') {
        return message.content === '' ? [] : [{ type: 'text', text: message.content }];
      }
      return message.content.flatMap(userBlockOf);
    case 'tool': {
      const block: ToolResultBlockParam = { type: 'tool_result', tool_use_id: message.toolCallId };
      if (message.content !== '') block.content = message.content;
      if (message.isError === true) block.is_error = true;
      return [block];
    }
    case 'assistant': {
      // Thinking blocks must come first and unmodified.
      // @see https://docs.anthropic.com/en/docs/build-with-claude/extended-thinking#preserving-thinking-blocks
      const blocks: ContentBlockParam[] = [];
      for (const part of message.reasoning ?? []) {
        if (part.redactedData) blocks.push({ type: 'redacted_thinking', data: part.redactedData });
        else if (part.signature)
          blocks.push({ type: 'thinking', thinking: part.text, signature: part.signature });
      }
      if (message.content) blocks.push({ type: 'text', text: message.content });
      for (const call of message.toolCalls ?? []) {
        blocks.push({ type: 'tool_use', id: call.id, name: call.name, input: toolInputOf(call) });
      }
      return blocks;
    }
  }
}

function userBlockOf(part: ContentPart): ContentBlockParam[] {
  if (part.type === 'text') return part.text === '' ? [] : [{ type: 'text', text: part.text }];
  return [imageBlockOf(part)];
}

type ImageMediaType = 'image/jpeg' | 'image/png' | 'image/gif' | 'image/webp';

function imageBlockOf(part: Extract<ContentPart, { type: 'image' }>): ImageBlockParam {
  if (part.url?.startsWith('data:')) {
    const match = /^data:([^;,]+);base64,(.*)$/s.exec(part.url);
    if (match === null) throw invalidImage('its data: URL is not base64-encoded');
    return {
      type: 'image',
      source: { type: 'base64', media_type: match[1] as ImageMediaType, data: match[2] as string },
    };
  }
  if (part.url !== undefined) return { type: 'image', source: { type: 'url', url: part.url } };
  if (part.data === undefined) throw invalidImage('it has neither url nor data');
  if (part.mediaType === undefined) throw invalidImage('base64 data needs its mediaType, e.g. image/png');
  return {
    type: 'image',
    source: { type: 'base64', media_type: part.mediaType as ImageMediaType, data: part.data },
  };
}

function invalidImage(reason: string): TokenwireError {
  return new TokenwireError({
    code: 'invalid_request',
    provider: 'anthropic',
    message: `An image part cannot be sent to Anthropic: ${reason}.`,
  });
}

// The API needs `input` as an object. Arguments that are not a JSON object (a model's malformed
// call echoed back in the history) are sent as {} rather than failing the whole conversation.
function toolInputOf(call: ToolCall): Record<string, unknown> {
  if (isPlainObject(call.input)) return call.input;
  try {
    const parsed: unknown = JSON.parse(call.arguments);
    return isPlainObject(parsed) ? parsed : {};
  } catch {
    return {};
  }
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function appendTurn(turns: Turn[], role: Turn['role'], blocks: ContentBlockParam[]): void {
  if (blocks.length === 0) return;
  const last = turns.at(-1);
  if (last === undefined || last.role !== role) {
    turns.push({ role, content: blocks });
    return;
  }
  for (const block of blocks) last.content.push(block);
  // tool_result blocks must open the user turn that answers the tool calls.
  // @see https://docs.anthropic.com/en/docs/agents-and-tools/tool-use/implement-tool-use#handling-tool-use-and-tool-result-content-blocks
  if (role === 'user') {
    last.content = [
      ...last.content.filter((block) => block.type === 'tool_result'),
      ...last.content.filter((block) => block.type !== 'tool_result'),
    ];
  }
}

function toMessageParam(turn: Turn): MessageParam {
  const only = turn.content.length === 1 ? turn.content[0] : undefined;
  if (only?.type === 'text' && only.cache_control === undefined)
    return { role: turn.role, content: only.text };
  return { role: turn.role, content: turn.content };
}

function toolChoiceOf(choice: NonNullable<ChatRequest['toolChoice']>): AnthropicToolChoice {
  if (choice === 'auto') return { type: 'auto' };
  if (choice === 'required') return { type: 'any' };
  if (choice === 'none') return { type: 'none' };
  return { type: 'tool', name: choice.name };
}

// Thinking blocks cannot carry cache_control: the breakpoint goes on the last block that can.
function markLast(blocks: Array<CacheableBlock | AnthropicTool>, marker: AnthropicCacheMarker): void {
  for (let index = blocks.length - 1; index >= 0; index--) {
    const block = blocks[index] as CacheableBlock | AnthropicTool;
    if ('type' in block && (block.type === 'thinking' || block.type === 'redacted_thinking')) continue;
    block.cache_control =
      marker === true ? { type: 'ephemeral' } : { type: 'ephemeral', ttl: marker as '5m' | '1h' };
    return;
  }
}
