import type { StandardSchemaV1 } from '@standard-schema/spec';
import type { FinishReason, JsonSchema, Message, ToolCall, Usage } from './types.js';

/** A tool as adapters get it: its name, description and the JSON Schema of its input. */
export interface ToolDefinition {
  name: string;
  description?: string;
  /** JSON Schema of the input object. Defaults to an object with no properties. */
  parameters?: JsonSchema;
  /** Ask providers that support it to enforce the schema strictly. */
  strict?: boolean;
}

/** What `execute` gets besides the input. */
export interface ToolExecutionContext {
  /** Aborted when the stream is cancelled, broken out of, or times out (`totalMs`): stop the work. */
  signal: AbortSignal;
  /** The id of the call being run: one step's calls run at the same time. */
  toolCallId: string;
  /** The conversation so far, ending with the assistant turn that made this call. */
  messages: readonly Message[];
}

/**
 * A function the model may call. With `execute`, tokenwire runs it when the model calls it, sends
 * the result back and streams the next step (see `StreamRequest.maxSteps`); without it, the call is
 * the caller's to run, as it ends the stream with reason `tool_calls`. `parameters` is a JSON
 * Schema or a Standard Schema (zod 4, valibot, arktype), which then types `execute`'s input; the
 * input is checked against it before `execute` is called.
 */
export interface Tool<Input = unknown, Output = unknown> extends Omit<ToolDefinition, 'parameters'> {
  /** The input's JSON Schema, or a Standard Schema (its JSON Schema goes to the provider). Default: an object with no properties. */
  parameters?: JsonSchema | StandardSchemaV1<unknown, Input>;
  /**
   * Runs the tool. Its return value goes back to the model (a string as is, anything else as
   * JSON); a throw goes back as an error result (`isError`), and the stream goes on.
   */
  execute?(input: Input, context: ToolExecutionContext): Output | Promise<Output>;
  /**
   * Ask the user first (a tool with `execute`): `true`, or a function of the call's input that says
   * whether this call needs it. Such a call is not run: the stream ends with a
   * `tool_approval_request` and reason `awaiting_approval`, and the next request, carrying the
   * decision as a `tool` message with `approval`, runs it (or sends the refusal). Default false.
   * Write the tool with `tool()` for the function's input to be typed by `parameters`.
   */
  // The function's input is `never` here so that every Tool<Input> is a Tool; `tool()` types it by the schema.
  needsApproval?: boolean | ((input: never) => boolean);
}

/** A tool the stream ran: the result that goes back to the model. */
export interface ToolResultEvent {
  type: 'tool_result';
  toolCallId: string;
  name: string;
  /** What `execute` returned, or the message of what failed (`isError`). */
  output: unknown;
  /** The tool threw, its input broke its schema or was not JSON, or the model named no such tool. */
  isError?: boolean;
}

/**
 * A call of a tool with `needsApproval` that the stream did not run: it finishes with reason
 * `awaiting_approval`, and the next request runs the call (or refuses it) once it carries the
 * decision, a `tool` message with `approval` for this `toolCallId`.
 */
export interface ToolApprovalRequestEvent {
  type: 'tool_approval_request';
  /** The id the decision names: the call's id. */
  approvalId: string;
  toolCallId: string;
  name: string;
  input: unknown;
}

/** A model step of a stream with executable tools begins (every step, the first included). */
export interface StepStartEvent {
  type: 'step_start';
  /** 1, 2, … */
  step: number;
  provider: string;
  model: string;
}

/** A model step ended; its tools, if any, run next. */
export interface StepFinishEvent {
  type: 'step_finish';
  step: number;
  reason: FinishReason;
  usage: Usage;
  toolCalls: ToolCall[];
}

/** `step_start` or `step_finish`. */
export type StepEvent = StepStartEvent | StepFinishEvent;

/** One model step of a multi-step stream, on `finish.steps`. */
export interface StepSummary {
  step: number;
  provider: string;
  model: string;
  reason: FinishReason;
  rawReason?: string;
  usage: Usage;
  /** The step's text. */
  content: string;
  toolCalls: ToolCall[];
  /** The results of the calls tokenwire ran after this step. */
  toolResults: ToolResultEvent[];
}
