import { type ChatRequest, registerSecret } from '@tokenwire/core';
import type { ChunkStream } from '@tokenwire/core/adapter';
import type OpenAI from 'openai';
import type {
  ChatCompletionChunk,
  ChatCompletionCreateParamsStreaming,
} from 'openai/resources/chat/completions';
import type { ResponseStreamEvent } from 'openai/resources/responses/responses';
import type { Stream } from 'openai/streaming';
import { toOpenAIChatParams } from './openai-chat-messages.js';
import { createOpenAIChatStreamState, translateOpenAIChatChunk } from './openai-chat-stream.js';
import { NO_API_KEY, type ResolvedOpenAIService } from './openai-client.js';
import { openDirectStream } from './openai-direct.js';
import { mayRejectStreamOptions } from './openai-errors.js';
import { toOpenAIResponsesParams } from './openai-responses-messages.js';
import {
  createOpenAIResponsesStreamState,
  translateOpenAIResponsesEvent,
} from './openai-responses-stream.js';
import { declaredToolsOf, type LocalShellItemIds } from './openai-responses-tools.js';

/** A chunk of either API's stream: a Chat Completions chunk or a Responses API event. */
export type OpenAIChunk = ChatCompletionChunk | ResponseStreamEvent;

/** What `open()` streams: the SDK's chunks (`transport: 'sdk'`) or the body's network reads (`'direct'`). */
export type OpenAIStreamChunk = OpenAIChunk | Uint8Array;

/** What one adapter sends through and remembers between its requests. */
export interface OpenAIStreamTarget {
  /** The `openai` client, built on first use (throws a `configuration` error for a missing key). */
  client(): OpenAI;
  service: ResolvedOpenAIService;
  /** Cleared once the service rejected `stream_options` and accepted the request without it. */
  sendStreamOptions: boolean;
  /** Responses API: the item ids of the `local_shell_call`s streamed, sent back with those calls. */
  localShellItemIds: LocalShellItemIds;
  /** `'sdk'`: the SDK parses the body; `'direct'`: the adapter reads the raw 200 body (openai-direct.ts). */
  transport: 'direct' | 'sdk';
}

/** The runtime's context of one request. */
export interface OpenContext {
  signal: AbortSignal;
  /** `maxBytes.record`, enforced on the body by the direct transport. */
  maxRecordBytes?: number | undefined;
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
 * Sends a Responses API request and returns its events with their translator, which knows the
 * tools the request declared (custom tool calls of other names are the provider's own).
 */
export async function openOpenAIResponsesStream(
  target: OpenAIStreamTarget,
  request: ChatRequest,
  context: OpenContext,
): Promise<ChunkStream<OpenAIStreamChunk>> {
  const { provider } = target.service;
  const { localShellItemIds } = target;
  const params = toOpenAIResponsesParams(request, { provider, localShellItemIds });
  const client = target.client();
  const options = requestOptions(request, context.signal);
  const state = createOpenAIResponsesStreamState({
    provider,
    declaredTools: declaredToolsOf(params.tools),
    localShellItemIds,
  });
  if (target.transport === 'direct') {
    const response = await sendRegisteringKey(client, () =>
      client.responses.create(params, options).asResponse(),
    );
    return openDirectStream(response, {
      provider,
      maxRecordBytes: context.maxRecordBytes,
      translateRecord: (event, out) => {
        translateOpenAIResponsesEvent(event as ResponseStreamEvent, state, out);
        return state.finished;
      },
    });
  }
  const events = await sendRegisteringKey(client, () => client.responses.create(params, options));
  return {
    chunks: events,
    // `response.completed`/`incomplete` set `finished` (`failed` and `error` throw): the runtime
    // finishes there and closes the connection, as the SDK reads on until the server closes.
    translate: (event, out) => {
      translateOpenAIResponsesEvent(event as ResponseStreamEvent, state, out);
      return state.finished;
    },
    close: () => events.controller.abort(),
  };
}

/**
 * Sends a Chat Completions request and returns its chunks with their translator. A service that
 * rejects `stream_options` with HTTP 400/422 gets the request once more without it; the target
 * remembers only if that is accepted (the 400 may have had another cause).
 */
export async function openOpenAIChatStream(
  target: OpenAIStreamTarget,
  request: ChatRequest,
  context: OpenContext,
): Promise<ChunkStream<OpenAIStreamChunk>> {
  const { provider, quirks } = target.service;
  const params = toOpenAIChatParams(request, {
    provider,
    streamOptions: target.sendStreamOptions,
    maxTokensField: quirks.maxTokensField ?? 'max_tokens',
    structuredOutput: quirks.structuredOutput ?? 'native',
  });
  const options = requestOptions(request, context.signal);
  const { chunks, sent } = await createChatStream(target, params, options);
  const state = createOpenAIChatStreamState({ usageRequested: sent.stream_options?.include_usage === true });
  if (target.transport === 'direct') {
    return openDirectStream(chunks as Response, {
      provider,
      maxRecordBytes: context.maxRecordBytes,
      translateRecord: (chunk, out) => {
        translateOpenAIChatChunk(chunk as ChatCompletionChunk, state, out);
        return state.complete;
      },
    });
  }
  const stream = chunks as Stream<ChatCompletionChunk>;
  return {
    chunks: stream,
    // The SDK ends at `[DONE]`; the requested usage chunk after the finish ends the stream too.
    translate: (chunk, out) => {
      translateOpenAIChatChunk(chunk as ChatCompletionChunk, state, out);
      return state.complete;
    },
    close: () => stream.controller.abort(),
  };
}

/** The stream, and the params of the request that opened it (without `stream_options` after a rejection). */
async function createChatStream(
  target: OpenAIStreamTarget,
  params: ChatCompletionCreateParamsStreaming,
  options: RequestOptions,
): Promise<{ chunks: Stream<ChatCompletionChunk> | Response; sent: ChatCompletionCreateParamsStreaming }> {
  const client = target.client();
  // The direct transport takes the raw 200 `Response` unread; a non-2xx still throws the SDK's APIError.
  const send = (sent: ChatCompletionCreateParamsStreaming) =>
    sendRegisteringKey<Stream<ChatCompletionChunk> | Response>(client, () =>
      target.transport === 'direct'
        ? client.chat.completions.create(sent, options).asResponse()
        : client.chat.completions.create(sent, options),
    );
  try {
    const chunks = await send(params);
    return { chunks, sent: params };
  } catch (error) {
    if (params.stream_options === undefined || !mayRejectStreamOptions(error) || options.signal.aborted) {
      throw error;
    }
    const { stream_options: _rejected, ...withoutStreamOptions } = params;
    const chunks = await send(withoutStreamOptions);
    target.sendStreamOptions = false;
    return { chunks, sent: withoutStreamOptions };
  }
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
