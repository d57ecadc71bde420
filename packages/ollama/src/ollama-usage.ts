import type { Usage } from '@tokenwire/core';
import type { ChatResponse } from 'ollama';

/**
 * The usage of the `done` line: `prompt_eval_count` → `inputTokens`, `eval_count` →
 * `outputTokens` (it counts every generated token, thinking included), each only when it is a
 * finite number; undefined when neither is.
 */
export function mapOllamaUsage(chunk: ChatResponse): Partial<Usage> | undefined {
  const input = chunk.prompt_eval_count;
  const output = chunk.eval_count;
  const inputKnown = typeof input === 'number' && Number.isFinite(input);
  const outputKnown = typeof output === 'number' && Number.isFinite(output);
  if (!inputKnown && !outputKnown) return undefined;
  const usage: Partial<Usage> = {};
  if (inputKnown) usage.inputTokens = input;
  if (outputKnown) usage.outputTokens = output;
  return usage;
}
