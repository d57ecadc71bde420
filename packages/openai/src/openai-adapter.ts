import {
  type Adapter,
  type AdapterContext,
  type AdapterDelta,
  type ChatRequest,
  type ChunkStream,
  deltasFromChunkStream,
  type ProviderSettings,
  TokenwireError,
} from '@tokenwire/core';
import type OpenAI from 'openai';
import type {
  ChatCompletionChunk,
  ChatCompletionCreateParamsStreaming,
} from 'openai/resources/chat/completions';
import type { ResponseStreamEvent } from 'openai/resources/responses/responses';
import { toOpenAIChatParams } from './openai-chat-messages.js';
import { createOpenAIChatStreamState, translateOpenAIChatChunk } from './openai-chat-stream.js';
import {
  createOpenAIClient,
  type OpenAIClientSettings,
  type ResolvedOpenAIService,
  resolveOpenAIService,
} from './openai-client.js';
import { mayRejectStreamOptions, normalizeOpenAIError } from './openai-errors.js';
import { toOpenAIResponsesParams } from './openai-responses-messages.js';
import {
  createOpenAIResponsesStreamState,
  translateOpenAIResponsesEvent,
} from './openai-responses-stream.js';

/** Settings of `createOpenAIAdapter`: a ready client, or what to build one from. */
export interface OpenAIAdapterSettings extends OpenAIClientSettings {
  /**
   * An `openai` client (`OpenAI` or `AzureOpenAI`) used as is and exposed as `adapter.client`.
   * tokenwire still sends every request with `maxRetries: 0`, as the runtime retries.
   */
  client?: OpenAI;
  /** Which API to stream from: Chat Completions (default) or the Responses API. */
  api?: 'chat' | 'responses';
}

/** The adapter `createOpenAIAdapter` returns. */
export interface OpenAIAdapter extends Adapter {
  readonly name: 'openai';
  /** The provider it serves (`openai`, `deepseek`, …), named in errors. */
  readonly provider: string;
  /** The API it streams from. */
  readonly api: 'chat' | 'responses';
  /** The `openai` client: the one passed in, or the one built on first use (which may throw a configuration error). */
  readonly client: OpenAI;
  /** Sends the request and returns the SDK stream with its synchronous translator (the runtime's fast path). */
  open(request: ChatRequest, context: AdapterContext): Promise<ChunkStream>;
  /** Maps `openai` SDK and network errors to TokenwireErrors (see `normalizeOpenAIError`). */
  normalizeError(error: unknown): TokenwireError | undefined;
}

/**
 * Creates the tokenwire adapter over the official `openai` SDK, for OpenAI and every
 * OpenAI-compatible service (chosen by `provider`; see `OPENAI_COMPATIBLE_SERVICES`).
 * Without a `client`, one is built on the first request with `maxRetries: 0`; the key defaults to
 * the service's environment variable (OPENAI_API_KEY for OpenAI, DEEPSEEK_API_KEY for DeepSeek, …).
 * Every request carries the runtime's abort signal, so cancelling closes the connection.
 *
 * @example
 * const tokenwire = createTokenwire({ providers: { openai: createOpenAIAdapter({ api: 'responses' }) } });
 */
export function createOpenAIAdapter(settings: OpenAIAdapterSettings = {}): OpenAIAdapter {
  return new OpenAIAdapterImplementation(settings);
}

/**
 * The uniform entry point `createTokenwire` calls with a provider's configuration
 * (`{ provider, apiKey?, apiKeyEnv?, baseURL?, api?, quirks?, … }`). Plain JSON settings only;
 * pass a `client` through `createOpenAIAdapter` instead.
 */
export function createAdapter(settings: ProviderSettings & { provider: string }): OpenAIAdapter {
  const api = settings.api;
  if (api !== undefined && api !== 'chat' && api !== 'responses') {
    throw new TokenwireError({
      code: 'configuration',
      provider: settings.provider,
      message: `The '${settings.provider}' provider setting api must be 'chat' or 'responses', not ${JSON.stringify(api)}.`,
    });
  }
  return createOpenAIAdapter(settings as OpenAIAdapterSettings);
}

class OpenAIAdapterImplementation implements OpenAIAdapter {
  readonly name = 'openai' as const;
  readonly provider: string;
  readonly api: 'chat' | 'responses';
  private readonly service: ResolvedOpenAIService;
  private builtClient: OpenAI | undefined;
  /** Cleared once the service rejected `stream_options` and accepted the request without it. */
  private sendStreamOptions: boolean;

  constructor(private readonly settings: OpenAIAdapterSettings) {
    this.service = resolveOpenAIService(settings);
    this.provider = this.service.provider;
    this.api = settings.api ?? 'chat';
    this.builtClient = settings.client;
    this.sendStreamOptions = this.service.quirks.streamOptions !== false;
  }

  get client(): OpenAI {
    this.builtClient ??= createOpenAIClient(this.settings);
    return this.builtClient;
  }

  /** The deltas as an async iterable; the runtime uses the faster `open()` instead. */
  async *stream(request: ChatRequest, context: AdapterContext): AsyncGenerator<AdapterDelta> {
    yield* deltasFromChunkStream(() => this.open(request, context));
  }

  async open(request: ChatRequest, context: AdapterContext): Promise<ChunkStream> {
    const options = {
      signal: context.signal,
      maxRetries: 0,
      ...(request.headers === undefined ? {} : { headers: request.headers }),
    };
    if (this.api === 'responses') {
      const params = toOpenAIResponsesParams(request, this.provider);
      const events = await this.client.responses.create(params, options);
      const state = createOpenAIResponsesStreamState(this.provider);
      return {
        chunks: events,
        translate: (event, out) => translateOpenAIResponsesEvent(event as ResponseStreamEvent, state, out),
        close: () => events.controller.abort(),
      };
    }
    const chunks = await this.createChatStream(request, options);
    const state = createOpenAIChatStreamState();
    return {
      chunks,
      translate: (chunk, out) => translateOpenAIChatChunk(chunk as ChatCompletionChunk, state, out),
      close: () => chunks.controller.abort(),
    };
  }

  normalizeError(error: unknown): TokenwireError | undefined {
    return normalizeOpenAIError(error, { provider: this.provider, apiKeyEnv: this.service.apiKeyEnv });
  }

  private async createChatStream(request: ChatRequest, options: { signal: AbortSignal; maxRetries: number }) {
    const params = toOpenAIChatParams(request, {
      provider: this.provider,
      streamOptions: this.sendStreamOptions,
      maxTokensField: this.service.quirks.maxTokensField ?? 'max_tokens',
    });
    const client = this.client;
    try {
      return await client.chat.completions.create(params, options);
    } catch (error) {
      if (params.stream_options === undefined || !mayRejectStreamOptions(error) || options.signal.aborted) {
        throw error;
      }
      // Some services reject the field they do not know: retry once without it, and remember
      // only if that is accepted (the 400 may have had another cause).
      const { stream_options: _rejected, ...withoutStreamOptions } = params;
      const stream = await client.chat.completions.create(
        withoutStreamOptions as ChatCompletionCreateParamsStreaming,
        options,
      );
      this.sendStreamOptions = false;
      return stream;
    }
  }
}
