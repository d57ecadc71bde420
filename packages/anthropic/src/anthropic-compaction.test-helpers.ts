import type { AnthropicStreamEvent } from './anthropic-stream.js';

// A compaction stream written from Anthropic's compaction documentation and the SDK's beta types
// (@anthropic-ai/sdk 1.12: BetaCompactionBlock, BetaCompactionContentBlockDelta,
// BetaIterationsUsage): the block starts without content, one compaction_delta carries the summary
// and the opaque metadata, then the message continues. The counts are made up.
// @see https://platform.claude.com/docs/en/build-with-claude/compaction

/** The compaction block as it starts: its signature and tool changes, no summary yet. */
const compactionStart = {
  type: 'compaction',
  content: null,
  encrypted_content: null,
  signature: 'sig-compaction-1',
  tool_changes: [{ type: 'tool_removal', tool: { type: 'tool_reference', name: 'search_archive' } }],
};

const summary = 'The user is reconciling Q3 invoices; 40 of 52 are matched. Pending: the totals.';

/** The block as the translator assembles it, and as it must go back on the next request. */
export const compactionBlock = {
  ...compactionStart,
  content: summary,
  encrypted_content: 'opaque-compaction-metadata',
};

const iterations = [
  {
    type: 'compaction',
    input_tokens: 61_000,
    output_tokens: 650,
    cache_creation: null,
    cache_read_input_tokens: 0,
    cache_creation_input_tokens: 0,
  },
  {
    type: 'message',
    model: null,
    input_tokens: 1800,
    output_tokens: 120,
    cache_creation: null,
    cache_read_input_tokens: 2000,
    cache_creation_input_tokens: 0,
  },
];

/** The raw events of a response in which compaction ran; `iterations: false` drops the usage breakdown. */
export function compactionEvents(options: { iterations?: boolean } = {}): AnthropicStreamEvent[] {
  // The top-level counts of message_delta are the last (message) step's only.
  const usage: Record<string, unknown> = {
    input_tokens: 1800,
    output_tokens: 120,
    cache_read_input_tokens: 2000,
    cache_creation_input_tokens: 0,
  };
  if (options.iterations !== false) usage.iterations = iterations;
  const payloads = [
    {
      type: 'message_start',
      message: {
        id: 'msg_compacted',
        type: 'message',
        role: 'assistant',
        model: 'claude-test-1',
        content: [],
        stop_reason: null,
        stop_sequence: null,
        usage: {
          input_tokens: 61_000,
          output_tokens: 1,
          cache_read_input_tokens: 0,
          cache_creation_input_tokens: 0,
        },
      },
    },
    { type: 'content_block_start', index: 0, content_block: compactionStart },
    { type: 'ping' },
    {
      type: 'content_block_delta',
      index: 0,
      delta: { type: 'compaction_delta', content: summary, encrypted_content: 'opaque-compaction-metadata' },
    },
    { type: 'content_block_stop', index: 0 },
    { type: 'content_block_start', index: 1, content_block: { type: 'text', text: '' } },
    { type: 'content_block_delta', index: 1, delta: { type: 'text_delta', text: 'Continuing: ' } },
    { type: 'content_block_delta', index: 1, delta: { type: 'text_delta', text: 'the totals are 42.' } },
    { type: 'content_block_stop', index: 1 },
    {
      type: 'message_delta',
      delta: { stop_reason: 'end_turn', stop_sequence: null },
      usage,
      context_management: { applied_edits: [] },
    },
    { type: 'message_stop' },
  ];
  return payloads as AnthropicStreamEvent[];
}
