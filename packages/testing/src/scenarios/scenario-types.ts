import type { ChatResponseFormat, FinishReason, Usage } from '@tokenwire/core';
import type { CustomWireFormat } from '../wire-format.js';
import type { WireProtocol } from '../wire-formats.js';

/** What a scenario's stream must end with, in normalized terms. Unset fields are not checked. */
export interface ExpectedOutcome {
  content?: string;
  reasoning?: string;
  /** Some reasoning event carries this signature. */
  signature?: string;
  /** The calls on `finish.toolCalls`, in order. `id` is checked when given (Gemini and Ollama send none). */
  toolCalls?: Array<{ id?: string; name: string; input: unknown }>;
  reason?: FinishReason;
  /** Fields `finish.usage` must have (provider-reported counts, normalized per DESIGN.md invariant 5). */
  usage?: Partial<Usage>;
}

/** One scripted vendor stream and what an adapter must make of it. */
export interface StreamScenario {
  /** Vendor payloads in the vendor's real wire shape, one record each. */
  payloads: unknown[];
  expected: ExpectedOutcome;
}

/** The text scenario, with the record counts the fault scenarios cut it at. */
export interface TextScenario extends StreamScenario {
  /** How many records come before the first one that carries text (metadata, role, pings). */
  recordsBeforeOutput: number;
  /** A cut after some text and before the finish: the records kept and the text they carry. */
  cut: { after: number; content: string };
}

/** How a wire streams a structured answer, and how a request asks for one. */
export interface StructuredOutputScenario {
  /**
   * The payloads of a structured answer: `fragments` streamed the way this wire carries the answer
   * to a request of `format` (text deltas where the provider has a JSON mode; the forced tool's
   * input fragments in a tool fallback), ended by a stop or by the output token limit (`'length'`).
   */
  answerPayloads(fragments: string[], format: ChatResponseFormat, end: 'stop' | 'length'): unknown[];
  /**
   * Problems with how a request body asks for an answer of `format`: the provider's JSON switch,
   * and for `json_schema` the schema (or the instruction that quotes it); empty when it asks right.
   */
  requestProblems(body: unknown, format: ChatResponseFormat): string[];
}

/**
 * Everything the conformance suite needs to drive an adapter of one wire protocol: a vendor payload
 * script per scenario, and a check of the request bodies the adapter sends.
 */
export interface ConformanceScenarios {
  /** A vendor protocol, or a custom adapter's own wire format (served by the replay server at its path). */
  protocol: WireProtocol | CustomWireFormat;
  /** Plain text in several deltas, a stop reason and reported usage. */
  text: TextScenario;
  /**
   * The payloads of a complete text stream of these pieces, one record each; the suite builds an
   * oversized record with it. Optional: without it, that test is skipped with the reason.
   */
  textPayloads?(texts: string[]): unknown[];
  /** Reasoning then text; `{ skip }` with the reason when the protocol has no reasoning. */
  reasoning: StreamScenario | { skip: string };
  /** One tool call, its arguments in fragments (one whole call for protocols that send whole calls). `{ skip }` for a service without tools. */
  toolCall: StreamScenario | { skip: string };
  /** Two tool calls in one response; `{ skip }` with the reason when the service has no parallel calls. */
  parallelToolCalls: StreamScenario | { skip: string };
  /** A tool call whose arguments are empty: completes as `{}`. */
  emptyArgumentsToolCall: StreamScenario | { skip: string };
  /** Usage with cached input and reasoning tokens. */
  usage: StreamScenario;
  /**
   * Structured answers (`responseFormat` json and json_schema); `{ skip }` with the reason for a
   * service without them. Optional: without it, those tests are skipped with the reason.
   */
  structuredOutput?: StructuredOutputScenario | { skip: string };
  /** Text with CJK and an emoji ('你好🙂'), replayed with byte splits inside every character. */
  unicode: StreamScenario;
  /** The text stream with unknown event types and fields mixed in. */
  unknownEvents: StreamScenario;
  /**
   * True when the vendor's in-band error before any output is a retryable error (Anthropic
   * overloaded, OpenAI server_error, Gemini 503), so the runtime must retry it. False accepts
   * either a retry or a non-retryable error alone.
   */
  retriesInBandError: boolean;
  /**
   * Request-side tests that do not apply to this service, each with the reason it is skipped:
   * `image` (a text-only service), `toolConversation` (a service without tools).
   */
  skip?: { image?: string; toolConversation?: string };
  /**
   * What the adapter does with files: each of a PDF, a WAV clip and a tool result with an image is
   * `'sent'` (in the vendor's valid shape) or refused before sending, the path named (`refused`, a
   * part of the path such as `messages[0].content[1].mediaType`). Without it, the file tests are
   * skipped: the adapter declares no file support.
   */
  files?: FileScenarios;
  /**
   * Problems with a request body the adapter sent, by the vendor's rules (roles, tool call and
   * tool result pairing, image parts, tool declarations); empty when the body is valid.
   */
  validateRequest(body: unknown): string[];
}

/** How an adapter treats files: see `ConformanceScenarios.files`. */
export interface FileScenarios {
  pdf: 'sent' | { refused: string };
  audio: 'sent' | { refused: string };
  toolImage: 'sent' | { refused: string };
  /**
   * The provider's limit on an inline file, in MB, when below 40: a 40 MB PDF is then refused
   * before sending, the limit named. Leave out when the provider takes 40 MB inline.
   */
  inlineLimitMB?: number;
}
