import type { ModelPrice, PriceSource, StreamRequest } from '@tokenwire/core';
import { estimateTokens } from '@tokenwire/core/internal';

/** The request's input tokens, estimated from its text (about four characters a token; an image ~256). */
export function estimateInputTokens(request: Pick<StreamRequest, 'messages' | 'tools'>): number {
  let tokens = 0;
  for (const message of request.messages) {
    tokens += 4;
    const content = message.content as unknown;
    if (typeof content === 'string') tokens += estimateTokens(content);
    else if (Array.isArray(content)) {
      for (const part of content as Array<{ type: string; text?: string }>)
        tokens += part.type === 'text' && typeof part.text === 'string' ? estimateTokens(part.text) : 256;
    }
  }
  if (request.tools !== undefined && request.tools.length > 0)
    tokens += estimateTokens(JSON.stringify(request.tools.map((tool) => [tool.name, tool.description])));
  return tokens;
}

/** The price of a `provider/model` target, looked up as core does: `'provider/model'`, then the bare model. */
export function priceOf(source: PriceSource | undefined, target: string): ModelPrice | undefined {
  if (source === undefined) return undefined;
  const slash = target.indexOf('/');
  const provider = slash > 0 ? target.slice(0, slash) : '';
  const model = slash > 0 ? target.slice(slash + 1) : target;
  let price: unknown;
  try {
    if (typeof source === 'function') price = source({ provider, model, at: new Date() });
    else
      price = Object.hasOwn(source, target)
        ? source[target]
        : Object.hasOwn(source, model)
          ? source[model]
          : undefined;
  } catch {
    return undefined;
  }
  const candidate = price as ModelPrice | undefined;
  const valid = (value: unknown) => typeof value === 'number' && Number.isFinite(value) && value >= 0;
  return candidate !== undefined && valid(candidate.input) && valid(candidate.output) ? candidate : undefined;
}

/** USD of `inputTokens` in and `outputTokens` out at `price` (per million tokens). */
export function estimateUsd(price: ModelPrice, inputTokens: number, outputTokens: number): number {
  return Math.round(inputTokens * price.input + outputTokens * price.output) / 1e6;
}
