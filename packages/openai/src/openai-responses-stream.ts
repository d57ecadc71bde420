import type { AdapterDelta } from '@tokenwire/core/adapter';
import type { Response, ResponseStreamEvent } from 'openai/resources/responses/responses';
import { mapOpenAIResponsesIncompleteReason } from './map-openai-finish-reason.js';
import { type OpenAIErrorBody, openAIStreamError } from './openai-errors.js';
import { itemAdded, itemDone, pushArgumentsDelta } from './openai-responses-items.js';
import { type DeclaredTools, type LocalShellItemIds, NO_DECLARED_TOOLS } from './openai-responses-tools.js';
import { mapOpenAIResponsesUsage } from './openai-usage.js';

/** What the Responses translator remembers between events of one stream. */
export interface OpenAIResponsesStreamState {
  /** Provider name put on in-band errors. */
  readonly provider: string;
  /** A `start` delta was produced (from `response.created`). */
  started: boolean;
  /** The terminal event arrived; everything after it is ignored. */
  finished: boolean;
  /** The model refused (`response.refusal.delta`): the finish is reported as `content_filter`. */
  refused: boolean;
  /** Text was produced, so the text of a later message item starts on a new paragraph. */
  textProduced: boolean;
  /** A new message item began after earlier text: separate it with a blank line. */
  textBreak: boolean;
  /** Reasoning text was produced, so the next summary part or reasoning item starts on a new paragraph. */
  reasoningProduced: boolean;
  /** A new reasoning part began after earlier reasoning text: separate it with a blank line. */
  reasoningBreak: boolean;
  /**
   * Open function and custom tool calls by `output_index`: whether any argument text arrived for
   * them, and whether the call is the provider's own (a custom tool the request did not declare),
   * whose input is dropped. Keyed by output index because item ids may change within one stream.
   */
  readonly toolCalls: Map<number, { argumentsReceived: boolean; serverSide: boolean }>;
  /** The tools the request declared (set when it is sent): a custom tool call of another name ran at the provider. */
  declaredTools: DeclaredTools;
  /** Where the item ids of `local_shell_call`s are kept for the next request, if anywhere. */
  readonly localShellItemIds: LocalShellItemIds | undefined;
}

/** Options of a Responses API stream's state. */
export interface OpenAIResponsesStreamOptions {
  /** Provider name put on in-band errors. Default `'openai'`. */
  provider?: string;
  /**
   * The function and custom tools the request declared (`declaredToolsOf(params.tools)`). Custom
   * tool calls of other names are the provider's own (xAI reports its search sub-tools so) and
   * produce no deltas. Default none.
   */
  declaredTools?: DeclaredTools;
  /** Keeps the item id of each `local_shell_call`, which goes back with the call. Default none. */
  localShellItemIds?: LocalShellItemIds;
}

/** A fresh state for one Responses API stream. */
export function createOpenAIResponsesStreamState(
  options: OpenAIResponsesStreamOptions = {},
): OpenAIResponsesStreamState {
  return {
    provider: options.provider ?? 'openai',
    started: false,
    finished: false,
    refused: false,
    textProduced: false,
    textBreak: false,
    reasoningProduced: false,
    reasoningBreak: false,
    toolCalls: new Map(),
    declaredTools: options.declaredTools ?? NO_DECLARED_TOOLS,
    localShellItemIds: options.localShellItemIds,
  };
}

/** The in-band `error` event as the API sends it: the error fields nested in `error`, or flat as the SDK types it. */
type ResponsesErrorEvent = { type: 'error'; error?: OpenAIErrorBody | null } & OpenAIErrorBody;

/**
 * Translates one Responses API stream event into adapter deltas: synchronous, no I/O, no copying.
 * Text, refusals, reasoning summaries and reasoning text, and tool calls (keyed by `output_index`)
 * become deltas; `response.completed`/`response.incomplete` finish the stream; `response.failed`
 * and `error` throw a TokenwireError. The caller's tool calls are function calls, calls of the
 * custom tools the request declared (their arguments streamed), and the built-ins OpenAI leaves to
 * the caller: `apply_patch_call`, `local_shell_call`, and `shell_call` outside a hosted container,
 * each surfaced whole when its item is done (as `apply_patch`, `local_shell`, `shell`, the JSON of
 * its `operation` or `action` as arguments). Items the provider runs itself (web search, file
 * search, code interpreter, image generation, MCP, tool search, a hosted shell, undeclared custom
 * tools) and unknown events produce nothing, so they never break the stream. The deltas are
 * appended to `deltas` (a new array by default), which is returned.
 *
 * @see https://platform.openai.com/docs/api-reference/responses-streaming
 */
