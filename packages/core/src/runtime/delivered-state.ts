import type { StreamEvent } from '../model/events.js';

/**
 * What a consumer had been given when its stream was cancelled, worked out from the events still
 * queued for it (a direct transport translates a whole network read at once, so several may be
 * waiting): the content before the first undelivered token, the reasoning before the first
 * undelivered reasoning event, and the ids of the tool calls whose completion it never saw.
 * Undefined fields: nothing of that kind was waiting.
 */
export interface DeliveredState {
  content?: string;
  reasoning?: string;
  undeliveredToolCalls?: Set<string>;
}

/** The delivered state behind `undelivered` (the queued events, oldest first). */
export function deliveredState(undelivered: readonly StreamEvent[]): DeliveredState {
  const state: DeliveredState = {};
  for (const event of undelivered) {
    if (event.type === 'token') {
      state.content ??= before(event.accumulatedContent, event.content);
    } else if (event.type === 'reasoning') {
      state.reasoning ??= before(event.accumulatedReasoning, event.content);
    } else if (event.type === 'tool_call_complete') {
      state.undeliveredToolCalls ??= new Set();
      state.undeliveredToolCalls.add(event.id);
    }
  }
  return state;
}

/** The accumulated text as it was before `delta` was appended. */
function before(accumulated: string, delta: string): string {
  return accumulated.slice(0, accumulated.length - delta.length);
}
