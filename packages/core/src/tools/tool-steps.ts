import type { Cost } from '../model/cost-types.js';
import type { TokenwireError } from '../model/errors.js';
import type { StepFinishEvent, StepSummary, ToolResultEvent } from '../model/tool-types.js';
import type {
  ErrorEvent,
  FinishEvent,
  Message,
  PartialResult,
  ReasoningPart,
  ToolCall,
  Usage,
} from '../model/types.js';
import { assistantTurnOf } from './assistant-turn.js';
import { toolMessageOf } from './tool-execution.js';

/**
 * What the steps of a tool loop add up to: every step's summary, the messages that continue the
 * conversation, the tool calls and the usage so far. Each finished step is recorded once.
 */
export class StepLedger {
  readonly steps: StepSummary[] = [];
  /** The assistant turns and tool results of the finished steps, in order. */
  readonly messages: Message[] = [];
  private readonly reasoningParts: ReasoningPart[] = [];
  private toolCalls: ToolCall[] = [];
  private usage: Usage | undefined;
  /** The steps' cost summed; undefined once a step had none (an unknown price). */
  private cost: Cost | undefined;
  private costKnown = true;
  /** How much text the earlier steps carried into this one's `content`. */
  private carriedContent = 0;

  /** Records a step's finish and returns its `step_finish` event. */
  record(step: number, finish: FinishEvent): StepFinishEvent {
    const content = finish.content.slice(this.carriedContent);
    this.carriedContent = finish.content.length;
    this.steps.push({
      step,
      provider: finish.provider,
      model: finish.model,
      reason: finish.reason,
      ...(finish.rawReason === undefined ? {} : { rawReason: finish.rawReason }),
      usage: finish.usage,
      content,
      toolCalls: finish.toolCalls,
      toolResults: [],
    });
    this.messages.push(assistantTurnOf({ ...finish, content }));
    if (finish.reasoningParts !== undefined) this.reasoningParts.push(...finish.reasoningParts);
    this.toolCalls = this.toolCalls.concat(finish.toolCalls);
    this.usage = this.usage === undefined ? finish.usage : sumUsage(this.usage, finish.usage);
    this.addCost(finish.cost);
    return {
      type: 'step_finish',
      step,
      reason: finish.reason,
      usage: finish.usage,
      toolCalls: finish.toolCalls,
    };
  }

  /** Adds the results of the last step's tools, in call order, to it and to the messages. */
  addResults(results: readonly ToolResultEvent[]): void {
    const step = this.steps[this.steps.length - 1] as StepSummary;
    for (const result of results) {
      step.toolResults.push(result);
      this.messages.push(toolMessageOf(result));
    }
  }

  /**
   * The stream's one finish: the last step's text, reasoning and answer, with every step's tool
   * calls, usage, turns and results. `finish` is the last step's (recorded already, unless the
   * stream was cancelled before it began).
   */
  finish(
    finish: FinishEvent,
    extra: { reason?: FinishEvent['reason']; maxStepsReached?: boolean } = {},
  ): FinishEvent {
    const merged: FinishEvent = {
      ...finish,
      reason: extra.reason ?? finish.reason,
      usage: this.usage ?? finish.usage,
      toolCalls: this.toolCalls,
      messages: this.messages,
      steps: this.steps,
    };
    if (this.steps.length > 0) {
      if (this.costKnown && this.cost !== undefined) merged.cost = this.cost;
      else delete merged.cost;
    }
    if (this.reasoningParts.length > 0) merged.reasoningParts = this.reasoningParts;
    else delete merged.reasoningParts;
    if (extra.maxStepsReached === true) merged.maxStepsReached = true;
    return merged;
  }

  /**
   * The stream failed: its error, with everything it had so far. `partial` is the failed step's
   * (its text includes the earlier steps'); without tool calls and usage when no step was running.
   */
  fail(
    error: TokenwireError,
    partial: Pick<PartialResult, 'content' | 'reasoning'> & Partial<PartialResult>,
  ): ErrorEvent {
    const usage = partial.usage;
    const cost = this.steps.length === 0 ? partial.cost : this.costWith(partial.cost, usage !== undefined);
    return {
      type: 'error',
      error,
      partial: {
        ...(cost === undefined ? {} : { cost }),
        content: partial.content,
        reasoning: partial.reasoning,
        toolCalls: this.toolCalls.concat(partial.toolCalls ?? []),
        usage:
          this.usage === undefined
            ? (usage ?? ZERO_USAGE)
            : usage === undefined
              ? this.usage
              : sumUsage(this.usage, usage),
      },
    };
  }

  private addCost(cost: Cost | undefined): void {
    if (cost === undefined) this.costKnown = false;
    else this.cost = this.cost === undefined ? cost : sumCost(this.cost, cost);
  }

  /** The steps' cost with a failed step's, when every one is known. */
  private costWith(cost: Cost | undefined, stepRan: boolean): Cost | undefined {
    if (!this.costKnown || this.cost === undefined) return undefined;
    if (!stepRan) return this.cost;
    return cost === undefined ? undefined : sumCost(this.cost, cost);
  }
}

const ZERO_USAGE: Usage = { inputTokens: 0, outputTokens: 0, totalTokens: 0, estimated: true };

const OPTIONAL_COUNTS = ['cachedInputTokens', 'cacheWriteTokens', 'reasoningTokens'] as const;

/** Two steps' usage added up: estimated when either is. */
export function sumUsage(first: Usage, second: Usage): Usage {
  const sum: Usage = {
    inputTokens: first.inputTokens + second.inputTokens,
    outputTokens: first.outputTokens + second.outputTokens,
    totalTokens: first.totalTokens + second.totalTokens,
    estimated: first.estimated || second.estimated,
  };
  for (const key of OPTIONAL_COUNTS) {
    if (first[key] !== undefined || second[key] !== undefined)
      sum[key] = (first[key] ?? 0) + (second[key] ?? 0);
  }
  return sum;
}

const COST_KINDS = ['input', 'cachedInput', 'cacheWrite', 'output', 'reasoning', 'total'] as const;

/** Two steps' cost added up. */
function sumCost(first: Cost, second: Cost): Cost {
  const sum: Cost = { ...first };
  for (const kind of COST_KINDS) sum[kind] = first[kind] + second[kind];
  return sum;
}
