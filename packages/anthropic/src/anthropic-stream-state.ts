import type { BetaCompactionBlock } from '@anthropic-ai/sdk/resources/beta/messages/messages';
import type { ContentBlock, RawMessageStreamEvent } from '@anthropic-ai/sdk/resources/messages';
import type { CompactionBlock } from './anthropic-compaction.js';
import { emptyCounts, type TokenCounts } from './anthropic-usage.js';

/** A keep-alive. The SDK drops it; other transports and recorded streams may not. */
export interface AnthropicPingEvent {
  type: 'ping';
}

/** An in-band error record. The SDK throws it as an `APIError`; other transports may yield it. */
export interface AnthropicErrorEvent {
  type: 'error';
  error: { type: string; message: string };
}

/** What the translator accepts: the SDK's raw stream events, plus `ping` and `error`. */
export type AnthropicStreamEvent = RawMessageStreamEvent | AnthropicPingEvent | AnthropicErrorEvent;

/** A content block as the API streams it: the SDK's, plus the beta `compaction` block. */
export type StreamedBlock = ContentBlock | BetaCompactionBlock;

/**
 * What the translator remembers between events of one stream. Create one per stream with
 * `createAnthropicStreamState()`; treat its fields as private.
 */
export interface AnthropicStreamState {
  readonly provider: string;
  /** The request asked for its answer through the forced `json` tool: a `json` tool use is the answer. */
  readonly jsonAnswerTool: boolean;
  /** Id of the current (or last) message. */
  messageId: string | undefined;
  /** Between `message_start` and `message_stop`. */
  messageOpen: boolean;
  /**
   * Block type by content-block index, for the blocks of the current message this translator
   * follows; `json_answer` is the `json` tool use that carries the answer.
   */
  blocks: Array<'tool_use' | 'json_answer' | 'compaction' | undefined>;
  /**
   * Tool input that arrived whole at `content_block_start` (programmatic tool calling), by index;
   * for the `json` answer, its input as text (`{}` until fragments stream).
   */
  pendingArguments: Array<string | undefined>;
  /** `compaction` blocks being assembled, by index: emitted whole at `content_block_stop`. */
  compactions: Array<CompactionBlock | undefined>;
  /** The current message carried its answer in a `json` tool use. */
  answeredByJsonTool: boolean;
  /** The current message called a tool of the caller. */
  calledTools: boolean;
  stopReason: string | null;
  sawMessageDelta: boolean;
  /** `output_tokens` of `message_start`: a placeholder, final only when no `message_delta` follows. */
  startOutputTokens: number | undefined;
  current: TokenCounts;
  /** Sums over the messages of this stream that already stopped. */
  previous: TokenCounts;
}

/** Options of `createAnthropicStreamState`. */
export interface AnthropicStreamOptions {
  /**
   * The request used the forced `json` tool for its JSON answer (`jsonAnswerMethodOf` gave
   * `'tool'`): the input of a `json` tool use streams as text, and is not a tool call. Default false.
   */
  jsonAnswerTool?: boolean;
}

/**
 * A fresh state for `translateAnthropicEvent`, one per stream; `provider` names the provider in
 * errors, and `options` say what the request asked for.
 */
export function createAnthropicStreamState(
  provider = 'anthropic',
  options: AnthropicStreamOptions = {},
): AnthropicStreamState {
  return {
    provider,
    jsonAnswerTool: options.jsonAnswerTool === true,
    messageId: undefined,
    messageOpen: false,
    blocks: [],
    pendingArguments: [],
    compactions: [],
    answeredByJsonTool: false,
    calledTools: false,
    stopReason: null,
    sawMessageDelta: false,
    startOutputTokens: undefined,
    current: emptyCounts(),
    previous: emptyCounts(),
  };
}
