import type { StandardSchemaV1 } from '@standard-schema/spec';
import type { TokenwireError } from './errors.js';
import type { ToolDefinition } from './tool-types.js';

/** Why a completion ended, normalized across providers. The provider's own word is kept as `rawReason`. */
export type FinishReason =
  | 'stop'
  | 'length'
  | 'tool_calls'
  | 'content_filter'
  | 'cancelled'
  /** The stream stopped before tools that need approval: see `ToolApprovalRequestEvent`. */
  | 'awaiting_approval'
  | 'other';

/**
 * Token usage of one completion. `inputTokens` counts all input including cached reads;
 * `outputTokens` counts all output including reasoning. `estimated` is true when any of the
 * two main counts was estimated by tokenwire because the provider reported none.
 */
export interface Usage {
  inputTokens: number;
  outputTokens: number;
  totalTokens: number;
  cachedInputTokens?: number;
  cacheWriteTokens?: number;
  reasoningTokens?: number;
  estimated: boolean;
}

/** A complete tool call, as reported on `finish` and as sent back in an assistant message. */
export interface ToolCall {
  id: string;
  name: string;
  /** The arguments as the provider sent them: JSON text. */
  arguments: string;
  /** The parsed arguments, when they were valid JSON. */
  input?: unknown;
}

/** A JSON Schema object describing a tool's input. */
export type JsonSchema = { [key: string]: unknown };

export type {
  StepEvent,
  StepFinishEvent,
  StepStartEvent,
  StepSummary,
  Tool,
  ToolApprovalRequestEvent,
  ToolDefinition,
  ToolExecutionContext,
  ToolResultEvent,
} from './tool-types.js';

/** How the model may use tools: let it choose, require a tool, forbid tools, or force one by name. */
export type ToolChoice = 'auto' | 'required' | 'none' | { name: string };

/** A piece of message content. */
export type ContentPart =
  | { type: 'text'; text: string }
  /** An image by URL (`https://…` or a `data:` URL) or as base64 `data` with its media type. */
  | { type: 'image'; url?: string; data?: string; mediaType?: string }
  /**
   * A document, audio or video file (PDF, plain text, WAV/MP3, MP4, …): base64 `data` or a `url`
   * (`https://…`, a `data:` URL, or a provider's own file URI such as `gs://…`), with its media type.
   * Each adapter sends it in its provider's own form, or refuses it before sending, the field named.
   */
  | FilePart;

/** A file content part: see `ContentPart`. */
export interface FilePart {
  type: 'file';
  /** The bytes, base64. Give `data` or `url`, not both. */
  data?: string;
  url?: string;
  /** `application/pdf`, `text/plain`, `audio/wav`, `audio/mpeg`, `video/mp4`, … */
  mediaType: string;
  /** A name for the file, sent where the provider takes one. */
  filename?: string;
}

/** A reasoning block sent back to the provider (Anthropic thinking, Gemini thought signatures). */
export interface ReasoningPart {
  text: string;
  signature?: string;
  /** Opaque provider data (Anthropic `redacted_thinking`, OpenAI encrypted content). */
  redactedData?: string;
  /**
   * A provider block to send back verbatim on the next assistant message, which is not reasoning
   * text (Anthropic's `compaction` block). Adapters of other providers leave it out.
   */
  providerBlock?: Record<string, unknown>;
}

/** One message of a conversation, in the normalized shape every adapter maps to its vendor. */
export type Message =
  | { role: 'system'; content: string }
  | { role: 'user'; content: string | ContentPart[] }
  | {
      role: 'assistant';
      content?: string | null;
      toolCalls?: ToolCall[];
      reasoning?: ReasoningPart[];
    }
  | {
      role: 'tool';
      toolCallId: string;
      /** The tool's output: text (JSON text for a value), or parts such as a screenshot. */
      content: string | ContentPart[];
      isError?: boolean;
      name?: string;
      /**
       * A decision on a call that waited for approval (`tool_approval_request`): the stream runs the
       * call (or sends the refusal to the model) in its place. `content` is then ignored.
       */
      approval?: ToolApproval;
    };

/** The user's decision on a tool call that needs approval. */
export interface ToolApproval {
  approved: boolean;
  /** Why it was refused: sent to the model. */
  reason?: string;
}