export function translateOpenAIResponsesEvent(
  event: ResponseStreamEvent | { type: string },
  state: OpenAIResponsesStreamState,
  deltas: AdapterDelta[] = [],
): AdapterDelta[] {
  if (state.finished) return deltas;
  const known = event as ResponseStreamEvent;
  switch (known.type) {
    case 'response.created':
    case 'response.in_progress':
    case 'response.queued':
      if (!state.started) pushStart(known.response, state, deltas);
      break;
    case 'response.output_text.delta':
      pushText(known.delta, state, deltas);
      break;
    case 'response.refusal.delta':
      // A refusal replaces the answer; surface its text so the user sees why.
      state.refused = true;
      pushText(known.delta, state, deltas);
      break;
    case 'response.reasoning_summary_text.delta':
    case 'response.reasoning_text.delta':
      pushReasoning(known.delta, state, deltas);
      break;
    case 'response.reasoning_summary_part.added':
      if (state.reasoningProduced) state.reasoningBreak = true;
      break;
    case 'response.output_item.added':
      itemAdded(known.item, known.output_index, state, deltas);
      break;
    case 'response.function_call_arguments.delta':
    case 'response.custom_tool_call_input.delta':
      if (known.delta !== '') pushArgumentsDelta(known.output_index, known.delta, state, deltas);
      break;
    case 'response.output_item.done':
      itemDone(known.item, known.output_index, state, deltas);
      break;
    case 'response.completed':
    case 'response.incomplete':
    case 'response.failed':
    case 'error':
      endResponse(known, state, deltas);
      break;
    default:
      break; // content parts, annotations, built-in tool progress, future events
  }
  return deltas;
}

/** The response's last event: its usage and finish, or the error it failed with. */
function endResponse(
  known: ResponseStreamEvent,
  state: OpenAIResponsesStreamState,
  deltas: AdapterDelta[],
): void {
  state.finished = true;
  switch (known.type) {
    case 'response.completed':
      pushUsage(known.response, deltas);
      deltas.push(
        state.refused
          ? { type: 'finish', reason: 'content_filter', rawReason: 'refusal' }
          : { type: 'finish', reason: 'stop', rawReason: known.response?.status ?? 'completed' },
      );
      break;
    case 'response.incomplete': {
      const reason = known.response?.incomplete_details?.reason;
      pushUsage(known.response, deltas);
      deltas.push({
        type: 'finish',
        reason: mapOpenAIResponsesIncompleteReason(reason),
        rawReason: reason ?? 'incomplete',
      });
      break;
    }
    case 'response.failed':
      throw openAIStreamError(known.response?.error as OpenAIErrorBody | null, { provider: state.provider });
    case 'error': {
      const errorEvent = known as unknown as ResponsesErrorEvent;
      throw openAIStreamError(errorEvent.error ?? errorEvent, { provider: state.provider });
    }
  }
}

function pushStart(
  response: Response | undefined,
  state: OpenAIResponsesStreamState,
  deltas: AdapterDelta[],
): void {
  if (!response || (!response.id && !response.model)) return;
  state.started = true;
  const start: AdapterDelta & { type: 'start' } = { type: 'start' };
  if (response.model) start.model = response.model;
  if (response.id) start.responseId = response.id;
  deltas.push(start);
}

function pushText(delta: string, state: OpenAIResponsesStreamState, deltas: AdapterDelta[]): void {
  if (delta === '') return;
  state.textProduced = true;
  if (state.textBreak) {
    state.textBreak = false;
    deltas.push({ type: 'text', delta: '\n\n' });
  }
  deltas.push({ type: 'text', delta });
}

function pushReasoning(delta: string, state: OpenAIResponsesStreamState, deltas: AdapterDelta[]): void {
  if (delta === '') return;
  state.reasoningProduced = true;
  if (state.reasoningBreak) {
    state.reasoningBreak = false;
    deltas.push({ type: 'reasoning', delta: '\n\n' });
  }
  deltas.push({ type: 'reasoning', delta });
}

function pushUsage(response: Response | undefined, deltas: AdapterDelta[]): void {
  if (response?.usage) deltas.push({ type: 'usage', usage: mapOpenAIResponsesUsage(response.usage) });
}
