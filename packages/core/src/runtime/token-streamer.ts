import type { Message, ResponseFormat, StreamEvent, TokenChunk, Tool, ToolChoice } from '../model/types.js';
import {
  createTokenwire,
  parseModelString,
  type Tokenwire,
  type TokenwireConfig,
} from './create-tokenwire.js';
import type { ProviderSettings } from './providers.js';
import type { TokenwireStream } from './tokenwire-stream.js';

/** Options of `new TokenStreamer(…)`, as in the Python seed. */
export interface TokenStreamerOptions {
  /** `'provider/model'`, e.g. `'openai/gpt-4.1'`. */
  model: string;
  /** API key of the model's provider; defaults to its environment variable (e.g. OPENAI_API_KEY). */
  apiKey?: string;
  /** Base URL of the model's provider (for OpenAI-compatible services, proxies, local servers). */
  baseURL?: string;
  /** Called with every token chunk as it arrives. */
  onToken?: (chunk: TokenChunk) => void;
  /** Everything else a tokenwire client takes (providers, retries, timeouts). */
  config?: TokenwireConfig;
}

/** Per-call options of `streamCompletion` and `streamWithTools`. */
export interface StreamCompletionOptions {
  /**
   * Default: the provider's. The Python seed sent 0.1; tokenwire sends a temperature only when you
   * give one, because some APIs refuse any (Anthropic's current Messages API, OpenAI's reasoning models).
   */
  temperature?: number;
  /** Default 4096, as in the Python seed. */
  maxTokens?: number;
  /** Aborting it cancels the stream. */
  signal?: AbortSignal;
  /** A JSON answer (`json`, or `json_schema` with a JSON Schema or a Standard Schema). Default text. */
  responseFormat?: ResponseFormat;
}

/**
 * The Python `TokenStreamer` API, for teams migrating from it — without its defects: tokens are
 * estimated rather than counted as chunks, the trailing usage arrives on `finish`, `cancel()`
 * closes the connection, timeouts apply, and tool calls complete whatever the finish reason.
 * One streamer runs one stream at a time: starting a new one cancels the one still running.
 * Nothing throws in the constructor: a bad model string is the error of the first stream.
 */
export class TokenStreamer {
  private readonly tokenwire: Tokenwire;
  private current: TokenwireStream | undefined;
  private content = '';
  private tokens = 0;

  constructor(private readonly options: TokenStreamerOptions) {
    const providers = { ...options.config?.providers };
    const provider = providerOf(options.model);
    if (provider !== undefined && (options.apiKey !== undefined || options.baseURL !== undefined)) {
      const configured = providers[provider];
      const settings: ProviderSettings =
        typeof configured?.stream === 'function' ? {} : { ...(configured as ProviderSettings) };
      if (options.apiKey !== undefined) settings.apiKey = options.apiKey;
      if (options.baseURL !== undefined) settings.baseURL = options.baseURL;
      providers[provider] = settings;
    }
    this.tokenwire = createTokenwire({ ...options.config, providers });
  }

  /** The answer text so far (of the current or last stream). */
  get accumulatedContent(): string {
    return this.content;
  }

  /** Estimated output tokens so far (exact counts are on the finish event of `streamWithTools`). */
  get totalTokens(): number {
    return this.tokens;
  }

  /**
   * Streams the answer as token chunks. The last chunk carries the finish reason (and empty
   * content); every other chunk has `finishReason: null`. Throws the TokenwireError of a failure
   * after yielding what arrived. Cancels the streamer's previous stream if it is still running.
   */
  async *streamCompletion(
    messages: Message[],
    options: StreamCompletionOptions = {},
  ): AsyncGenerator<TokenChunk> {
    for await (const event of this.open(messages, undefined, undefined, options)) {
      if (event.type === 'token') yield event;
      else if (event.type === 'finish') {
        yield {
          type: 'token',
          content: '',
          accumulatedContent: event.content,
          tokenCount: 0,
          totalTokens: this.tokens,
          model: event.model,
          finishReason: event.reason,
        };
      } else if (event.type === 'error') throw event.error;
    }
  }

  /**
   * Streams every event (tokens, reasoning, tool-call chunks with their `partialInput` and
   * completions, `partial_object`s of a JSON answer, finish or error); with a Standard Schema as
   * `responseFormat.schema`, `finish.object` has its output type. Tools with `execute` are run and
   * their results sent back, in the same stream (`tool_result` and `step_*` events; at most
   * `maxSteps` model steps, default 10). Cancels the streamer's previous stream if it is still running.
   */
  async *streamWithTools<Output = unknown>(
    messages: Message[],
    tools: Tool[],
    options: StreamCompletionOptions & {
      toolChoice?: ToolChoice;
      responseFormat?: ResponseFormat<Output>;
      /** With executable tools: the most model steps. Default 10. */
      maxSteps?: number;
    } = {},
  ): AsyncGenerator<StreamEvent<Output>> {
    yield* this.open(messages, tools, options.toolChoice, options) as AsyncGenerator<StreamEvent<Output>>;
  }

  /** Cancels the current stream: the connection is closed and the stream ends with reason `cancelled`. */
  cancel(): void {
    this.current?.cancel();
  }

  /** Forgets the accumulated content and token count (cancelling a stream still running). */
  reset(): void {
    this.cancel();
    this.current = undefined;
    this.content = '';
    this.tokens = 0;
  }

  private async *open(
    messages: Message[],
    tools: Tool[] | undefined,
    toolChoice: ToolChoice | undefined,
    options: StreamCompletionOptions & { maxSteps?: number },
  ): AsyncGenerator<StreamEvent> {
    this.reset();
    const stream = this.tokenwire.stream({
      model: this.options.model,
      messages,
      ...(options.temperature === undefined ? {} : { temperature: options.temperature }),
      maxTokens: options.maxTokens ?? 4096,
      ...(tools === undefined ? {} : { tools }),
      ...(toolChoice === undefined ? {} : { toolChoice }),
      ...(options.signal === undefined ? {} : { signal: options.signal }),
      ...(options.responseFormat === undefined ? {} : { responseFormat: options.responseFormat }),
      ...(options.maxSteps === undefined ? {} : { maxSteps: options.maxSteps }),
    });
    this.current = stream;
    try {
      for await (const event of stream) {
        if (event.type === 'token') {
          this.content = event.accumulatedContent;
          this.tokens = event.totalTokens;
          this.options.onToken?.(event);
        }
        yield event;
      }
    } finally {
      // a consumer that stops early (break) must not leave the connection open
      stream.cancel();
    }
  }
}

/** The provider of a model string, or undefined when it is malformed (the stream reports that). */
function providerOf(model: string): string | undefined {
  try {
    return parseModelString(model).provider;
  } catch {
    return undefined;
  }
}
