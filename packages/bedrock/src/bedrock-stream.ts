import type {
  ContentBlockDeltaEvent,
  ContentBlockStartEvent,
  ConverseStreamOutput,
} from '@aws-sdk/client-bedrock-runtime';
import { type AdapterDelta, bytesToBase64, type Translator } from '@tokenwire/core/adapter';
import { bedrockStreamError, IN_BAND_EXCEPTIONS } from './bedrock-errors.js';
import { type BedrockStructuredOutput, JSON_ANSWER_TOOL, jsonAnswerMethodOf } from './bedrock-json-answer.js';
import { usageOfBedrock } from './bedrock-usage.js';
import { mapBedrockFinishReason } from './map-bedrock-finish-reason.js';

/** What the translator keeps between the events of one ConverseStream response. */
export interface BedrockStreamState {
  readonly provider: string;
  /** The model id the request named (ConverseStream's events do not name it). */
  readonly model: string;
  /** The response's request id (`x-amzn-requestid`), reported as its `responseId`: set once the response came. */
  responseId: string | undefined;
  /** The request asked for its answer through the forced `json` tool: that tool's input is the answer. */
  readonly jsonAnswerTool: boolean;
  /** What each open content block is, by `contentBlockIndex`. */
  blocks: Array<'tool_use' | 'json_answer' | undefined>;
  /** Some input of the `json` answer tool arrived (an answer without any is `{}`). */
  jsonAnswerStreamed: boolean;
  started: boolean;
  /** `messageStop.stopReason`, once it came; the finish waits for `metadata`, which follows it. */
  stopReason: string | undefined;
  stopped: boolean;
  finished: boolean;
  answeredByJsonTool: boolean;
  calledTools: boolean;
}

/** Options of `createBedrockStreamState`. */
export interface BedrockStreamOptions {
  provider?: string;
  model: string;
  responseId?: string;
  jsonAnswerTool?: boolean;
}

/** A fresh translator state for one ConverseStream response. */
export function createBedrockStreamState(options: BedrockStreamOptions): BedrockStreamState {
  return {
    provider: options.provider ?? 'bedrock',
    model: options.model,
    responseId: options.responseId,
    jsonAnswerTool: options.jsonAnswerTool ?? false,
    blocks: [],
    jsonAnswerStreamed: false,
    started: false,
    stopReason: undefined,
    stopped: false,
    finished: false,
    answeredByJsonTool: false,
    calledTools: false,
  };
}

/**
 * The translator of one adapter's ConverseStream responses: a state per request (its model, and
 * whether its answer comes through the forced `json` tool), `translateBedrockEvent` per event and
 * `endBedrockStream` at the end. The request id is the sending's to fill in.
 */
export function bedrockTranslator(
  provider: string,
  structuredOutput: BedrockStructuredOutput,
): Translator<ConverseStreamOutput, BedrockStreamState> {
  return {
    start: (request) =>
      createBedrockStreamState({
        provider,
        model: request.model,
        jsonAnswerTool: jsonAnswerMethodOf(request, structuredOutput) === 'tool',
      }),
    translate: translateBedrockEvent,
    end: endBedrockStream,
  };
}

/**
 * Translates one ConverseStream event (the SDK's `ConverseStreamOutput` union) into core deltas,
 * pushed to `out`, synchronously. `messageStart` starts; text, `reasoningContent` (its text, its
 * `signature`, and `redactedContent` as base64 `redactedData`) and `toolUse` blocks (started by
 * `contentBlockStart`, their input in `contentBlockDelta` fragments, closed by `contentBlockStop`)
 * stream; `messageStop` keeps the stop reason and `metadata`, which follows it, reports the usage
 * and finishes: it returns true there, the terminal record. A stream that ends after `messageStop`
 * without `metadata` finishes in `endBedrockStream`; one that ends before has no finish, which the
 * runtime reports as truncated. An in-band exception member (`throttlingException`, …) throws its
 * `TokenwireError`; members added later (and the SDK's `$unknown`) are ignored. When the request
 * asked for its answer through the forced `json` tool, that tool's input streams as text, and a
 * `tool_use` stop it alone caused finishes as `stop`.
 * @see https://docs.aws.amazon.com/bedrock/latest/APIReference/API_runtime_ConverseStreamOutput.html
 */
