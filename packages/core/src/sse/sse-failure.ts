import { toTokenwireError } from '../model/errors.js';
import type { ErrorEvent } from '../model/types.js';
import type { WireState } from './sse-wire.js';

/** The error that ends the body when the source throws: what was sent so far, as its partial. */
export function failureEvent(thrown: unknown, sent: WireState): ErrorEvent {
  const error = toTokenwireError(thrown);
  const outputTokens = Math.ceil(sent.units / 4);
  return {
    type: 'error',
    error,
    partial: {
      content: sent.content,
      reasoning: sent.reasoning,
      toolCalls: sent.completed,
      usage: { inputTokens: 0, outputTokens, totalTokens: outputTokens, estimated: true },
    },
  };
}
