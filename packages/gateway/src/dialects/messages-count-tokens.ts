import type { Tokenwire } from '@tokenwire/core';
import { errorAnswer } from '../answer.js';
import { type GatewayAnswer, jsonAnswer } from '../exchange.js';
import { problemOfError } from '../gateway-problem.js';
import type { DecodedRequest } from './dialect.js';
import { messagesDialect } from './messages-dialect.js';

/**
 * `POST /v1/messages/count_tokens`: `{ input_tokens }` from `tokenwire.countTokens` on the model's
 * first provider — its count API where its adapter has one, else core's flagged estimate. The
 * response header `x-tokenwire-token-count` says which (`provider`, `tokenizer` or `estimate`).
 */
export async function countTokensAnswer(
  tokenwire: Tokenwire,
  decoded: DecodedRequest,
  model: string | string[],
  signal: AbortSignal,
): Promise<GatewayAnswer> {
  const { messages, tools, providerOptions, headers } = decoded.request;
  try {
    const count = await tokenwire.countTokens({
      model: typeof model === 'string' ? model : (model[0] as string),
      messages,
      signal,
      ...(tools === undefined ? {} : { tools }),
      ...(providerOptions === undefined ? {} : { providerOptions }),
      ...(headers === undefined ? {} : { headers }),
    });
    return jsonAnswer(200, { input_tokens: count.inputTokens }, { 'x-tokenwire-token-count': count.source });
  } catch (error) {
    return errorAnswer(messagesDialect, problemOfError(error));
  }
}
