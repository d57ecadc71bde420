import type { Message, ToolCall } from '@tokenwire/core';
import { toolCallArguments, toolCallInput, toolResultText } from '@tokenwire/core/adapter';
import { isPlainObject } from '@tokenwire/core/internal';
import type {
  ResponseFunctionShellCallOutputContent,
  ResponseInputItem,
} from 'openai/resources/responses/responses';
import { imageUrl } from './openai-chat-messages.js';
import { toResponsesOutputParts } from './openai-file-parts.js';
import {
  type CallerRunBuiltIn,
  type DeclaredTools,
  isCallerRunBuiltIn,
  type LocalShellItemIds,
} from './openai-responses-tools.js';

/** What mapping the tool calls and results of a conversation needs to know. */
export interface ToolItemContext {
  declared: DeclaredTools;
  /** The conversation's calls by id: a `tool` message goes back as the output of its call's kind. */
  callsById: ReadonlyMap<string, ToolCall>;
  /** Item ids of the `local_shell_call`s this adapter streamed. */
  localShellItemIds?: LocalShellItemIds | undefined;
}

type ToolMessage = Extract<Message, { role: 'tool' }>;

/**
 * How a call of this name goes back: a declared function or custom tool wins, then the caller-run
 * built-ins by their names; anything else is a function call, as it came.
 */
function callKind(
  name: string | undefined,
  declared: DeclaredTools,
): 'function' | 'custom' | CallerRunBuiltIn {
  if (name === undefined || declared.functions.has(name)) return 'function';
  if (declared.custom.has(name)) return 'custom';
  return isCallerRunBuiltIn(name) ? name : 'function';
}

/** The calls of a conversation by id. */
export function callsById(messages: readonly Message[]): Map<string, ToolCall> {
  const calls = new Map<string, ToolCall>();
  for (const message of messages) {
    if (message.role === 'assistant') for (const call of message.toolCalls ?? []) calls.set(call.id, call);
  }
  return calls;
}

/**
 * The input item of an assistant's tool call: `function_call`, `custom_tool_call` (its free-form
 * input as it came), or the original item of a caller-run built-in, its input parsed from the
 * arguments (`apply_patch_call` with `operation`, `shell_call` and `local_shell_call` with `action`).
 *
 * @see https://platform.openai.com/docs/api-reference/responses/create#responses-create-input
 */
export function toCallItem(call: ToolCall, context: ToolItemContext): ResponseInputItem {
  const callId = call.id;
  switch (callKind(call.name, context.declared)) {
    case 'custom':
      return { type: 'custom_tool_call', call_id: callId, name: call.name, input: call.arguments };
    case 'apply_patch': {
      const operation = toolCallInput(call) as unknown as ResponseInputItem.ApplyPatchCall['operation'];
      return { type: 'apply_patch_call', call_id: callId, operation, status: 'completed' };
    }
    case 'shell': {
      const action = toolCallInput(call) as unknown as ResponseInputItem.ShellCall['action'];
      return { type: 'shell_call', call_id: callId, action, status: 'completed' };
    }
    case 'local_shell':
      return localShellCall(call, context);
    default:
      // Arguments that are not a JSON object are sent as {}, as on every provider.
      return { type: 'function_call', call_id: callId, name: call.name, arguments: toolCallArguments(call) };
  }
}

/**
 * The SDK types a `local_shell_call` input with its item `id` (`lsh_…`): sent when this adapter
 * streamed the call, left out otherwise (a call streamed by another process, or a long time ago).
 */
function localShellCall(call: ToolCall, context: ToolItemContext): ResponseInputItem {
  const action = toolCallInput(call) as unknown as ResponseInputItem.LocalShellCall['action'];
  const item: Omit<ResponseInputItem.LocalShellCall, 'id'> & { id?: string } = {
    type: 'local_shell_call',
    call_id: call.id,
    action,
    status: 'completed',
  };
  const itemId = context.localShellItemIds?.get(call.id);
  if (itemId !== undefined) item.id = itemId;
  return item as ResponseInputItem;
}

