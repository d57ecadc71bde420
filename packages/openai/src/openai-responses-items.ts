/**
 * The output items of a Responses stream that are calls: function and custom tool calls (their
 * arguments streamed), the caller-run built-ins surfaced whole, and the provider's own tools left out.
 */
import type { AdapterDelta } from '@tokenwire/core/adapter';
import type { ResponseOutputItem } from 'openai/resources/responses/responses';
import type { OpenAIResponsesStreamState } from './openai-responses-stream.js';
import { type BuiltInCall, builtInCallOf } from './openai-responses-tools.js';

export function pushArgumentsDelta(
  outputIndex: number,
  delta: string,
  state: OpenAIResponsesStreamState,
  deltas: AdapterDelta[],
): void {
  const call = state.toolCalls.get(outputIndex);
  if (call !== undefined) {
    if (call.serverSide) return;
    call.argumentsReceived = true;
  }
  deltas.push({ type: 'tool_call', index: outputIndex, argumentsDelta: delta });
}

/** Whether a custom tool call is the caller's: the request declared a tool of its name. */
function isDeclared(name: string, state: OpenAIResponsesStreamState): boolean {
  return state.declaredTools.custom.has(name) || state.declaredTools.functions.has(name);
}

export function itemAdded(
  item: ResponseOutputItem,
  outputIndex: number,
  state: OpenAIResponsesStreamState,
  deltas: AdapterDelta[],
): void {
  // Separate message items (e.g. a `commentary` phase, then the `final_answer`) and reasoning
  // items with a blank line, as the one content string has no other way to keep them apart.
  if (item.type === 'message') {
    if (state.textProduced) state.textBreak = true;
    return;
  }
  if (item.type === 'reasoning') {
    if (state.reasoningProduced) state.reasoningBreak = true;
    return;
  }
  if (item.type !== 'function_call' && item.type !== 'custom_tool_call') return;
  if (item.type === 'custom_tool_call' && !isDeclared(item.name, state)) {
    state.toolCalls.set(outputIndex, { argumentsReceived: false, serverSide: true });
    return;
  }
  const argumentsText = item.type === 'function_call' ? item.arguments : item.input;
  state.toolCalls.set(outputIndex, { argumentsReceived: !!argumentsText, serverSide: false });
  deltas.push(toolCallFragment(item.call_id, item.name, argumentsText, outputIndex));
}

export function itemDone(
  item: ResponseOutputItem,
  outputIndex: number,
  state: OpenAIResponsesStreamState,
  deltas: AdapterDelta[],
): void {
  const builtIn = builtInCallOf(item);
  if (builtIn !== undefined) {
    pushBuiltInCall(builtIn, item.id, outputIndex, state, deltas);
    return;
  }
  if (item.type !== 'function_call' && item.type !== 'custom_tool_call') return;
  const call = state.toolCalls.get(outputIndex);
  state.toolCalls.delete(outputIndex);
  if (call?.serverSide === true || (item.type === 'custom_tool_call' && !isDeclared(item.name, state))) {
    return; // the provider's own tool, done: the answer follows in the same response
  }
  const argumentsText = item.type === 'function_call' ? item.arguments : item.input;
  if (call === undefined) {
    // Never announced (a proxy dropped `output_item.added`): the done item has the whole call.
    deltas.push(toolCallFragment(item.call_id, item.name, argumentsText, outputIndex));
  } else if (!call.argumentsReceived && argumentsText) {
    // No argument deltas came: the complete arguments are only on the done item.
    deltas.push({ type: 'tool_call', index: outputIndex, argumentsDelta: argumentsText });
  }
  deltas.push({ type: 'tool_call_end', index: outputIndex });
}

/**
 * A caller-run built-in call, whole: its input streams as raw diff or command text, not as JSON
 * arguments, so the call is surfaced from the done item, which holds the complete input.
 */
function pushBuiltInCall(
  call: BuiltInCall,
  itemId: string | undefined,
  outputIndex: number,
  state: OpenAIResponsesStreamState,
  deltas: AdapterDelta[],
): void {
  if (call.name === 'local_shell' && itemId) state.localShellItemIds?.set(call.callId, itemId);
  deltas.push(toolCallFragment(call.callId, call.name, call.arguments, outputIndex));
  deltas.push({ type: 'tool_call_end', index: outputIndex });
}

function toolCallFragment(
  callId: string | undefined,
  name: string | undefined,
  argumentsText: string | undefined,
  outputIndex: number,
): AdapterDelta {
  const fragment: AdapterDelta & { type: 'tool_call' } = { type: 'tool_call', index: outputIndex };
  if (callId) fragment.id = callId;
  if (name) fragment.name = name;
  if (argumentsText) fragment.argumentsDelta = argumentsText;
  return fragment;
}
