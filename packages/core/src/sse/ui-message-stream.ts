/**
 * The AI SDK's UI message stream protocol (v1) from tokenwire events, so that `useChat` from
 * `@ai-sdk/react` (and AI Elements) reads a tokenwire backend unchanged: each event becomes the
 * chunks the SDK expects (`text-start`/`-delta`/`-end`, `reasoning-*`, `tool-input-*`,
 * `tool-output-*`, `start-step`/`finish-step`, `data-object`, `error`, `finish`), one JSON per SSE
 * `data:` line, then `data: [DONE]`.
 * @see https://ai-sdk.dev/docs/ai-sdk-ui/stream-protocol#ui-message-stream-protocol
 */

import { toTokenwireError } from '../model/errors.js';
import type { FinishEvent, FinishReason, StreamEvent, Usage } from '../model/types.js';
import { type ResumableOptions, StreamPump } from './resumable-sse.js';
import { eventBody, sseHeaders } from './sse.js';
import { pumpBody } from './sse-resume.js';
import type { EventEncoder } from './sse-wire.js';

/**
 * The response headers of a UI message stream: `sseHeaders` and `x-vercel-ai-ui-message-stream: v1`,
 * which tells the AI SDK's transport which protocol the body speaks.
 */
export const uiMessageStreamHeaders: Readonly<Record<string, string>> = Object.freeze({
  ...sseHeaders,
  'x-vercel-ai-ui-message-stream': 'v1',
});

/** Options of `toUIMessageStream`: with a `coordinator`, the stream is resumable, as with `toSSE`. */
export interface UIMessageStreamOptions extends Partial<ResumableOptions> {
  /** The `messageId` of the `start` chunk. Default: none (the client makes one). */
  messageId?: string;
}

/**
 * What the `finish` chunk carries as `messageMetadata` (the SDK's own finish reasons cannot say
 * `cancelled` or `awaiting_approval`): tokenwire's finish reason, the usage and the stream's id.
 */
export interface UIMessageMetadata {
  finishReason?: FinishReason | 'error';
  usage?: Usage;
  /** The resumable stream's id: resume it with `resumeSSE(coordinator, \`${streamId}:0\`)`, stop it with `cancelSSE`. */
  streamId?: string;
}

/**
 * Turns a stream of events into an AI SDK UI message stream (protocol v1) over SSE, ready to be
 * returned as `new Response(toUIMessageStream(stream), { headers: uiMessageStreamHeaders })` to
 * `useChat` from `@ai-sdk/react`. With a `coordinator` every record gets tokenwire's resume id
 * (`id: <streamId>:<seq>`) and is stored, so `resumeSSE` serves it again on any replica — from
 * `<streamId>:0` for `useChat`'s resume, which replays the stream — and `cancelSSE` stops it.
 * A partial object goes out as a `data-object` part (one part, replaced as it grows); a
 * `tool_approval_request` as `tool-approval-request`. Errors carry their message only.
 */
export function toUIMessageStream(
  stream: AsyncIterable<StreamEvent>,
  options: UIMessageStreamOptions = {},
): ReadableStream<Uint8Array> {
  const { messageId, coordinator, ...resumable } = options;
  if (coordinator === undefined) return eventBody(stream, uiMessageEncoder(messageId, undefined));
  const streamId = resumable.streamId ?? globalThis.crypto.randomUUID();
  const encoder = uiMessageEncoder(messageId, streamId);
  return pumpBody(new StreamPump(stream, { ...resumable, coordinator, streamId }, encoder));
}

type Chunk = Record<string, unknown> & { type: string };

/** What the encoder has open: a text or reasoning part, the current step, the calls begun. */
interface UIState {
  parts: number;
  text: string | undefined;
  reasoning: string | undefined;
  inStep: boolean;
  calls: Set<string>;
}

/** The encoder of one UI message stream (exported for tests). */
export function uiMessageEncoder(messageId: string | undefined, streamId: string | undefined): EventEncoder {
  const state: UIState = { parts: 0, text: undefined, reasoning: undefined, inStep: false, calls: new Set() };
  return {
    encode: (event) => records(chunksOf(event, state, messageId, streamId), event),
    fail: (error) => records([{ type: 'error', errorText: toTokenwireError(error).message }], undefined),
  };
}

function records(chunks: Chunk[], event: StreamEvent | undefined): string {
  let text = '';
  for (const chunk of chunks) text += `data: ${JSON.stringify(chunk)}\n\n`;
  if (event === undefined || event.type === 'finish' || event.type === 'error') text += 'data: [DONE]\n\n';
  // A record must hold something: an event with no chunk (a partial object before any) is a comment.
  return text === '' ? ':\n\n' : text;
}

function chunksOf(
  event: StreamEvent,
  state: UIState,
  messageId: string | undefined,
  streamId: string | undefined,
): Chunk[] {
  const out: Chunk[] = [];
  switch (event.type) {
    case 'start': {
      const start: Chunk = messageId === undefined ? { type: 'start' } : { type: 'start', messageId };
      // The stream's id comes first, so that a client can stop or resume it before it ends.
      if (streamId !== undefined) start.messageMetadata = { streamId } satisfies UIMessageMetadata;
      out.push(start);
      break;
    }
    case 'step_start':
      closeStep(state, out);
      openStep(state, out);
      break;
    case 'step_finish':
      closeStep(state, out);
      break;
    case 'finish':
      closeStep(state, out);
      out.push(finishChunk(event, streamId));
      break;
    case 'error':
      closeStep(state, out);
      out.push({ type: 'error', errorText: event.error.message });
      break;
    default:
      contentChunks(event, state, out);
  }
  return out;
}

