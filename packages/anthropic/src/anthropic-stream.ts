import type { BetaCompactionContentBlockDelta } from '@anthropic-ai/sdk/resources/beta/messages/messages';
import type {
  Usage as AnthropicUsage,
  RawContentBlockDelta,
  RawContentBlockDeltaEvent,
} from '@anthropic-ai/sdk/resources/messages';
import { TokenwireError } from '@tokenwire/core';
import type { AdapterDelta } from '@tokenwire/core/adapter';
import { applyCompactionDelta, type CompactionBlock, startCompaction } from './anthropic-compaction.js';
import { anthropicStreamError } from './anthropic-errors.js';
import { JSON_ANSWER_TOOL } from './anthropic-json-answer.js';
import type { AnthropicStreamEvent, AnthropicStreamState, StreamedBlock } from './anthropic-stream-state.js';
import { addCounts, applyDeltaUsage, countsOfStart, emptyCounts, usageOf } from './anthropic-usage.js';
import { mapAnthropicFinishReason } from './map-anthropic-finish-reason.js';

export type {
  AnthropicErrorEvent,
  AnthropicPingEvent,
  AnthropicStreamEvent,
  AnthropicStreamOptions,
  AnthropicStreamState,
} from './anthropic-stream-state.js';
export { createAnthropicStreamState } from './anthropic-stream-state.js';

const NONE: readonly AdapterDelta[] = Object.freeze([]);

/**
 * Translates one raw event of `messages.create({ stream: true })` into core deltas, synchronously
 * and without copying accumulated text. Text, thinking (with its `signature_delta` as a reasoning
 * delta carrying `signature`), client `tool_use` blocks, and `compaction` blocks (assembled from
 * their `compaction_delta` events, emitted at their `content_block_stop` as a reasoning delta whose
 * `providerBlock` is the block as received) are translated; `ping`, citations and every other block
 * type (server tools, their results, MCP, blocks added in future API versions) are ignored. When
 * the request asked for its answer through the forced `json` tool (`state.jsonAnswerTool`), a `json`
 * tool use is the answer: its input streams as text deltas, and a `tool_use` stop it alone caused
 * finishes as `stop`.
 * `finish` is emitted only at `message_stop`, so a truncated stream has none and the runtime
 * reports it. `usage` is the sum of `message_delta.usage.iterations` when the API lists the billed
 * steps (see `applyDeltaUsage`).
 *
 * The Messages API streams one message per response, and the adapter ends the stream at its
 * `message_stop` (see `translateAnthropicEventInto`). Fed several messages one after the other
 * (`message_start` after `message_stop`, as in a recording of several responses concatenated),
 * this function follows them: usage is summed and each `message_stop` emits `finish`. A
 * `message_start` with another id while a message is open is a spliced stream and throws
 * `invalid_response`; the same id again is ignored. An in-band `error` event throws the error it
 * describes.
 *
 * The returned array must not be modified.
 */
export function translateAnthropicEvent(
  event: AnthropicStreamEvent,
  state: AnthropicStreamState,
): readonly AdapterDelta[] {
  switch (event.type) {
    case 'content_block_delta': {
      const delta = contentDelta(event, state);
      return delta === undefined ? NONE : [delta];
    }
    case 'content_block_start':
      return event.content_block === undefined ? NONE : startBlock(event.content_block, event.index, state);
    case 'content_block_stop':
      return stopBlock(event.index, state);
    case 'message_start':
      return event.message === undefined ? NONE : startMessage(event.message, state);
    case 'message_delta': {
      const stopReason = event.delta?.stop_reason;
      if (stopReason !== null && stopReason !== undefined) state.stopReason = stopReason;
      state.sawMessageDelta = true;
      applyDeltaUsage(state.current, event.usage);
      return [usageDelta(state)];
    }
    case 'message_stop':
      return stopMessage(state);
    case 'ping':
      return NONE; // keep-alive
    case 'error':
      throw anthropicStreamError(event, state.provider);
    default:
      return NONE; // an event type added after this adapter was written
  }
}

/**
 * Like `translateAnthropicEvent`, but pushes the deltas to `out`: the runtime's fast path, which
 * allocates no array for the text, thinking and argument deltas that make up most of a stream.
 * Returns true for `message_stop`, the terminal record: the Messages API streams one message per
 * response, so the runtime finishes there and closes the connection, even one the server holds open.
 */
