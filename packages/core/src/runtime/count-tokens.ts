import { TokenwireError, toTokenwireError } from '../model/errors.js';
import { estimateQuarterTokens } from '../model/estimate-tokens.js';
import type { Adapter, ChatRequest, ContentPart, TokenCount } from '../model/types.js';
import { findRequestProblem } from '../request/validate-request.js';
import { resolveTools } from '../tools/resolve-tools.js';
import type { StreamRequest } from './tokenwire-config.js';

/** What `tokenwire.countTokens` takes: a stream request's model (one), messages and tools. */
export type CountTokensRequest = Pick<
  StreamRequest,
  'messages' | 'tools' | 'providerOptions' | 'headers' | 'signal'
> & {
  /** `'provider/model'`, one model. */
  model: string;
};

/** A typical image's cost in tokens (Anthropic's ~1,600 for a 1,000×1,000 image), for the estimate. */
const IMAGE_TOKENS = 1600;

/**
 * Counts a request's input tokens: the adapter's `countTokens` when it has one (the provider's
 * count API, or a tokenizer), else an estimate flagged `exact: false`. Rejects with the
 * `invalid_request` TokenwireError of a request that breaks a rule, or the provider's error.
 */
export async function countTokensWith(
  adapterOf: (provider: string) => Promise<Adapter>,
  parse: (model: unknown) => { provider: string; modelId: string },
  request: CountTokensRequest,
): Promise<TokenCount> {
  const problem = findRequestProblem(request as StreamRequest);
  if (problem !== undefined) throw problem;
  const { provider, modelId } = parse(request.model);
  const { signal, tools, model: _model, ...fields } = request;
  const chatRequest: ChatRequest = { ...fields, model: modelId };
  const definitions = resolveTools(tools).definitions;
  if (definitions !== undefined) chatRequest.tools = definitions;
  const adapter = await adapterOf(provider);
  if (adapter.countTokens === undefined) return estimateInputTokens(chatRequest);
  try {
    return await adapter.countTokens(chatRequest, signal === undefined ? {} : { signal });
  } catch (error) {
    if (TokenwireError.isInstance(error)) throw error;
    throw adapter.normalizeError?.(error, { beforeOutput: true }) ?? toTokenwireError(error, provider);
  }
}

/**
 * A flagged estimate of a request's input tokens: its text, tool calls and tool definitions at
 * about four characters a token, each image or non-text file as ~1,600 tokens.
 */
export function estimateInputTokens(request: ChatRequest): TokenCount {
  let units = 0;
  let media = 0;
  const parts = (content: string | ContentPart[]): void => {
    if (typeof content === 'string') units += estimateQuarterTokens(content);
    else
      for (const part of content) {
        if (part.type === 'text') units += estimateQuarterTokens(part.text);
        else media++;
      }
  };
  for (const message of request.messages) {
    if (message.role === 'assistant') {
      units += estimateQuarterTokens(message.content ?? '');
      for (const call of message.toolCalls ?? []) units += estimateQuarterTokens(call.name + call.arguments);
    } else parts(message.content);
  }
  for (const tool of request.tools ?? []) {
    units += estimateQuarterTokens(
      tool.name + (tool.description ?? '') + JSON.stringify(tool.parameters ?? {}),
    );
  }
  return { inputTokens: Math.ceil(units / 4) + media * IMAGE_TOKENS, exact: false, source: 'estimate' };
}