/** The chunks of the answer's parts: text, reasoning, tool calls and results, partial objects. */
function contentChunks(event: StreamEvent, state: UIState, out: Chunk[]): void {
  switch (event.type) {
    case 'token':
      if (event.content === '') break;
      openStep(state, out);
      closeReasoning(state, out);
      if (state.text === undefined) {
        state.text = `text-${++state.parts}`;
        out.push({ type: 'text-start', id: state.text });
      }
      out.push({ type: 'text-delta', id: state.text, delta: event.content });
      break;
    case 'reasoning':
      openStep(state, out);
      closeText(state, out);
      if (state.reasoning === undefined) {
        state.reasoning = `reasoning-${++state.parts}`;
        out.push({ type: 'reasoning-start', id: state.reasoning });
      }
      if (event.content !== '')
        out.push({ type: 'reasoning-delta', id: state.reasoning, delta: event.content });
      break;
    case 'tool_call_chunk':
    case 'tool_call_complete':
    case 'tool_result':
      toolChunks(event, state, out);
      break;
    case 'tool_approval_request':
      out.push({ type: 'tool-approval-request', approvalId: event.approvalId, toolCallId: event.toolCallId });
      break;
    case 'partial_object':
      out.push({ type: 'data-object', id: 'object', data: event.object ?? null });
      break;
  }
}

/** The chunks of a tool call: its input as it streams, the whole input (or its error), its output. */
function toolChunks(
  event: Extract<StreamEvent, { type: 'tool_call_chunk' | 'tool_call_complete' | 'tool_result' }>,
  state: UIState,
  out: Chunk[],
): void {
  switch (event.type) {
    case 'tool_call_chunk':
      beginCall(state, out, event.id, event.name);
      if (event.argumentsDelta !== '')
        out.push({ type: 'tool-input-delta', toolCallId: event.id, inputTextDelta: event.argumentsDelta });
      break;
    case 'tool_call_complete':
      beginCall(state, out, event.id, event.name);
      if (event.inputError !== undefined) {
        const errorText = event.inputError.message;
        out.push({
          type: 'tool-input-error',
          toolCallId: event.id,
          toolName: event.name,
          input: event.arguments,
          errorText,
        });
      } else
        out.push({
          type: 'tool-input-available',
          toolCallId: event.id,
          toolName: event.name,
          input: event.input,
        });
      break;
    case 'tool_result':
      if (event.isError === true)
        out.push({
          type: 'tool-output-error',
          toolCallId: event.toolCallId,
          errorText: errorText(event.output),
        });
      else
        out.push({
          type: 'tool-output-available',
          toolCallId: event.toolCallId,
          output: event.output ?? null,
        });
      break;
  }
}

function finishChunk(event: FinishEvent, streamId: string | undefined): Chunk {
  const messageMetadata: UIMessageMetadata = { finishReason: event.reason, usage: event.usage };
  if (streamId !== undefined) messageMetadata.streamId = streamId;
  const reason = AI_SDK_REASONS[event.reason];
  return reason === undefined
    ? { type: 'finish', messageMetadata }
    : { type: 'finish', finishReason: reason, messageMetadata };
}

// The SDK has no word for a cancelled stream or one waiting for approvals: the metadata says it.
const AI_SDK_REASONS: Partial<Record<FinishEvent['reason'], string>> = {
  stop: 'stop',
  length: 'length',
  tool_calls: 'tool-calls',
  content_filter: 'content-filter',
  awaiting_approval: 'tool-calls',
  other: 'other',
};

function beginCall(state: UIState, out: Chunk[], toolCallId: string, toolName: string): void {
  if (state.calls.has(toolCallId)) return;
  openStep(state, out);
  closeText(state, out);
  closeReasoning(state, out);
  state.calls.add(toolCallId);
  out.push({ type: 'tool-input-start', toolCallId, toolName });
}

function openStep(state: UIState, out: Chunk[]): void {
  if (state.inStep) return;
  state.inStep = true;
  out.push({ type: 'start-step' });
}

function closeStep(state: UIState, out: Chunk[]): void {
  closeText(state, out);
  closeReasoning(state, out);
  if (!state.inStep) return;
  state.inStep = false;
  out.push({ type: 'finish-step' });
}

function closeText(state: UIState, out: Chunk[]): void {
  if (state.text === undefined) return;
  out.push({ type: 'text-end', id: state.text });
  state.text = undefined;
}

function closeReasoning(state: UIState, out: Chunk[]): void {
  if (state.reasoning === undefined) return;
  out.push({ type: 'reasoning-end', id: state.reasoning });
  state.reasoning = undefined;
}

function errorText(output: unknown): string {
  return typeof output === 'string' ? output : JSON.stringify(output ?? null);
}
