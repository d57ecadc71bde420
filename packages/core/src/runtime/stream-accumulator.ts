import { TokenwireError } from '../model/errors.js';
import { estimateQuarterTokens } from '../model/estimate-tokens.js';
import type {
  AdapterDelta,
  ErrorEvent,
  FinishEvent,
  FinishReason,
  PartialResult,
  StreamEvent,
  Usage,
} from '../model/types.js';
import { assistantTurnOf } from '../tools/assistant-turn.js';
import type { DeliveredState } from './delivered-state.js';
import { flatten, shouldFlatten } from './flatten.js';
import { closes, ReasoningText } from './reasoning-text.js';
import { DEFAULT_LIMITS, limitError, type StreamLimits } from './stream-limits.js';
import type { StructuredAnswer } from './structured-answer.js';
import { ToolCallAssembler } from './tool-call-assembler.js';

const FINISH_REASONS: ReadonlySet<string> = new Set([
  'stop',
  'length',
  'tool_calls',
  'content_filter',
  'cancelled',
  'other',
]);

/**
 * Turns the deltas of one attempt into normalized events, synchronously, and keeps everything
 * that arrived. It enforces the invariants that depend on the deltas alone: accumulation,
 * tool-call assembly, `tool_calls` derived from calls, usage always present, start first.
 * Per delta it appends strings and allocates the one event it emits: nothing is copied.
 */
export class StreamAccumulator {
  content = '';
  /** True once any event was emitted: from then on the attempt cannot be retried. */
  started = false;
  finishReason: FinishReason | undefined;
  private rawReason: string | undefined;
  private contentUnits = 0;
  private appendedSinceFlatten = 0;
  private readonly reasoningText = new ReasoningText();
  /** The model that answers: the requested one until the provider names its own. */
  model: string;
  private responseId: string | undefined;
  private readonly usage: Partial<Usage> = {};
  private readonly tools: ToolCallAssembler;
  /** Where this step's text starts in `content` (after the carried steps'). */
  private readonly contentStart: number = 0;

  constructor(
    readonly provider: string,
    requestedModel: string,
    private readonly estimateInputTokens: () => number,
    private readonly limits: Pick<StreamLimits, 'toolArguments' | 'record'> = DEFAULT_LIMITS,
    /** The structured answer being parsed, for requests with a JSON `responseFormat`. */
    readonly structured?: StructuredAnswer,
    /** The text and reasoning of the steps before this one: accumulation goes on from them. */
    carry?: { content: string; reasoning: string },
  ) {
    this.model = requestedModel;
    if (carry !== undefined) {
      this.content = carry.content;
      this.contentStart = carry.content.length;
      this.reasoningText.carry(carry.reasoning);
    }
    this.tools = new ToolCallAssembler(limits.toolArguments, provider);
  }

  /** The reasoning so far (this step's, after the carried steps'). */
  get reasoning(): string {
    return this.reasoningText.text;
  }

  /** Applies one delta, pushing the events it produces to `out`. Throws TokenwireError on a bad delta. */
  push(delta: AdapterDelta, out: StreamEvent[]): void {
    switch (delta.type) {
      case 'text':
        this.pushText(delta.delta, out);
        return;
      case 'reasoning':
        this.pushReasoning(delta, out);
        return;
      case 'tool_call':
        if (delta.argumentsDelta !== undefined && delta.argumentsDelta.length > this.limits.record) {
          throw this.recordTooLarge('A tool-call arguments fragment', delta.argumentsDelta.length);
        }
        if (!this.started) this.emitStart(out);
        this.tools.fragment(delta, out);
        return;
      case 'tool_call_end':
        this.tools.end(delta.index, out);
        return;
      case 'file':
        if (!this.started) this.emitStart(out);
        out.push({ type: 'file', mediaType: delta.mediaType, data: delta.data });
        return;
      case 'usage':
        for (const key in delta.usage) {
          const value = delta.usage[key as keyof Usage];
          if (value !== undefined && value !== null) (this.usage as Record<string, unknown>)[key] = value;
        }
        return;
      case 'start':
        this.applyStart(delta);
        return;
      case 'finish':
        this.applyFinish(delta, out);
        return;
      default:
        throw invalidDelta(
          this.provider,
          `a delta of the unknown type '${String((delta as { type?: unknown }).type)}'`,
        );
    }
  }

  private pushText(text: string, out: StreamEvent[]): void {
    if (text === '') return;
    if (text.length > this.limits.record) throw this.recordTooLarge('A text delta', text.length);
    if (!this.started) this.emitStart(out);
    const before = Math.ceil(this.contentUnits / 4);
    this.content += text;
    this.appendedSinceFlatten += text.length;
    // `+=` builds a rope of 32-byte nodes, 3–6 times the text it holds. Flattening it once the
    // appended text reaches an eighth of the whole keeps the rope small for linear cost: each
    // character is copied about eight times over the life of the stream.
    if (shouldFlatten(this.appendedSinceFlatten, this.content.length)) {
      flatten(this.content);
      this.appendedSinceFlatten = 0;
    }
    this.contentUnits += estimateQuarterTokens(text);
    const after = Math.ceil(this.contentUnits / 4);
    out.push({
      type: 'token',
      content: text,
      accumulatedContent: this.content,
      tokenCount: after - before,
      totalTokens: after,
      model: this.model,
      finishReason: null,
    });
    if (this.structured?.push(text)) out.push({ type: 'partial_object', object: this.structured.snapshot() });
  }

