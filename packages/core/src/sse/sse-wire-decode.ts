/**
 * The decoding half of tokenwire's SSE wire (see sse-wire.ts): each record back into the full
 * event, its accumulated fields rebuilt from the state both ends track.
 */
import type { TokenwireErrorCode } from '../model/errors.js';
import { TokenwireError } from '../model/errors.js';
import { estimateQuarterTokens } from '../model/estimate-tokens.js';
import type { FinishEvent, PartialResult, StreamEvent, TokenChunk } from '../model/types.js';
import { PartialJsonParser } from '../runtime/partial-json.js';
import { PartialArguments, ToolCallChunkEvent } from '../runtime/tool-call-chunk.js';
import { assistantTurnOf } from '../tools/assistant-turn.js';
import type { WireState } from './sse-wire.js';

/** Rebuilds the event of one SSE record (`type` undefined for the default event), updating `state`. */
export function decodeEvent(
  type: string | undefined,
  data: string,
  state: WireState,
): StreamEvent | undefined {
  if (type === undefined || type === 'message') return tokenOf(data, undefined, state);
  const fields = jsonOf(type, data);
  switch (type) {
    case 'token':
      return tokenOf(String(fields.content ?? ''), fields, state);
    case 'reasoning':
      state.reasoning += String(fields.content ?? '');
      return { ...fields, type, accumulatedReasoning: state.reasoning } as unknown as StreamEvent;
    case 'tool_call_chunk':
      return toolCallChunkOf(fields, state);
    case 'partial_object':
      return partialObjectOf(state);
    case 'tool_call_complete':
      return completedCallOf(fields, state);
    case 'start':
      state.model = typeof fields.model === 'string' ? fields.model : state.model;
      return { ...fields, type } as unknown as StreamEvent;
    case 'finish': {
      const finish = { ...withRebuilt(fields, state), type } as unknown as FinishEvent;
      finish.messages ??= [assistantTurnOf(finish)];
      return finish;
    }
    case 'tool_result':
    case 'tool_approval_request':
    case 'step_start':
    case 'step_finish':
    case 'file':
      return { ...fields, type } as unknown as StreamEvent;
    case 'error':
      return {
        type,
        error: reviveError(fields.error),
        partial: withRebuilt(
          (fields.partial ?? {}) as Record<string, unknown>,
          state,
        ) as unknown as PartialResult,
      };
    default:
      return undefined; // not a stream event: ignored
  }
}

/** A call's fragment, its arguments so far and its partial input rebuilt from the earlier ones. */
function toolCallChunkOf(fields: Record<string, unknown>, state: WireState): StreamEvent {
  const index = Number(fields.index);
  const delta = String(fields.argumentsDelta ?? '');
  state.arguments[index] = (state.arguments[index] ?? '') + delta;
  const partial = state.partials[index] ?? new PartialArguments();
  state.partials[index] = partial;
  partial.add(delta);
  const { id, name } = fields as { id: string; name: string };
  return new ToolCallChunkEvent(
    index,
    id,
    name,
    delta,
    state.arguments[index] as string,
    partial,
  ) as StreamEvent;
}

/** The object is the parse of the tokens so far: the encoder sends none, the decoder parses them again. */
function partialObjectOf(state: WireState): StreamEvent {
  const answer = state.answer ?? new PartialJsonParser();
  state.answer = answer;
  for (const text of state.unparsed) answer.push(text);
  state.unparsed.length = 0;
  return { type: 'partial_object', object: answer.value } as StreamEvent;
}

function completedCallOf(fields: Record<string, unknown>, state: WireState): StreamEvent {
  const event = { ...fields, type: 'tool_call_complete' } as Record<string, unknown>;
  if (event.inputError !== undefined) event.inputError = reviveError(event.inputError);
  state.completed.push({
    id: String(event.id),
    name: String(event.name),
    arguments: String(event.arguments),
    input: event.input,
  });
  return event as unknown as StreamEvent;
}

function tokenOf(content: string, fields: Record<string, unknown> | undefined, state: WireState): TokenChunk {
  const before = state.units;
  state.units += estimateQuarterTokens(content);
  const totalTokens = Math.ceil(state.units / 4);
  state.content += content;
  state.unparsed.push(content);
  if (fields !== undefined && typeof fields.model === 'string') state.model = fields.model;
  return {
    type: 'token',
    content,
    accumulatedContent: state.content,
    tokenCount:
      typeof fields?.tokenCount === 'number' ? fields.tokenCount : totalTokens - Math.ceil(before / 4),
    totalTokens: typeof fields?.totalTokens === 'number' ? fields.totalTokens : totalTokens,
    model: state.model ?? '',
    finishReason: (fields?.finishReason as TokenChunk['finishReason'] | undefined) ?? null,
  };
}

function withRebuilt(fields: Record<string, unknown>, state: WireState): Record<string, unknown> {
  return {
    ...fields,
    content: fields.content ?? state.content,
    reasoning: fields.reasoning ?? state.reasoning,
    toolCalls: fields.toolCalls ?? state.completed,
  };
}

function jsonOf(type: string, data: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(data);
  } catch (error) {
    throw new TokenwireError({
      code: 'invalid_response',
      message: `The SSE event "${type}" does not carry JSON: ${data.slice(0, 200)}`,
      cause: error,
    });
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new TokenwireError({
      code: 'invalid_response',
      message: `The SSE event "${type}" does not carry a JSON object: ${data.slice(0, 200)}`,
    });
  }
  return value as Record<string, unknown>;
}

// A record, so that adding a code to TokenwireErrorCode without listing it here fails to compile.
const ERROR_CODES: Record<TokenwireErrorCode, true> = {
  authentication: true,
  permission: true,
  rate_limit: true,
  quota_exceeded: true,
  context_length: true,
  invalid_request: true,
  not_found: true,
  content_filter: true,
  overloaded: true,
  server: true,
  connection: true,
  timeout: true,
  invalid_response: true,
  configuration: true,
  unknown: true,
};

function reviveError(value: unknown): TokenwireError {
  const fields = (typeof value === 'object' && value !== null ? value : {}) as Record<string, unknown>;
  const code = typeof fields.code === 'string' && fields.code in ERROR_CODES ? fields.code : 'unknown';
  return new TokenwireError({
    code: code as TokenwireErrorCode,
    message: typeof fields.message === 'string' ? fields.message : 'Unknown error',
    provider: typeof fields.provider === 'string' ? fields.provider : undefined,
    status: typeof fields.status === 'number' ? fields.status : undefined,
    retryable: typeof fields.retryable === 'boolean' ? fields.retryable : undefined,
    retryAfterMs: typeof fields.retryAfterMs === 'number' ? fields.retryAfterMs : undefined,
    requestId: typeof fields.requestId === 'string' ? fields.requestId : undefined,
  });
}
