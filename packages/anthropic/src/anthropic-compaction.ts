import type {
  BetaCompactionBlock,
  BetaCompactionBlockParam,
  BetaCompactionContentBlockDelta,
} from '@anthropic-ai/sdk/resources/beta/messages/messages';
import type { ChatRequest, Message, ReasoningPart, TokenwireError } from '@tokenwire/core';
import { requestProblem } from '@tokenwire/core/adapter';

// Context compaction: the API summarizes the conversation into a `compaction` block, which must go
// back on the next request, first, in place of the messages it summarizes. tokenwire carries it as a
// reasoning part's `providerBlock`, the way thinking blocks are carried.
// @see https://platform.claude.com/docs/en/build-with-claude/compaction

/** A `compaction` block being assembled from `content_block_start` and its `compaction_delta` events. */
export type CompactionBlock = Record<string, unknown> & { type: 'compaction' };

/** A copy of the block `content_block_start` announced, which the deltas complete. */
export function startCompaction(block: BetaCompactionBlock): CompactionBlock {
  return { ...block };
}

/**
 * Applies a `compaction_delta` as the SDK's own `BetaMessageStream` does: the delta carries the
 * block's final `content` (null: the compaction failed, and the block is a no-op when sent back),
 * and `encrypted_content` when the key is present.
 */
export function applyCompactionDelta(
  block: CompactionBlock | undefined,
  delta: BetaCompactionContentBlockDelta,
): void {
  if (block === undefined) return; // a delta for a block this translator did not see start
  block.content = delta.content;
  if ('encrypted_content' in delta) block.encrypted_content = delta.encrypted_content;
}

/**
 * The `compaction` block to send back for a reasoning part's `providerBlock`, as it was received
 * (copied, so that a cache breakpoint placed on it does not change the caller's object); undefined
 * for a block that is not Anthropic's. OpenAI's compaction item shares the type name, but has no
 * `content`, which every Anthropic compaction block carries (null for a failed one).
 */
export function compactionBlockOf(
  providerBlock: Record<string, unknown> | undefined,
): BetaCompactionBlockParam | undefined {
  if (!isAnthropicCompaction(providerBlock)) return undefined;
  return { ...providerBlock } as unknown as BetaCompactionBlockParam;
}

function isAnthropicCompaction(block: Record<string, unknown> | undefined): block is CompactionBlock {
  return block?.type === 'compaction' && 'content' in block;
}

/**
 * Anthropic's rules on where a compaction block may stand, checked before sending: a block with
 * content must be in the first message of the conversation (after the system messages, which are
 * sent apart), and there is only one such block, the one the conversation returned last. The API
 * refuses the others (`compaction_block_misplaced`, `compaction_block_ambiguous`). Blocks without
 * content (failed compactions) are no-ops, sent as they are.
 */
export function compactionProblem(request: ChatRequest, provider: string): TokenwireError | undefined {
  const messages = request.messages;
  let first: string | undefined;
  let conversationStart: number | undefined;
  for (let messageIndex = 0; messageIndex < messages.length; messageIndex++) {
    const message = messages[messageIndex] as Message;
    if (message.role === 'system') continue;
    conversationStart ??= messageIndex;
    const parts = message.role === 'assistant' ? (message.reasoning ?? []) : [];
    for (let partIndex = 0; partIndex < parts.length; partIndex++) {
      if (!hasSummary(parts[partIndex] as ReasoningPart)) continue;
      const path = `messages[${messageIndex}].reasoning[${partIndex}].providerBlock`;
      if (first !== undefined) return ambiguous(path, first, provider);
      if (messageIndex !== conversationStart) return misplaced(path, provider);
      first = path;
    }
  }
  return undefined;
}

function hasSummary(part: ReasoningPart): boolean {
  const block = part.providerBlock;
  return isAnthropicCompaction(block) && block.content !== null && block.content !== undefined;
}

function ambiguous(path: string, first: string, provider: string): TokenwireError {
  return requestProblem(
    path,
    `is a second Anthropic compaction block with a summary (the first is ${first}): Anthropic takes only the one the conversation returned last, so leave out the earlier one together with the messages it replaced`,
    'compaction',
    provider,
  );
}

function misplaced(path: string, provider: string): TokenwireError {
  return requestProblem(
    path,
    'is an Anthropic compaction block, which must be in the first message of the conversation: send the assistant message that carries it first (after any system messages), in place of the messages it summarizes',
    'compaction',
    provider,
  );
}
