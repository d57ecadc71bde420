/**
 * The wire form of events in `toSSE`/`parseSSE`: each event's delta, never its accumulated fields,
 * so the bytes sent grow with the answer, not with its square (a 40 KB answer was 161 MB). The
 * decoder rebuilds the full events. A token of a runtime stream is the default SSE event (no
 * `event:` line) whose data is the text itself; every other event is `event: <type>` with JSON.
 */

import type { TokenwireErrorCode } from '../model/errors.js';
import { TokenwireError, toTokenwireError } from '../model/errors.js';
import { estimateQuarterTokens } from '../model/estimate-tokens.js';
import type { FinishEvent, PartialResult, StreamEvent, TokenChunk, ToolCall } from '../model/types.js';
import { PartialJsonParser } from '../runtime/partial-json.js';
import { PartialArguments, ToolCallChunkEvent } from '../runtime/tool-call-chunk.js';
import { assistantTurnOf, isOwnTurn } from '../tools/assistant-turn.js';
import { failureEvent } from './sse-failure.js';

/** What both ends track to rebuild accumulated fields: the same on each side of the wire. */
export interface WireState {
  content: string;
  /** The decoder's parse of the content, for the partial objects it rebuilds. */
  answer: PartialJsonParser | undefined;
  /** Token texts the parse has not read yet (references: the content is made of them). */
  unparsed: string[];
  /** Each call's fragments, for the partial inputs the decoder rebuilds, by call position. */
  partials: PartialArguments[];
  reasoning: string;
  /** Arguments so far, by call position. */
  arguments: string[];
  /** The calls completed so far, in order. */
  completed: ToolCall[];
  model: string | undefined;
  /** Answer size in quarter tokens, for the token estimates. */
  units: number;
}

/** A fresh state for one stream. */
export function wireState(): WireState {
  return {
    content: '',
    answer: undefined,
    unparsed: [],
    partials: [],
    reasoning: '',
    arguments: [],
    completed: [],
    model: undefined,
    units: 0,
  };
}

/** Turns a stream's events into SSE records, one encoder per stream (it keeps what was sent). */
export interface EventEncoder {
  /** One event as the records that carry it. */
  encode(event: StreamEvent): string;
  /** The records that end the body when the source throws. */
  fail(error: unknown): string;
}

/** The encoder of `toSSE`: tokenwire's own events, as deltas. */
export function tokenwireEncoder(): EventEncoder {
  const state = wireState();
  return {
    encode: (event) => encodeEvent(event, state),
    fail: (error) => encodeEvent(failureEvent(error, state), state),
  };
}

/** One event as an SSE record, updating `state`. */
export function encodeEvent(event: StreamEvent, state: WireState): string {
  switch (event.type) {
    case 'token':
      return encodeToken(event, state);
    case 'reasoning': {
      state.reasoning = event.accumulatedReasoning;
      const { accumulatedReasoning: _rebuilt, type: _type, ...delta } = event;
      return record('reasoning', delta);
    }
    case 'tool_call_chunk': {
      state.arguments[event.index] = event.arguments;
      const { arguments: _rebuilt, type: _type, ...delta } = event;
      return record('tool_call_chunk', delta);
    }
    case 'tool_call_complete': {
      state.completed.push({
        id: event.id,
        name: event.name,
        arguments: event.arguments,
        input: event.input,
      });
      const { type: _type, inputError, ...complete } = event;
      return record(
        'tool_call_complete',
        inputError === undefined ? complete : { ...complete, inputError: errorJSON(inputError) },
      );
    }
    case 'start':
      state.model = event.model;
      return record('start', withoutType(event));
    case 'finish': {
      const fields = withoutRebuilt(withoutType(event), state);
      // A single answer's turn is rebuilt from the fields beside it: its text is not sent twice.
      if (isOwnTurn(event.messages, event)) delete fields.messages;
      return record('finish', fields);
    }
    case 'tool_result':
    case 'tool_approval_request':
    case 'step_start':
    case 'step_finish':
      return record(event.type, withoutType(event));
    case 'error':
      return record('error', {
        error: errorJSON(event.error),
        partial: withoutRebuilt({ ...event.partial }, state),
      });
    case 'partial_object':
      // The object is the parse of the tokens sent so far: the decoder parses them again.
      return 'event: partial_object\ndata: {}\n\n';
  }
}

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
    case 'tool_call_chunk': {
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
    case 'partial_object': {
      const answer = state.answer ?? new PartialJsonParser();
      state.answer = answer;
      for (const text of state.unparsed) answer.push(text);
      state.unparsed.length = 0;
      return { type, object: answer.value } as StreamEvent;
    }
    case 'tool_call_complete': {
      const event = { ...fields, type } as Record<string, unknown>;
      if (event.inputError !== undefined) event.inputError = reviveError(event.inputError);
      state.completed.push({
        id: String(event.id),
        name: String(event.name),
        arguments: String(event.arguments),
        input: event.input,
      });
      return event as unknown as StreamEvent;
    }
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

function encodeToken(event: TokenChunk, state: WireState): string {
  const before = state.units;
  state.units += estimateQuarterTokens(event.content);
  const totalTokens = Math.ceil(state.units / 4);
  const tokenCount = totalTokens - Math.ceil(before / 4);
  state.content = event.accumulatedContent;
  const derivable =
    event.finishReason === null &&
    event.model === state.model &&
    event.tokenCount === tokenCount &&
    event.totalTokens === totalTokens &&
    !event.content.includes('\r');
  if (derivable) return `data: ${event.content.replaceAll('\n', '\ndata: ')}\n\n`;
  state.model = event.model;
  const { content, model, finishReason } = event;
  return record('token', {
    content,
    tokenCount: event.tokenCount,
    totalTokens: event.totalTokens,
    model,
    finishReason,
  });
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

/** A finish or partial without what the other side has already: the text and the completed calls. */
function withoutRebuilt(fields: Record<string, unknown>, state: WireState): Record<string, unknown> {
  if (fields.content === state.content) delete fields.content;
  if (fields.reasoning === state.reasoning) delete fields.reasoning;
  if (sameCalls(fields.toolCalls as ToolCall[] | undefined, state.completed)) delete fields.toolCalls;
  return fields;
}

function withRebuilt(fields: Record<string, unknown>, state: WireState): Record<string, unknown> {
  return {
    ...fields,
    content: fields.content ?? state.content,
    reasoning: fields.reasoning ?? state.reasoning,
    toolCalls: fields.toolCalls ?? state.completed,
  };
}

function sameCalls(calls: ToolCall[] | undefined, completed: ToolCall[]): boolean {
  if (calls === undefined || calls.length !== completed.length) return false;
  return calls.every((call, index) => {
    const other = completed[index] as ToolCall;
    return (
      call.id === other.id &&
      call.name === other.name &&
      call.arguments === other.arguments &&
      call.input === other.input
    );
  });
}

function record(type: string, payload: unknown): string {
  return `event: ${type}\ndata: ${JSON.stringify(payload)}\n\n`;
}

function withoutType<Event extends { type: string }>(event: Event): Record<string, unknown> {
  const { type: _type, ...fields } = event;
  return fields;
}

function errorJSON(error: unknown): Record<string, unknown> {
  // A TokenwireError from another copy of core has toJSON too; anything else is wrapped first.
  return toTokenwireError(error).toJSON();
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