/**
 * The input item of a `tool` message: the output item of the kind of call it answers
 * (`function_call_output`, `custom_tool_call_output`, `apply_patch_call_output` with `status`
 * `failed` for an `isError` result, `shell_call_output`, `local_shell_call_output`).
 *
 * @see https://developers.openai.com/api/docs/guides/tools-apply-patch
 * @see https://developers.openai.com/api/docs/guides/tools-shell
 * @see https://developers.openai.com/api/docs/guides/tools-local-shell
 */
export function toOutputItem(message: ToolMessage, context: ToolItemContext): ResponseInputItem {
  const callId = message.toolCallId;
  const call = context.callsById.get(callId);
  const output = toolResultText(message.content);
  const parts =
    typeof message.content === 'string' ? undefined : toResponsesOutputParts(message.content, imageUrl);
  switch (callKind(call?.name ?? message.name, context.declared)) {
    case 'custom':
      return { type: 'custom_tool_call_output', call_id: callId, output };
    case 'apply_patch':
      return {
        type: 'apply_patch_call_output',
        call_id: callId,
        status: message.isError === true ? 'failed' : 'completed',
        output,
      };
    case 'shell':
      return shellCallOutput(message, call);
    case 'local_shell': {
      // The SDK names the call's id `id`; the API reference's required fields and working clients
      // name it `call_id`. Both carry the call id, so either reading finds the call.
      const item: ResponseInputItem.LocalShellCallOutput & { call_id: string } = {
        type: 'local_shell_call_output',
        id: callId,
        call_id: callId,
        output,
      };
      return item;
    }
    default:
      return { type: 'function_call_output', call_id: callId, output: parts ?? output };
  }
}

/**
 * A `shell_call_output`. A result that is the output array the API takes (`[{ stdout, stderr,
 * outcome }]`), or an object with it as `output` (and `max_output_length`), is sent as is; other
 * text is one entry: stdout with exit code 0, or, for an `isError` result, stderr with exit code 1.
 * `max_output_length` comes from the result, else from the call's action, as the API asks.
 */
function shellCallOutput(
  message: ToolMessage,
  call: ToolCall | undefined,
): ResponseInputItem.ShellCallOutput {
  const text = toolResultText(message.content);
  const structured = structuredShellOutput(text);
  const failed = message.isError === true;
  const item: ResponseInputItem.ShellCallOutput = {
    type: 'shell_call_output',
    call_id: message.toolCallId,
    output: structured?.output ?? [
      {
        stdout: failed ? '' : text,
        stderr: failed ? text : '',
        outcome: { type: 'exit', exit_code: failed ? 1 : 0 },
      },
    ],
  };
  const maxOutputLength =
    structured?.maxOutputLength ?? (call === undefined ? undefined : toolCallInput(call).max_output_length);
  if (typeof maxOutputLength === 'number') item.max_output_length = maxOutputLength;
  return item;
}

type ShellOutput = { output: ResponseFunctionShellCallOutputContent[]; maxOutputLength?: unknown };

function structuredShellOutput(content: string): ShellOutput | undefined {
  const text = content.trimStart();
  if (!text.startsWith('[') && !text.startsWith('{')) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (isShellOutputArray(parsed)) return { output: parsed };
  if (isPlainObject(parsed) && isShellOutputArray(parsed.output)) {
    return { output: parsed.output, maxOutputLength: parsed.max_output_length };
  }
  return undefined;
}

function isShellOutputArray(value: unknown): value is ResponseFunctionShellCallOutputContent[] {
  return (
    Array.isArray(value) &&
    value.length > 0 &&
    value.every(
      (entry) =>
        isPlainObject(entry) &&
        typeof entry.stdout === 'string' &&
        typeof entry.stderr === 'string' &&
        isPlainObject(entry.outcome) &&
        (entry.outcome.type === 'exit' || entry.outcome.type === 'timeout'),
    )
  );
}
