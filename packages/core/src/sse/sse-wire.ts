/**
 * The wire form of events in `toSSE`/`parseSSE`: each event's delta, never its accumulated fields,
 * so the bytes sent grow with the answer, not with its square (a 40 KB answer was 161 MB). The
 * decoder rebuilds the full events. A token of a runtime stream is the default SSE event (no
 * `event:` line) whose data is the text itself; every other event is `event: <type>` with JSON.
 */

import { toTokenwireError } from '../model/errors.js';
import { estimateQuarterTokens } from '../model/estimate-tokens.js';
import type { StreamEvent, TokenChunk, ToolCall } from '../model/types.js';
import type { PartialJsonParser } from '../runtime/partial-json.js';
import type { PartialArguments } from '../runtime/tool-call-chunk.js';
import { isOwnTurn } from '../tools/assistant-turn.js';
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
    case 'file':
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

/** A finish or partial without what the other side has already: the text and the completed calls. */
function withoutRebuilt(fields: Record<string, unknown>, state: WireState): Record<string, unknown> {
  if (fields.content === state.content) delete fields.content;
  if (fields.reasoning === state.reasoning) delete fields.reasoning;
  if (sameCalls(fields.toolCalls as ToolCall[] | undefined, state.completed)) delete fields.toolCalls;
  return fields;
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
