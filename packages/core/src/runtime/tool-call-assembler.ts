import { TokenwireError } from '../model/errors.js';
import type { StreamEvent, ToolCall } from '../model/types.js';
import { flatten, shouldFlatten } from './flatten.js';
import { limitError } from './stream-limits.js';
import { PartialArguments, ToolCallChunkEvent } from './tool-call-chunk.js';

interface AssembledToolCall {
  position: number;
  id: string;
  name: string;
  arguments: string;
  providerIndex: number | undefined;
  open: boolean;
  /** Characters appended since the arguments were last flattened. */
  appended: number;
  /** The fragments, for `partialInput` (parsed only when read). */
  partial: PartialArguments;
  input?: unknown;
}

type ToolCallFragment = { index?: number; id?: string; name?: string; argumentsDelta?: string };

/** A unique id for a tool call whose provider sent none (Gemini, Ollama). */
export function generateToolCallId(): string {
  return `call_${globalThis.crypto.randomUUID().replaceAll('-', '').slice(0, 24)}`;
}

/**
 * Joins tool-call fragments into calls (DESIGN.md invariant 3): by id, then by provider index,
 * then to the latest open call. Only open calls are candidates, so a provider that reuses index 0
 * for parallel calls (with new ids) gets one call per id.
 */
export class ToolCallAssembler {
  readonly calls: AssembledToolCall[] = [];
  private readonly openById = new Map<string, AssembledToolCall>();
  private readonly openByIndex = new Map<number, AssembledToolCall>();
  private readonly closedIds = new Set<string>();
  private latestOpen: AssembledToolCall | undefined;
  completedCount = 0;

  /** `maxArguments`: the longest arguments text of one call (`maxBytes.toolArguments`). */
  constructor(
    private readonly maxArguments = Number.POSITIVE_INFINITY,
    private readonly provider?: string,
  ) {}

  /** Adds one fragment and pushes a `tool_call_chunk` event when it changed the call. */
  fragment(fragment: ToolCallFragment, out: StreamEvent[]): void {
    const id = fragment.id || undefined; // providers send id: "" on continuations
    // A late fragment of a call that already completed (and may have been dispatched) is dropped.
    if (id !== undefined && this.closedIds.has(id)) return;
    let call: AssembledToolCall | undefined;
    if (id !== undefined) call = this.openById.get(id);
    else if (fragment.index !== undefined) call = this.openByIndex.get(fragment.index);
    else call = this.latestOpen;

    const argumentsDelta = fragment.argumentsDelta ?? '';
    if (call === undefined) {
      call = {
        position: this.calls.length,
        id: id ?? generateToolCallId(),
        name: fragment.name ?? '',
        arguments: argumentsDelta,
        providerIndex: fragment.index,
        open: true,
        appended: 0,
        partial: new PartialArguments(),
      };
      this.calls.push(call);
      this.openById.set(call.id, call);
      if (call.providerIndex !== undefined) this.openByIndex.set(call.providerIndex, call);
      this.latestOpen = call;
    } else {
      const named = !call.name && !!fragment.name;
      if (named) call.name = fragment.name as string;
      if (!named && argumentsDelta === '') return; // nothing new
      call.arguments += argumentsDelta;
      call.appended += argumentsDelta.length;
      if (shouldFlatten(call.appended, call.arguments.length)) {
        flatten(call.arguments);
        call.appended = 0;
      }
    }
    if (call.arguments.length > this.maxArguments) {
      const what = `The arguments of tool call '${call.name}' (${call.id})`;
      throw limitError(what, 'toolArguments', call.arguments.length, this.maxArguments, this.provider);
    }
    call.partial.add(argumentsDelta);
    out.push(
      new ToolCallChunkEvent(call.position, call.id, call.name, argumentsDelta, call.arguments, call.partial),
    );
  }

  /** Completes the open call with this provider index, if there is one. */
  end(providerIndex: number, out: StreamEvent[]): void {
    const call = this.openByIndex.get(providerIndex);
    if (call !== undefined) this.complete(call, out);
  }

  /** Completes every call still open, in the order the calls first appeared. */
  completeAll(out: StreamEvent[]): void {
    for (const call of this.calls) if (call.open) this.complete(call, out);
  }

  /** The calls as reported on `finish` or in an error's `partial`. */
  toolCalls(): ToolCall[] {
    return this.calls.map((call) =>
      call.open
        ? { id: call.id, name: call.name, arguments: call.arguments }
        : { id: call.id, name: call.name, arguments: call.arguments, input: call.input },
    );
  }

  /** Total length of all arguments, for output-token estimates. */
  argumentsText(): string {
    let text = '';
    for (const call of this.calls) text += call.arguments;
    return text;
  }

  private complete(call: AssembledToolCall, out: StreamEvent[]): void {
    call.open = false;
    this.completedCount++;
    this.openById.delete(call.id);
    this.closedIds.add(call.id);
    if (call.providerIndex !== undefined && this.openByIndex.get(call.providerIndex) === call) {
      this.openByIndex.delete(call.providerIndex);
    }
    if (this.latestOpen === call) this.latestOpen = this.calls.findLast((candidate) => candidate.open);
    if (!call.name) {
      throw new TokenwireError({
        code: 'invalid_response',
        message: `The provider sent tool call ${call.id} (#${call.position}) without a name, so it cannot be dispatched.`,
      });
    }
    if (call.arguments.trim() === '') call.arguments = '{}';
    let inputError: TokenwireError | undefined;
    try {
      call.input = JSON.parse(call.arguments);
    } catch (error) {
      inputError = new TokenwireError({
        code: 'invalid_response',
        message: `The arguments of tool call '${call.name}' (${call.id}) are not valid JSON: ${(error as Error).message}`,
        cause: error,
      });
    }
    out.push(
      inputError === undefined
        ? {
            type: 'tool_call_complete',
            index: call.position,
            id: call.id,
            name: call.name,
            arguments: call.arguments,
            input: call.input,
          }
        : {
            type: 'tool_call_complete',
            index: call.position,
            id: call.id,
            name: call.name,
            arguments: call.arguments,
            input: undefined,
            inputError,
          },
    );
  }
}