/**
 * The shape of the answer an adapter maps: free text (the default), any JSON (`json`: the
 * provider's JSON mode, or its documented fallback), or JSON that follows a JSON Schema.
 */
export type ChatResponseFormat =
  | { type: 'text' }
  | { type: 'json' }
  | { type: 'json_schema'; name?: string; schema: JsonSchema; strict?: boolean };

/**
 * The shape of the answer a caller asks for. With `json_schema`, `schema` is a JSON Schema or a
 * Standard Schema (zod 4, valibot, arktype, …) whose output type types `finish.object`, which is
 * validated (and transformed) by it. A Standard Schema gives its JSON Schema for the provider
 * through the Standard JSON Schema interface (zod 4 does); for one that cannot, pass `jsonSchema`.
 */
export type ResponseFormat<Output = unknown> =
  | { type: 'text' }
  | { type: 'json' }
  | {
      type: 'json_schema';
      schema: StandardSchemaV1<unknown, Output> | JsonSchema;
      /** The JSON Schema sent to the provider, for a Standard Schema that cannot give its own. */
      jsonSchema?: JsonSchema;
      /** A name for the schema (OpenAI takes one). Default `'response'`. */
      name?: string;
      /** Ask for strict schema adherence where the provider has the switch. */
      strict?: boolean;
    };

/** A value as it is being streamed: any part of it may be missing yet. */
export type PartialDeep<Value> = Value extends readonly (infer Item)[]
  ? PartialDeep<Item>[]
  : Value extends object
    ? { [Key in keyof Value]?: PartialDeep<Value[Key]> }
    : Value;

/** The normalized request every adapter maps to its vendor's parameters. */
export interface ChatRequest {
  /** The model id without the provider prefix (the client strips `provider/`). */
  model: string;
  messages: Message[];
  /** The tools as adapters get them: core has turned Standard Schemas into JSON Schemas and kept `execute` to itself. */
  tools?: ToolDefinition[];
  toolChoice?: ToolChoice;
  temperature?: number;
  maxTokens?: number;
  topP?: number;
  stop?: string[];
  seed?: number;
  /** The shape of the answer, as adapters get it: core has turned a Standard Schema into its JSON Schema. */
  responseFormat?: ChatResponseFormat;
  /** Reasoning controls: `effort` for OpenAI-style models, `budgetTokens` for Anthropic/Gemini thinking. */
  reasoning?: {
    effort?: 'minimal' | 'low' | 'medium' | 'high';
    budgetTokens?: number;
    includeThoughts?: boolean;
  };
  /** Extra HTTP headers for this request. */
  headers?: Record<string, string>;
  /** Vendor parameters passed through unchanged, keyed by adapter name (`{ openai: { … } }`). */
  providerOptions?: Record<string, Record<string, unknown>>;
}

/**
 * What an adapter yields: small deltas in the order the provider sent them. The runtime turns
 * them into `StreamEvent`s and owns accumulation, tool-call assembly, usage and termination.
 */
export type AdapterDelta =
  | { type: 'start'; model?: string; responseId?: string }
  | { type: 'text'; delta: string }
  /**
   * Reasoning text; `signature`, `redactedData` (encrypted reasoning) and `providerBlock` (a block
   * such as Anthropic's `compaction`, kept verbatim) must be sent back on the next turn.
   */
  | {
      type: 'reasoning';
      delta: string;
      signature?: string;
      redactedData?: string;
      providerBlock?: Record<string, unknown>;
    }
  /** One fragment of a tool call. id/name usually come only on the first fragment. */
  | { type: 'tool_call'; index?: number; id?: string; name?: string; argumentsDelta?: string }
  /** The provider closed the call with this index. */
  | { type: 'tool_call_end'; index: number }
  /** Usage counts; may repeat, later fields win. */
  | { type: 'usage'; usage: Partial<Usage> }
  /** A file the model produced (Gemini's inline images): base64 bytes and their media type. */
  | { type: 'file'; mediaType: string; data: string }
  | { type: 'finish'; reason: FinishReason; rawReason?: string };

/**
 * The input tokens of a request before it is sent. `exact` is true only for a provider's own count
 * or a tokenizer of the model's family; an `estimate` (about four characters a token) never is.
 */
export interface TokenCount {
  inputTokens: number;
  exact: boolean;
  source: 'provider' | 'tokenizer' | 'estimate';
}

