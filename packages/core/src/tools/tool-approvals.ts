/**
 * Tool approvals: a tool with `needsApproval` is not run when the model calls it; the stream ends
 * with `tool_approval_request` events and reason `awaiting_approval`. The conversation is the
 * state: the next request carries each decision as a `tool` message with `approval`, on any
 * replica, after any reload, and the loop runs the call (or sends the refusal) in its place,
 * before the next model step. A decision is used once: a call that has a result already in the
 * conversation is never run again.
 */
import type { TokenwireError } from '../model/errors.js';
import type { ToolApprovalRequestEvent, ToolResultEvent } from '../model/tool-types.js';
import type { Message, ToolApproval, ToolCall } from '../model/types.js';
import { requestProblem } from '../request/request-problem.js';
import type { ToolRunner } from './resolve-tools.js';
import { runToolCall } from './tool-execution.js';

/** A call the conversation decided on: its call (from the assistant turn) and the decision. */
export interface DecidedCall {
  call: ToolCall;
  approval: ToolApproval;
}

/**
 * The conversation without its decisions, and the decisions to carry out: each one's call, found
 * in an earlier assistant turn. A decision on a call that has a result already (used before: the
 * same request replayed) or that no turn made is dropped, not carried out.
 */
export function takeDecisions(messages: readonly Message[]): { messages: Message[]; decided: DecidedCall[] } {
  if (!messages.some(isDecision)) return { messages: messages as Message[], decided: [] };
  const calls = new Map<string, ToolCall>();
  const answered = new Set<string>();
  for (const message of messages) {
    if (message.role === 'assistant') for (const call of message.toolCalls ?? []) calls.set(call.id, call);
    else if (message.role === 'tool' && message.approval === undefined) answered.add(message.toolCallId);
  }
  const decided: DecidedCall[] = [];
  for (const message of messages) {
    if (!isDecision(message) || answered.has(message.toolCallId)) continue;
    const call = calls.get(message.toolCallId);
    if (call === undefined || decided.some((entry) => entry.call.id === call.id)) continue;
    decided.push({ call, approval: message.approval });
  }
  return { messages: messages.filter((message) => !isDecision(message)), decided };
}

/**
 * A decision that the stream could not carry out: its call's tool is not among the request's tools
 * with `execute` (a decision must never reach a provider as a result).
 */
export function decisionProblem(
  messages: readonly Message[],
  runners: ReadonlyMap<string, ToolRunner>,
): TokenwireError | undefined {
  const names = new Map<string, string>();
  for (const [index, message] of messages.entries()) {
    if (message.role === 'assistant')
      for (const call of message.toolCalls ?? []) names.set(call.id, call.name);
    if (!isDecision(message)) continue;
    const name = names.get(message.toolCallId) ?? message.name ?? '';
    if (!runners.has(name))
      return requestProblem(
        `messages[${index}].approval`,
        `decides on a call of ${JSON.stringify(name)}, which is not in tools with execute: pass the tool, so that the stream runs it`,
      );
  }
  return undefined;
}

function isDecision(
  message: Message,
): message is Extract<Message, { role: 'tool' }> & { approval: ToolApproval } {
  return message.role === 'tool' && message.approval !== undefined;
}

/** Carries out one decision: the tool runs when approved; a refusal is an error result for the model. */
export function runDecision(
  decided: DecidedCall,
  runner: ToolRunner | undefined,
  signal: AbortSignal,
  messages: readonly Message[],
): Promise<ToolResultEvent> {
  const { call, approval } = decided;
  if (approval.approved) return runToolCall(call, runner, signal, messages);
  const reason = approval.reason === undefined || approval.reason === '' ? '' : ` Reason: ${approval.reason}`;
  return Promise.resolve({
    type: 'tool_result',
    toolCallId: call.id,
    name: call.name,
    output: `The user refused to run ${call.name}.${reason}`,
    isError: true,
  });
}

/** Whether a call of an executable tool waits for approval (`needsApproval`, given its input). */
export function needsApproval(call: ToolCall, runner: ToolRunner | undefined): boolean {
  const rule = runner?.needsApproval;
  if (rule === undefined || rule === false) return false;
  if (rule === true) return true;
  try {
    return rule(call.input) === true;
  } catch {
    return true; // a rule that throws cannot say the call is safe
  }
}

/** The event that asks for a decision on `call`; its approval id is the call's id. */
export function approvalRequestOf(call: ToolCall): ToolApprovalRequestEvent {
  return {
    type: 'tool_approval_request',
    approvalId: call.id,
    toolCallId: call.id,
    name: call.name,
    input: call.input,
  };
}