export function translateAnthropicEventInto(
  event: AnthropicStreamEvent,
  state: AnthropicStreamState,
  out: AdapterDelta[],
): boolean {
  if (event.type === 'content_block_delta') {
    const delta = contentDelta(event, state);
    if (delta !== undefined) out.push(delta);
    return false;
  }
  const deltas = translateAnthropicEvent(event, state);
  for (let index = 0; index < deltas.length; index++) out.push(deltas[index] as AdapterDelta);
  return event.type === 'message_stop';
}

/** The one delta of a `content_block_delta` event, if it carries anything. */
function contentDelta(
  event: RawContentBlockDeltaEvent,
  state: AnthropicStreamState,
): AdapterDelta | undefined {
  // compaction_delta is typed by the SDK's beta API only; the non-beta stream carries it too.
  const delta = event.delta as RawContentBlockDelta | BetaCompactionContentBlockDelta;
  switch (delta?.type) {
    case 'text_delta':
      return delta.text === '' ? undefined : { type: 'text', delta: delta.text };
    case 'thinking_delta':
      return delta.thinking === '' ? undefined : { type: 'reasoning', delta: delta.thinking };
    case 'signature_delta':
      if (state.blocks[event.index] === 'compaction') {
        (state.compactions[event.index] as CompactionBlock).signature = delta.signature;
        return undefined;
      }
      // Kept on a reasoning delta so the caller can send the thinking block back.
      return { type: 'reasoning', delta: '', signature: delta.signature };
    case 'compaction_delta':
      applyCompactionDelta(state.compactions[event.index], delta);
      return undefined;
    case 'input_json_delta': {
      // Server tools (server_tool_use, mcp_tool_use) stream input too: only client tools count.
      const kind = state.blocks[event.index];
      if ((kind !== 'tool_use' && kind !== 'json_answer') || delta.partial_json === '') return undefined;
      state.pendingArguments[event.index] = undefined; // streamed input replaces any initial input
      // The json tool's input is the answer: it streams as the answer's text.
      return kind === 'json_answer'
        ? { type: 'text', delta: delta.partial_json }
        : { type: 'tool_call', index: event.index, argumentsDelta: delta.partial_json };
    }
    default:
      return undefined; // citations_delta and future delta types
  }
}

function startMessage(
  message: {
    id: string;
    model: string;
    content?: StreamedBlock[];
    stop_reason?: string | null;
    usage?: AnthropicUsage;
  },
  state: AnthropicStreamState,
): readonly AdapterDelta[] {
  if (state.messageOpen) {
    if (message.id === state.messageId) return NONE; // a repeated message_start
    throw new TokenwireError({
      code: 'invalid_response',
      provider: state.provider,
      message: `The Anthropic stream started message ${message.id} while message ${state.messageId} was still open (a spliced or corrupted stream). The two are not merged.`,
    });
  }
  state.messageOpen = true;
  state.messageId = message.id;
  state.blocks.length = 0;
  state.pendingArguments.length = 0;
  state.compactions.length = 0;
  state.answeredByJsonTool = false;
  state.calledTools = false;
  state.stopReason = message.stop_reason ?? null;
  state.sawMessageDelta = false;
  const usage = message.usage;
  state.startOutputTokens = usage?.output_tokens ?? undefined;
  state.current = countsOfStart(usage);
  const deltas: AdapterDelta[] = [
    { type: 'start', model: message.model, responseId: message.id },
    usageDelta(state),
  ];
  pushStartedContent(message.content ?? [], state, deltas);
  return deltas;
}

/**
 * A message can arrive with content already in it: with programmatic tool calling, each tool call
 * the sandboxed code makes comes back as a message holding one finished tool_use block.
 */
function pushStartedContent(
  content: StreamedBlock[],
  state: AnthropicStreamState,
  deltas: AdapterDelta[],
): void {
  for (let index = 0; index < content.length; index++) {
    const block = content[index] as StreamedBlock;
    if (block.type === 'text' && block.text !== '') deltas.push({ type: 'text', delta: block.text });
    else if (block.type === 'compaction') {
      deltas.push({ type: 'reasoning', delta: '', providerBlock: startCompaction(block) });
    } else if (block.type === 'tool_use' && isJsonAnswer(block.name, state)) {
      state.answeredByJsonTool = true;
      deltas.push({ type: 'text', delta: inputArguments(block.input) ?? '{}' });
    } else if (block.type === 'tool_use') {
      state.calledTools = true;
      deltas.push(
        {
          type: 'tool_call',
          index,
          id: block.id,
          name: block.name,
          argumentsDelta: inputArguments(block.input) ?? '',
        },
        { type: 'tool_call_end', index },
      );
    }
  }
}

