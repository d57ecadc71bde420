import { registerSecret } from '@tokenwire/core';
import type { ChatRequest, SendContext, Sent } from '@tokenwire/core/adapter';
import { responseBody } from '@tokenwire/core/internal';
import type OpenAI from 'openai';
import type {
  ChatCompletionChunk,
  ChatCompletionCreateParamsStreaming,
} from 'openai/resources/chat/completions';
import type { ResponseStreamEvent } from 'openai/resources/responses/responses';
import type { Stream } from 'openai/streaming';
import { toOpenAIChatParams } from './openai-chat-messages.js';
import type { OpenAIChatStreamState } from './openai-chat-stream.js';
import { NO_API_KEY, type ResolvedOpenAIService } from './openai-client.js';
import { mayRejectStreamOptions } from './openai-errors.js';
import { toOpenAIResponsesParams } from './openai-responses-messages.js';
import type { OpenAIResponsesStreamState } from './openai-responses-stream.js';
import { declaredToolsOf, type LocalShellItemIds } from './openai-responses-tools.js';

/** A chunk of either API's stream: a Chat Completions chunk or a Responses API event. */
export type OpenAIChunk = ChatCompletionChunk | ResponseStreamEvent;

/** What one adapter sends through and remembers between its requests. */
export interface OpenAISendTarget {
  service: ResolvedOpenAIService;
  /** Cleared once the service rejected `stream_options` and accepted the request without it. */
  sendStreamOptions: boolean;
  /** Responses API: the item ids of the `local_shell_call`s streamed, sent back with those calls. */
  localShellItemIds: LocalShellItemIds;
}

/**
 * Sends a Chat Completions request through the SDK: with the direct transport `.asResponse()`
 * hands over the raw 200 `Response` unread (a non-2xx still throws the SDK's `APIError`), with
 * `'sdk'` the SDK's own `Stream`. A service that rejects `stream_options` with HTTP 400/422 gets
 * the request once more without it; the target remembers only if that is accepted (the 400 may
 * have had another cause). The state learns whether usage was asked for: the usage chunk after
 * the finish is then the terminal record.
 */
export async function sendOpenAIChat(
  target: OpenAISendTarget,
  client: OpenAI,
  request: ChatRequest,
  context: SendContext<OpenAIChatStreamState>,
): Promise<Sent<OpenAIChunk>> {
  const { provider, quirks } = target.service;
  const params = toOpenAIChatParams(request, {
    provider,
    streamOptions: target.sendStreamOptions,
    maxTokensField: quirks.maxTokensField ?? 'max_tokens',
    structuredOutput: quirks.structuredOutput ?? 'native',
  });
  const options = requestOptions(request, context.signal);
  const send = (sent: ChatCompletionCreateParamsStreaming) => {
    context.state.usageRequested = sent.stream_options?.include_usage === true;
    const call = client.chat.completions.create(sent, options);
    return sendRegisteringKey<Response | Stream<OpenAIChunk>>(client, () =>
      context.transport === 'direct' ? call.asResponse() : call,
    );
  };
  try {
    return handedOver(await send(params), provider);
  } catch (error) {
    if (params.stream_options === undefined || !mayRejectStreamOptions(error) || options.signal.aborted) {
      throw error;
    }
    const { stream_options: _rejected, ...withoutStreamOptions } = params;
    const sent = handedOver(await send(withoutStreamOptions), provider);
    target.sendStreamOptions = false;
    return sent;
  }
}

/**
 * Sends a Responses API request through the SDK, as `sendOpenAIChat` does; the state learns the
 * tools the request declared (custom tool calls of other names are the provider's own).
 */
export async function sendOpenAIResponses(
  target: OpenAISendTarget,
  client: OpenAI,
  request: ChatRequest,
  context: SendContext<OpenAIResponsesStreamState>,
): Promise<Sent<OpenAIChunk>> {
  const { provider } = target.service;
  const params = toOpenAIResponsesParams(request, { provider, localShellItemIds: target.localShellItemIds });
  context.state.declaredTools = declaredToolsOf(params.tools);
  const call = client.responses.create(params, requestOptions(request, context.signal));
  return handedOver(
    await sendRegisteringKey<Response | Stream<OpenAIChunk>>(client, () =>
      context.transport === 'direct' ? call.asResponse() : call,
    ),
    provider,
  );
}

/** The 200 body to frame, or the SDK's `Stream`, whose connection is closed by aborting its controller. */
function handedOver(sent: Response | Stream<OpenAIChunk>, provider: string): Sent<OpenAIChunk> {
  if (sent instanceof Response) return { body: responseBody(sent, provider), headers: sent.headers };
  return { chunks: sent, release: () => sent.controller.abort() };
}

interface RequestOptions {
  signal: AbortSignal;
  maxRetries: number;
  headers?: Record<string, string>;
}

function requestOptions(request: ChatRequest, signal: AbortSignal): RequestOptions {
  return { signal, maxRetries: 0, ...(request.headers === undefined ? {} : { headers: request.headers }) };
}

/**
 * Sends a request, then registers the client's key as a secret: a client given an `apiKey`
 * function resolves a new key per request, and keeps it in `client.apiKey`. Registered before the
 * error of a failed request is normalized, so an echo of that key is redacted too.
 */
async function sendRegisteringKey<Result>(client: OpenAI, send: () => PromiseLike<Result>): Promise<Result> {
  try {
    return await send();
  } finally {
    if (client.apiKey !== NO_API_KEY) registerSecret(client.apiKey);
  }
}
