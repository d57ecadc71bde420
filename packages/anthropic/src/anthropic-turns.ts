import type { BetaCompactionBlockParam } from '@anthropic-ai/sdk/resources/beta/messages/messages';
import type {
  Tool as AnthropicTool,
  CacheControlEphemeral,
  ContentBlockParam,
  DocumentBlockParam,
  ImageBlockParam,
  MessageParam,
  TextBlockParam,
  ToolResultBlockParam,
} from '@anthropic-ai/sdk/resources/messages';
import type { ContentPart, Message, ReasoningPart } from '@tokenwire/core';
import { imageSourceOf, toolCallInput } from '@tokenwire/core/adapter';
import { compactionBlockOf } from './anthropic-compaction.js';
import { documentBlockOf } from './anthropic-files.js';

/** A prompt-caching breakpoint: `true` (default 5-minute TTL) or an explicit TTL. */
export type AnthropicCacheMarker = boolean | '5m' | '1h';

/** The media types Anthropic accepts for base64 image data. @see https://docs.anthropic.com/en/docs/build-with-claude/vision */
export const ANTHROPIC_IMAGE_TYPES: readonly string[] = [
  'image/jpeg',
  'image/png',
  'image/gif',
  'image/webp',
];

type ImageMediaType = 'image/jpeg' | 'image/png' | 'image/gif' | 'image/webp';
/** A block of a turn: the SDK's, plus the beta `compaction` block, which the non-beta types lack. */
type BlockParam = ContentBlockParam | BetaCompactionBlockParam;
type Turn = { role: 'user' | 'assistant'; content: BlockParam[] };
type CacheableBlock = BlockParam & { cache_control?: CacheControlEphemeral | null };

/** The conversation in Anthropic's shape: the system blocks, and alternating user and assistant turns. */
export interface AnthropicConversation {
  system: TextBlockParam[];
  turns: Turn[];
}

/**
 * Splits a validated conversation into Anthropic's top-level `system` blocks and its turns. Tool
 * results become `tool_result` blocks of a user turn; consecutive turns of the same role are
 * merged (tool results first, as the API requires); assistant reasoning is sent back as `thinking`
 * blocks with their signature, `redacted_thinking`, or the `compaction` block a part carries as its
 * `providerBlock`, verbatim and in its place. Reasoning without a signature, and provider blocks
 * that are not Anthropic's (both from another provider), are left out, since Anthropic would
 * reject them.
 */
export function toAnthropicConversation(messages: readonly Message[]): AnthropicConversation {
  const system: TextBlockParam[] = [];
  const turns: Turn[] = [];
  for (const message of messages) {
    if (message.role === 'system') {
      if (message.content !== '') system.push({ type: 'text', text: message.content });
    } else {
      appendTurn(turns, message.role === 'assistant' ? 'assistant' : 'user', blocksOf(message));
    }
  }
  return { system, turns };
}

/** A turn as a `MessageParam`: a lone uncached text block is sent as a plain string. */
export function toMessageParam(turn: Turn): MessageParam {
  const only = turn.content.length === 1 ? turn.content[0] : undefined;
  if (only?.type === 'text' && only.cache_control === undefined)
    return { role: turn.role, content: only.text };
  // The SDK sends the body as is; only its types lack the beta compaction block.
  return { role: turn.role, content: turn.content as ContentBlockParam[] };
}

/** Puts a cache breakpoint on the last block that can carry one (thinking blocks cannot). */
export function markLast(blocks: Array<CacheableBlock | AnthropicTool>, marker: AnthropicCacheMarker): void {
  for (let index = blocks.length - 1; index >= 0; index--) {
    const block = blocks[index] as CacheableBlock | AnthropicTool;
    if ('type' in block && (block.type === 'thinking' || block.type === 'redacted_thinking')) continue;
    block.cache_control =
      marker === true ? { type: 'ephemeral' } : { type: 'ephemeral', ttl: marker as '5m' | '1h' };
    return;
  }
}

function blocksOf(message: Exclude<Message, { role: 'system' }>): BlockParam[] {
  switch (message.role) {
    case 'user':
      if (typeof message.content === 'string') {
        return message.content === '' ? [] : [{ type: 'text', text: message.content }];
      }
      return message.content.flatMap(userBlockOf);
    case 'tool': {
      const block: ToolResultBlockParam = { type: 'tool_result', tool_use_id: message.toolCallId };
      if (typeof message.content !== 'string') block.content = message.content.flatMap(userBlockOf);
      else if (message.content !== '') block.content = message.content;
      if (message.isError === true) block.is_error = true;
      return [block];
    }
    case 'assistant':
      return assistantBlocksOf(message);
  }
}

function assistantBlocksOf(message: Extract<Message, { role: 'assistant' }>): BlockParam[] {
  // Thinking and compaction blocks come first, unmodified, in the order they were received.
  // @see https://docs.anthropic.com/en/docs/build-with-claude/extended-thinking#preserving-thinking-blocks
  const blocks: BlockParam[] = [];
  for (const part of message.reasoning ?? []) {
    const block = reasoningBlockOf(part);
    if (block !== undefined) blocks.push(block);
  }
  if (message.content) blocks.push({ type: 'text', text: message.content });
  for (const call of message.toolCalls ?? []) {
    // Arguments that are not a JSON object are sent as {}, as on every provider (core's rule).
    blocks.push({ type: 'tool_use', id: call.id, name: call.name, input: toolCallInput(call) });
  }
  return blocks;
}

/** The block a reasoning part goes back as, or undefined for one Anthropic would reject. */
function reasoningBlockOf(part: ReasoningPart): BlockParam | undefined {
  if (part.providerBlock !== undefined) return compactionBlockOf(part.providerBlock);
  if (part.redactedData) return { type: 'redacted_thinking', data: part.redactedData };
  if (part.signature) return { type: 'thinking', thinking: part.text, signature: part.signature };
  return undefined;
}

function userBlockOf(part: ContentPart): Array<TextBlockParam | ImageBlockParam | DocumentBlockParam> {
  if (part.type === 'text') return part.text === '' ? [] : [{ type: 'text', text: part.text }];
  if (part.type === 'file') return [documentBlockOf(part)];
  return [imageBlockOf(part)];
}

// The media type of base64 data was checked by checkAnthropicRequest; a URL's is Anthropic's to read.
function imageBlockOf(part: Extract<ContentPart, { type: 'image' }>): ImageBlockParam {
  const source = imageSourceOf(part);
  if (source.kind === 'url') return { type: 'image', source: { type: 'url', url: source.url } };
  return {
    type: 'image',
    source: { type: 'base64', media_type: source.mediaType as ImageMediaType, data: source.data },
  };
}

function appendTurn(turns: Turn[], role: Turn['role'], blocks: BlockParam[]): void {
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