/** What the runtime passes to `Adapter.stream`. */
export interface AdapterContext {
  /** Aborted on cancel, timeout, consumer `break` and once the stream has ended; adapters pass it to the vendor SDK. */
  signal: AbortSignal;
  /**
   * The longest record (SSE event, NDJSON line) to accept, in characters (`maxBytes.record`).
   * Adapters that read the body before the vendor parser does cut a longer record there; the
   * runtime also checks every delta. Unset when the adapter is used without the runtime.
   */
  maxRecordBytes?: number;
  /**
   * Set by the runtime: a limits wrapper calls it with what the request waits for before it is
   * sent (a full limit, the key's cooldown), and with `undefined` once it goes on. A timeout
   * during the wait then says what it waited for and that nothing was sent.
   */
  onWait?: (waitingFor: string | undefined) => void;
}

/** A provider adapter: translates a normalized request into vendor calls and vendor chunks into deltas. */
export interface Adapter {
  /** Adapter name: 'openai', 'anthropic', 'google', 'ollama', or yours. */
  readonly name: string;
  /** Sends the request to the vendor and yields its stream as deltas, in order. */
  stream(request: ChatRequest, context: AdapterContext): AsyncIterable<AdapterDelta>;
  /**
   * Optional fast path: opens the vendor stream and returns its chunks with a synchronous
   * translator. When present the runtime uses it instead of `stream()` and runs one loop over the
   * vendor iterator, saving an async-generator layer per chunk (DESIGN.md, "The hot path").
   */
  open?(request: ChatRequest, context: AdapterContext): Promise<ChunkStream>;
  /**
   * Optional: the request's input tokens, by the provider's own count API (`source: 'provider'`)
   * or a local tokenizer (`'tokenizer'`). Without it, `tokenwire.countTokens` estimates.
   */
  countTokens?(request: ChatRequest, context: { signal?: AbortSignal }): Promise<TokenCount>;
  /**
   * Maps a vendor error to a core error; return undefined to let the runtime decide.
   * `beforeOutput` says whether anything had reached the user: a malformed or cut response is
   * retryable only then.
   */
  normalizeError?(error: unknown, context?: { beforeOutput: boolean }): TokenwireError | undefined;
  /** The base URL requests go to, for telemetry (`server.address`, `server.port`); undefined when unknown. */
  endpoint?(): string | undefined;
}

/**
 * A vendor stream plus its synchronous translator, returned by `Adapter.open`. `translate` pushes
 * the deltas of one vendor chunk to `out` (it may throw a TokenwireError) and returns true for the
 * provider's terminal record (the runtime then finishes at once, whether or not the server closes
 * the connection); `end` pushes any deltas due when the vendor stream ends; `close` releases the
 * vendor stream (its connection) when the runtime stops, early or at the end.
 */
export interface ChunkStream<Chunk = unknown> {
  /** The vendor SDK's stream of chunks. */
  chunks: AsyncIterable<Chunk>;
  /**
   * Pushes the deltas of one chunk to `out`, synchronously. Returns true when the chunk was the
   * provider's terminal record (`response.completed`, `message_stop`, a Gemini `finishReason`,
   * Ollama's `done: true`): nothing more belongs to the response. May throw (a record that is an
   * error): the deltas it pushed before throwing are delivered first, then the error.
   */
  // biome-ignore lint/suspicious/noConfusingVoidType: a translator that returns nothing never ends the stream itself
  translate(chunk: Chunk, out: AdapterDelta[]): boolean | undefined | void;
  /** Pushes the deltas due when the vendor stream has ended (e.g. calls without a terminal record); may throw like `translate`. */
  end?(out: AdapterDelta[]): void;
  /** Releases the vendor stream (closes its connection) when the runtime stops, early or at the end. */
  close?(): void;
}

/** Time limits of a stream, in milliseconds. Unset means no limit. */
export interface Timeouts {
  /** From the request to the first content event (text, reasoning or tool call). */
  firstTokenMs?: number;
  /** Between two deltas once the stream has begun. */
  idleMs?: number;
  /** For the whole stream, retries and fallbacks included. */
  totalMs?: number;
}

export type {
  ErrorEvent,
  FileEvent,
  FinishEvent,
  PartialObjectEvent,
  PartialResult,
  ReasoningChunk,
  StartEvent,
  StreamEvent,
  TokenChunk,
  ToolCallEvent,
} from './events.js';