export function translateBedrockEvent(
  event: ConverseStreamOutput,
  state: BedrockStreamState,
  out: AdapterDelta[],
): boolean {
  if (event.contentBlockDelta !== undefined) {
    translateDelta(event.contentBlockDelta, state, out);
    return false;
  }
  if (event.messageStart !== undefined) {
    startMessage(state, out);
    return false;
  }
  if (event.contentBlockStart !== undefined) {
    startBlock(event.contentBlockStart, state, out);
    return false;
  }
  if (event.contentBlockStop !== undefined) {
    stopBlock(event.contentBlockStop.contentBlockIndex ?? 0, state, out);
    return false;
  }
  if (event.messageStop !== undefined) {
    state.stopReason = event.messageStop.stopReason;
    state.stopped = true;
    return false;
  }
  if (event.metadata !== undefined) {
    out.push({ type: 'usage', usage: usageOfBedrock(event.metadata.usage) });
    if (!state.stopped) return false; // metadata before messageStop: the finish is still to come
    finish(state, out);
    return true;
  }
  for (const member in IN_BAND_EXCEPTIONS) {
    const value = (event as unknown as Record<string, unknown>)[member];
    if (value !== undefined) throw bedrockStreamError(member, value, state.provider);
  }
  return false; // an event added after this adapter was written
}

/** Deltas due when the event stream has ended: the finish of a response whose `metadata` never came. */
export function endBedrockStream(state: BedrockStreamState, out: AdapterDelta[]): void {
  if (state.stopped && !state.finished) finish(state, out);
}

function startMessage(state: BedrockStreamState, out: AdapterDelta[]): void {
  if (state.started) return; // one message per response: a repeated messageStart says nothing new
  state.started = true;
  out.push(
    state.responseId === undefined
      ? { type: 'start', model: state.model }
      : { type: 'start', model: state.model, responseId: state.responseId },
  );
}

function startBlock(event: ContentBlockStartEvent, state: BedrockStreamState, out: AdapterDelta[]): void {
  const toolUse = event.start?.toolUse;
  if (toolUse === undefined) return; // image and tool-result blocks of server-side features
  const index = event.contentBlockIndex ?? 0;
  if (state.jsonAnswerTool && toolUse.name === JSON_ANSWER_TOOL) {
    state.blocks[index] = 'json_answer';
    state.answeredByJsonTool = true;
    return;
  }
  state.blocks[index] = 'tool_use';
  state.calledTools = true;
  out.push({ type: 'tool_call', index, id: toolUse.toolUseId, name: toolUse.name });
}

function translateDelta(event: ContentBlockDeltaEvent, state: BedrockStreamState, out: AdapterDelta[]): void {
  const delta = event.delta;
  if (delta === undefined) return;
  if (delta.text !== undefined) {
    if (delta.text !== '') out.push({ type: 'text', delta: delta.text });
    return;
  }
  if (delta.toolUse !== undefined) {
    const index = event.contentBlockIndex ?? 0;
    const input = delta.toolUse.input;
    if (input === undefined || input === '') return;
    const kind = state.blocks[index];
    if (kind === 'json_answer') {
      state.jsonAnswerStreamed = true;
      out.push({ type: 'text', delta: input });
    } else if (kind === 'tool_use') out.push({ type: 'tool_call', index, argumentsDelta: input });
    return;
  }
  const reasoning = delta.reasoningContent;
  if (reasoning === undefined) return; // citations, images, tool results and future deltas
  if (reasoning.text !== undefined) {
    if (reasoning.text !== '') out.push({ type: 'reasoning', delta: reasoning.text });
  } else if (reasoning.signature !== undefined) {
    // Kept on a reasoning delta so the caller can send the reasoning block back.
    out.push({ type: 'reasoning', delta: '', signature: reasoning.signature });
  } else if (reasoning.redactedContent !== undefined) {
    // Encrypted reasoning: sent back unchanged on the next turn (as bytes again).
    // The SDK gives the blob as bytes; the direct transport as the base64 text of the wire.
    const data = reasoning.redactedContent as Uint8Array | string;
    out.push({
      type: 'reasoning',
      delta: '',
      redactedData: typeof data === 'string' ? data : base64Of(data),
    });
  }
}

function stopBlock(index: number, state: BedrockStreamState, out: AdapterDelta[]): void {
  const kind = state.blocks[index];
  state.blocks[index] = undefined;
  if (kind === 'tool_use') out.push({ type: 'tool_call_end', index });
  else if (kind === 'json_answer' && !state.jsonAnswerStreamed) out.push({ type: 'text', delta: '{}' });
}

function finish(state: BedrockStreamState, out: AdapterDelta[]): void {
  state.finished = true;
  const rawReason = state.stopReason;
  // A tool_use stop whose only tool use was the json answer is a finished answer.
  const reason =
    rawReason === 'tool_use' && state.answeredByJsonTool && !state.calledTools
      ? 'stop'
      : mapBedrockFinishReason(rawReason);
  out.push(rawReason === undefined ? { type: 'finish', reason } : { type: 'finish', reason, rawReason });
}

function base64Of(bytes: Uint8Array): string {
  return bytesToBase64(bytes);
}