function startBlock(
  block: StreamedBlock,
  index: number,
  state: AnthropicStreamState,
): readonly AdapterDelta[] {
  switch (block.type) {
    case 'text':
      return block.text === '' ? NONE : [{ type: 'text', delta: block.text }];
    case 'thinking':
      if (block.thinking === '' && !block.signature) return NONE;
      return [
        block.signature
          ? { type: 'reasoning', delta: block.thinking, signature: block.signature }
          : { type: 'reasoning', delta: block.thinking },
      ];
    case 'tool_use':
      if (isJsonAnswer(block.name, state)) {
        state.blocks[index] = 'json_answer';
        state.answeredByJsonTool = true;
        // The answer is its input: `{}` unless fragments follow, which replace it (sent at content_block_stop).
        state.pendingArguments[index] = inputArguments(block.input) ?? '{}';
        return NONE;
      }
      state.blocks[index] = 'tool_use';
      state.calledTools = true;
      // Usually `input` is {} and arrives as input_json_delta fragments; calls made by code
      // (programmatic tool calling) carry it whole here instead. Sent at content_block_stop.
      state.pendingArguments[index] = inputArguments(block.input);
      return [{ type: 'tool_call', index, id: block.id, name: block.name }];
    case 'redacted_thinking':
      // Encrypted reasoning: the caller must send it back unchanged on the next turn.
      return [{ type: 'reasoning', delta: '', redactedData: block.data }];
    case 'compaction':
      state.blocks[index] = 'compaction';
      state.compactions[index] = startCompaction(block);
      return NONE;
    default:
      // server_tool_use, *_tool_result, mcp_*, fallback, …: executed by Anthropic, not the caller.
      return NONE;
  }
}

/**
 * Closes a tool call (with the input that arrived whole, if any), emits a finished compaction
 * block, or the `json` answer's input when none streamed.
 */
function stopBlock(index: number, state: AnthropicStreamState): readonly AdapterDelta[] {
  const kind = state.blocks[index];
  if (kind === undefined) return NONE;
  state.blocks[index] = undefined;
  if (kind === 'json_answer') {
    const answer = state.pendingArguments[index];
    state.pendingArguments[index] = undefined;
    return answer === undefined ? NONE : [{ type: 'text', delta: answer }];
  }
  if (kind === 'compaction') {
    const block = state.compactions[index] as CompactionBlock;
    state.compactions[index] = undefined;
    return [{ type: 'reasoning', delta: '', providerBlock: block }];
  }
  const pending = state.pendingArguments[index];
  if (pending === undefined) return [{ type: 'tool_call_end', index }];
  state.pendingArguments[index] = undefined;
  return [
    { type: 'tool_call', index, argumentsDelta: pending },
    { type: 'tool_call_end', index },
  ];
}

function stopMessage(state: AnthropicStreamState): readonly AdapterDelta[] {
  const deltas: AdapterDelta[] = [];
  const { current, previous } = state;
  if (!state.sawMessageDelta) {
    // A message without message_delta (a pre-filled one): its start usage is all there is.
    current.output = state.startOutputTokens;
    deltas.push(usageDelta(state));
  }
  addCounts(previous, current);
  state.current = emptyCounts();
  state.messageOpen = false;
  const rawReason = state.stopReason;
  // A tool_use stop whose only tool use was the json answer is a finished answer.
  const reason =
    rawReason === 'tool_use' && state.answeredByJsonTool && !state.calledTools
      ? 'stop'
      : mapAnthropicFinishReason(rawReason);
  deltas.push(rawReason === null ? { type: 'finish', reason } : { type: 'finish', reason, rawReason });
  return deltas;
}

/** A tool use that carries the answer: the `json` tool, when the request asked for its answer through it. */
function isJsonAnswer(name: string, state: AnthropicStreamState): boolean {
  return state.jsonAnswerTool && name === JSON_ANSWER_TOOL;
}

function usageDelta(state: AnthropicStreamState): AdapterDelta {
  return { type: 'usage', usage: usageOf(state.previous, state.current) };
}

/** The tool input as JSON text, or undefined when it is empty (`{}`, the streamed case). */
function inputArguments(input: unknown): string | undefined {
  if (input === undefined || input === null) return undefined;
  if (typeof input === 'object' && Object.keys(input).length === 0) return undefined;
  return JSON.stringify(input);
}
