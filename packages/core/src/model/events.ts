import type { Cost } from './cost-types.js';
import type { TokenwireError } from './errors.js';
import type { StepEvent, StepSummary, ToolApprovalRequestEvent, ToolResultEvent } from './tool-types.js';
import type { FinishReason, Message, PartialDeep, ReasoningPart, ToolCall, Usage } from './types.js';

/** The first event: which provider and model answered. */
export interface StartEvent {
  type: 'start';
  provider: string;
  model: string;
  responseId?: string;
}

/** A piece of answer text. `tokenCount`/`totalTokens` are estimates (exact counts come on `finish`). */
export interface TokenChunk {
  type: 'token';
  content: string;
  accumulatedContent: string;
  tokenCount: number;
  totalTokens: number;
  model: string;
  finishReason: FinishReason | null;
}

/** A piece of reasoning ("thinking") text. */
export interface ReasoningChunk {
  type: 'reasoning';
  content: string;
  accumulatedReasoning: string;
  signature?: string;
  /** Opaque reasoning the provider keeps hidden (Anthropic `redacted_thinking`); send it back as is. */
  redactedData?: string;
  /** A provider block to send back verbatim (Anthropic `compaction`); it is on `finish.reasoningParts` too. */
  providerBlock?: Record<string, unknown>;
}

/** A tool-call fragment arrived (`tool_call_chunk`), or a call is complete (`tool_call_complete`). */
export type ToolCallEvent =
  | {
      type: 'tool_call_chunk';
      /** Position of the call in this response (0, 1, …), not the provider's index. */
      index: number;
      id: string;
      name: string;
      argumentsDelta: string;
      /** The arguments accumulated so far. */
      arguments: string;
      /**
       * The best-effort parse of the arguments so far (undefined until `{` arrived): computed when
       * read, incrementally, so reading it on every chunk costs time linear in the arguments and
       * not reading it costs nothing. Read it when the event arrives: it is the call's live value.
       */
      readonly partialInput?: unknown;
    }
  | {
      type: 'tool_call_complete';
      index: number;
      id: string;
      name: string;
      arguments: string;
      input: unknown;
      /** Set when the arguments are not valid JSON; the stream goes on. */
      inputError?: TokenwireError;
    };

/**
 * The answer parsed so far, after a `token` that changed it (requests with a `responseFormat` of
 * `json` or `json_schema`). `object` is a snapshot of the answer as it stood after that token:
 * later text never changes it (the parts already closed are shared between snapshots).
 */
export interface PartialObjectEvent<Output = unknown> {
  type: 'partial_object';
  object: PartialDeep<Output>;
}

/** The successful end of a stream, with everything that arrived. */
export interface FinishEvent<Output = unknown> {
  type: 'finish';
  reason: FinishReason;
  rawReason?: string;
  usage: Usage;
  /** What the stream cost in USD, summed over its steps, when `createTokenwire({ prices })` knows the model's price. */
  cost?: Cost;
  content: string;
  reasoning: string;
  /**
   * The reasoning as the provider's blocks, with their signatures and redacted data: put them on
   * the next assistant message (`reasoning`) so Anthropic thinking and Gemini 3 can continue.
   * Present when the provider sent reasoning, a signature or redacted reasoning.
   */
  reasoningParts?: ReasoningPart[];
  toolCalls: ToolCall[];
  provider: string;
  model: string;
  responseId?: string;
  /**
   * With a `responseFormat` of `json` or `json_schema`: the answer parsed and, for a schema,
   * validated (and transformed by a Standard Schema). The raw text stays in `content`.
   */
  object?: Output;
  /** Set instead of `object` when the answer is not JSON (cut off, say) or breaks the schema; the stream still finishes. */
  objectError?: TokenwireError;
  /**
   * What to append to the conversation to continue it, on any provider: the assistant turn (text,
   * tool calls, reasoning parts) and, with executable tools, every step's turn and tool results.
   * `messages.push(...finish.messages)`.
   */
  messages: Message[];
  /** The model steps of a stream with executable tools, in order. */
  steps?: StepSummary[];
  /** True when the stream stopped at `maxSteps` while the model was still calling executable tools. */
  maxStepsReached?: boolean /**
   * Set by `parseSSE` on a stream read from a resume point (a new client sending a saved
   * `Last-Event-ID`, so no `start` event): the id it resumed after. `content`, `reasoning` and
   * `toolCalls` then hold only what came after that point; resume from `<streamId>:0` to get all.
   */;
  resumedAfter?: string;
}

/** What had arrived when a stream failed. */
export interface PartialResult {
  content: string;
  reasoning: string;
  toolCalls: ToolCall[];
  usage: Usage;
  /** What had been spent, when the price is known. */
  cost?: Cost;
}

/** The failed end of a stream; nothing that arrived is lost. */
export interface ErrorEvent {
  type: 'error';
  error: TokenwireError;
  partial: PartialResult /**
   * Set by `parseSSE` on a stream read from a resume point (a new client sending a saved
   * `Last-Event-ID`, so no `start` event): the id it resumed after. `partial` then holds only what came after that point; resume from `<streamId>:0` to get all.
   */;
  resumedAfter?: string;
}

/** A file the model produced (a Gemini inline image, say), whole: its media type and base64 bytes. */
export interface FileEvent {
  type: 'file';
  mediaType: string;
  /** The bytes, base64. */
  data: string;
}

/** Every event a tokenwire stream yields. Exactly one `finish` or `error` comes last. */
export type StreamEvent<Output = unknown> =
  | StartEvent
  | TokenChunk
  | FileEvent
  | ReasoningChunk
  | ToolCallEvent
  | PartialObjectEvent<Output>
  | ToolResultEvent
  | ToolApprovalRequestEvent
  | StepEvent
  | FinishEvent<Output>
  | ErrorEvent;