  private pushReasoning(delta: Extract<AdapterDelta, { type: 'reasoning' }>, out: StreamEvent[]): void {
    if (delta.delta === '' && !closes(delta)) return;
    if (delta.delta.length > this.limits.record)
      throw this.recordTooLarge('A reasoning delta', delta.delta.length);
    if (!this.started) this.emitStart(out);
    out.push(this.reasoningText.push(delta));
  }

  private applyStart(delta: Extract<AdapterDelta, { type: 'start' }>): void {
    // A provider that streams several messages in one response (Anthropic programmatic tool
    // calling) starts the next one, with a new id, after a finish: the stream is not finished
    // until that one ends too. A repeated start of the same response changes nothing.
    if (delta.responseId && this.responseId && delta.responseId !== this.responseId) {
      this.finishReason = undefined;
      this.rawReason = undefined;
    }
    if (delta.model) this.model = delta.model;
    if (delta.responseId) this.responseId = delta.responseId;
  }

  private applyFinish(delta: Extract<AdapterDelta, { type: 'finish' }>, out: StreamEvent[]): void {
    if (!FINISH_REASONS.has(delta.reason)) {
      throw invalidDelta(this.provider, `a finish delta with the unknown reason '${String(delta.reason)}'`);
    }
    this.finishReason = delta.reason;
    this.rawReason = delta.rawReason;
    if (!this.started) this.emitStart(out);
    this.tools.completeAll(out);
  }

  /** The adapter's stream ended: the finish event, or a truncation error when no finish delta came. */
  end(out: StreamEvent[]): FinishEvent | ErrorEvent {
    if (this.finishReason === undefined) {
      const error = new TokenwireError({
        code: 'invalid_response',
        provider: this.provider,
        retryable: !this.started,
        message: `The ${this.provider} stream ended before the provider finished the response (truncated stream).`,
      });
      return this.fail(error);
    }
    this.tools.completeAll(out);
    if (!this.started) this.emitStart(out);
    const reason =
      this.finishReason === 'stop' && this.tools.completedCount > 0 ? 'tool_calls' : this.finishReason;
    return this.finishEvent(reason);
  }

  /**
   * The stream was cancelled: a `finish` with reason `cancelled` and what the consumer was given
   * (`delivered`: the state behind the events still queued for it, which are dropped).
   */
  cancel(delivered: DeliveredState = {}): FinishEvent {
    if (delivered.content !== undefined) this.content = delivered.content;
    if (delivered.reasoning !== undefined) this.reasoningText.rollBack(delivered.reasoning);
    const finish = this.finishEvent('cancelled');
    const dropped = delivered.undeliveredToolCalls;
    if (dropped !== undefined) finish.toolCalls = finish.toolCalls.filter((call) => !dropped.has(call.id));
    return finish;
  }

  /** The stream failed: an `error` event carrying everything that arrived. */
  fail(error: TokenwireError): ErrorEvent {
    const partial: PartialResult = {
      content: this.content,
      reasoning: this.reasoning,
      toolCalls: this.tools.toolCalls(),
      usage: this.finalUsage(),
    };
    return { type: 'error', error, partial };
  }

  private recordTooLarge(what: string, size: number): TokenwireError {
    return limitError(`${what} from ${this.provider}`, 'record', size, this.limits.record, this.provider);
  }

  private finishEvent(reason: FinishReason): FinishEvent {
    const event: FinishEvent = {
      type: 'finish',
      reason,
      usage: this.finalUsage(),
      content: this.content,
      reasoning: this.reasoning,
      toolCalls: this.tools.toolCalls(),
      provider: this.provider,
      model: this.model,
      messages: [],
    };
    this.reasoningText.addParts(event);
    if (this.rawReason !== undefined) event.rawReason = this.rawReason;
    if (this.responseId !== undefined) event.responseId = this.responseId;
    const content = this.contentStart === 0 ? this.content : this.content.slice(this.contentStart);
    event.messages = [assistantTurnOf({ ...event, content })];
    return event;
  }

  private emitStart(out: StreamEvent[]): void {
    this.started = true;
    out.push(
      this.responseId === undefined
        ? { type: 'start', provider: this.provider, model: this.model }
        : { type: 'start', provider: this.provider, model: this.model, responseId: this.responseId },
    );
  }

  private finalUsage(): Usage {
    const reported = this.usage;
    const inputKnown = typeof reported.inputTokens === 'number';
    const outputKnown = typeof reported.outputTokens === 'number';
    const inputTokens = inputKnown ? (reported.inputTokens as number) : this.estimateInputTokens();
    const outputTokens = outputKnown
      ? (reported.outputTokens as number)
      : Math.ceil(
          (this.contentUnits + this.reasoningText.units + estimateQuarterTokens(this.tools.argumentsText())) /
            4,
        );
    const usage: Usage = {
      inputTokens,
      outputTokens,
      totalTokens:
        inputKnown && outputKnown && typeof reported.totalTokens === 'number'
          ? reported.totalTokens
          : inputTokens + outputTokens,
      estimated: !inputKnown || !outputKnown || reported.estimated === true,
    };
    if (reported.cachedInputTokens !== undefined) usage.cachedInputTokens = reported.cachedInputTokens;
    if (reported.cacheWriteTokens !== undefined) usage.cacheWriteTokens = reported.cacheWriteTokens;
    if (reported.reasoningTokens !== undefined) usage.reasoningTokens = reported.reasoningTokens;
    return usage;
  }
}

function invalidDelta(provider: string, what: string): TokenwireError {
  return new TokenwireError({
    code: 'invalid_response',
    provider,
    message: `The ${provider} adapter yielded ${what}. Adapters may only yield start, text, reasoning, tool_call, tool_call_end, usage and finish deltas.`,
  });
}
