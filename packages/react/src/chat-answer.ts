import type { FinishEvent, StreamEvent } from '@tokenwire/core';
import type { ChatMessage, ChatPart, ChatToolPart, PendingApproval } from './chat-types.js';

type MutablePart =
  | { type: 'text'; text: string }
  | { type: 'reasoning'; text: string }
  | (ChatToolPart & { partial?: { readonly partialInput?: unknown } })
  | { type: 'object'; object: unknown };

/**
 * One assistant answer assembled from its events: text and reasoning joined by part, tool calls by
 * id (their partial input read only when a snapshot is taken), results and approvals on their call.
 * `message()` copies the parts, so that each snapshot is a new value and the last one never changes.
 */
export class ChatAnswer {
  private readonly parts: MutablePart[] = [];
  private readonly calls = new Map<
    string,
    ChatToolPart & { partial?: { readonly partialInput?: unknown } }
  >();
  private objectPart: { type: 'object'; object: unknown } | undefined;
  /** The finish, once it arrived. */
  finish: FinishEvent | undefined;
  /** Whether any content arrived: the first one is shown at once. */
  hasContent = false;

  constructor(readonly id: string) {}

  /** Adds one event; true when it changed what is shown. */
  add(event: StreamEvent): boolean {
    switch (event.type) {
      case 'token':
        return this.addText('text', event.content);
      case 'reasoning':
        return this.addText('reasoning', event.content);
      case 'tool_call_chunk': {
        const call = this.call(event.id, event.name);
        call.partial = event;
        return true;
      }
      case 'tool_call_complete': {
        const call = this.call(event.id, event.name);
        call.partial = undefined;
        call.input = event.input;
        call.state = 'input-available';
        return true;
      }
      case 'tool_result': {
        const call = this.call(event.toolCallId, event.name);
        call.output = event.output;
        call.state = event.isError === true ? 'output-error' : 'output-available';
        call.approvalId = undefined;
        return true;
      }
      case 'tool_approval_request': {
        const call = this.call(event.toolCallId, event.name);
        call.state = 'approval-requested';
        call.approvalId = event.approvalId;
        call.input = event.input;
        return true;
      }
      case 'partial_object':
        if (this.objectPart === undefined) {
          this.objectPart = { type: 'object', object: event.object };
          this.parts.push(this.objectPart);
        } else this.objectPart.object = event.object;
        return true;
      case 'finish':
        this.finish = event;
        return true;
      default:
        return false;
    }
  }

  /** The calls waiting for a decision. */
  pendingApprovals(): PendingApproval[] {
    const pending: PendingApproval[] = [];
    for (const call of this.calls.values()) {
      if (call.state === 'approval-requested' && call.approvalId !== undefined)
        pending.push({
          approvalId: call.approvalId,
          toolCallId: call.toolCallId,
          name: call.name,
          input: call.input,
        });
    }
    return pending;
  }

  /** The answer as shown now. */
  message(): ChatMessage {
    return { id: this.id, role: 'assistant', parts: this.parts.map(partOf) };
  }

  private addText(type: 'text' | 'reasoning', content: string): boolean {
    if (content === '') return false;
    this.hasContent = true;
    // The answer's object part (structured output) stands beside its text: it does not split it.
    let last = this.parts.at(-1);
    if (last !== undefined && last === this.objectPart) last = this.parts.at(-2);
    if (last?.type === type) last.text += content;
    else this.parts.push({ type, text: content });
    return true;
  }

  private call(
    toolCallId: string,
    name: string,
  ): ChatToolPart & { partial?: { readonly partialInput?: unknown } } {
    let call = this.calls.get(toolCallId);
    if (call === undefined) {
      this.hasContent = true;
      call = { type: 'tool', toolCallId, name, state: 'input-streaming' };
      this.calls.set(toolCallId, call);
      this.parts.push(call);
    }
    return call;
  }
}

function partOf(part: MutablePart): ChatPart {
  if (part.type !== 'tool') return { ...part };
  const { partial, ...call } = part;
  // The partial input is parsed here, once per snapshot, not once per fragment.
  return partial === undefined ? call : { ...call, partialInput: partial.partialInput };
}
