import type { ChatRequest, ChunkStream } from '@tokenwire/core';
import type OpenAI from 'openai';
import type {
  ChatCompletionChunk,
  ChatCompletionCreateParamsStreaming,
} from 'openai/resources/chat/completions';
import type { ResponseStreamEvent } from 'openai/resources/responses/responses';
import { toOpenAIChatParams } from './openai-chat-messages.js';
import { createOpenAIChatStreamState, translateOpenAIChatChunk } from './openai-chat-stream.js';
import type { ResolvedOpenAIService } from './openai-client.js';
import { mayRejectStreamOptions } from './openai-errors.js';
import { toOpenAIResponsesParams } from './openai-responses-messages.js';
import {
  createOpenAIResponsesStreamState,
  translateOpenAIResponsesEvent,
} from './openai-responses-stream.js';

/** A chunk of either API's stream: a Chat Completions chunk or a Responses API event. */
export type OpenAIChunk = ChatCompletionChunk | ResponseStreamEvent;

/** What one adapter sends through and remembers between its requests. */
export interface OpenAIStreamTarget {
  /** The `openai` client, built on first use (throws a `configuration` error for a missing key). */
  client(): OpenAI;
  service: ResolvedOpenAIService;
  /** Cleared once the service rejected `stream_options` and accepted the request without it. */
  sendStreamOptions: boolean;
}

interface RequestOptions {
  signal: AbortSignal;
  maxRetries: number;
  headers?: Record<string, string>;
}

function requestOptions(request: ChatRequest, signal: AbortSignal): RequestOptions {
  return { signal, maxRetries: 0, ...(request.headers === undefined ? {} : { headers: request.headers }) };
}

/** Sends a Responses API request and returns its events with their translator. */
export async function openOpenAIResponsesStream(
  target: OpenAIStreamTarget,
  request: ChatRequest,
  signal: AbortSignal,
): Promise<ChunkStream<OpenAIChunk>> {
  const { provider } = target.service;
  const params = toOpenAIResponsesParams(request, provider);
  const events = await target.client().responses.create(params, requestOptions(request, signal));
  const state = createOpenAIResponsesStreamState(provider);
  return {
    chunks: events,
    translate: (event, out) => {
      translateOpenAIResponsesEvent(event as ResponseStreamEvent, state, out);
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
  signal: AbortSignal,
): Promise<ChunkStream<OpenAIChunk>> {
  const { provider, quirks } = target.service;
  const params = toOpenAIChatParams(request, {
    provider,
    streamOptions: target.sendStreamOptions,
    maxTokensField: quirks.maxTokensField ?? 'max_tokens',
  });
  const options = requestOptions(request, signal);
  const chunks = await createChatStream(target, params, options);
  const state = createOpenAIChatStreamState();
  return {
    chunks,
    translate: (chunk, out) => {
      translateOpenAIChatChunk(chunk as ChatCompletionChunk, state, out);
    },
    close: () => chunks.controller.abort(),
  };
}

async function createChatStream(
  target: OpenAIStreamTarget,
  params: ChatCompletionCreateParamsStreaming,
  options: RequestOptions,
) {
  const client = target.client();
  try {
    return await client.chat.completions.create(params, options);
  } catch (error) {
    if (params.stream_options === undefined || !mayRejectStreamOptions(error) || options.signal.aborted) {
      throw error;
    }
    const { stream_options: _rejected, ...withoutStreamOptions } = params;
    const stream = await client.chat.completions.create(withoutStreamOptions, options);
    target.sendStreamOptions = false;
    return stream;
  }
}
