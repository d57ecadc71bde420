import { type StreamEvent, TokenwireError, type Usage } from '@tokenwire/core';

const ERROR_CODES = new Set([
  'authentication',
  'permission',
  'rate_limit',
  'quota_exceeded',
  'context_length',
  'invalid_request',
  'not_found',
  'content_filter',
  'overloaded',
  'server',
  'connection',
  'timeout',
  'invalid_response',
  'configuration',
  'unknown',
]);

const FINISH_REASONS = new Set([
  'stop',
  'length',
  'tool_calls',
  'content_filter',
  'cancelled',
  'awaiting_approval',
  'other',
]);

function usageProblems(usage: Usage | undefined, where: string): string[] {
  if (usage === undefined || usage === null) return [`${where}: usage is missing (invariant 5)`];
  const problems: string[] = [];
  for (const key of ['inputTokens', 'outputTokens', 'totalTokens'] as const) {
    const value = usage[key];
    if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
      problems.push(`${where}: usage.${key} is ${String(value)}, not a count (invariant 5)`);
    }
  }
  if (typeof usage.estimated !== 'boolean')
    problems.push(`${where}: usage.estimated is not a boolean (invariant 5)`);
  if (usage.inputTokens + usage.outputTokens !== usage.totalTokens) {
    problems.push(
      `${where}: usage.totalTokens ${usage.totalTokens} is not inputTokens + outputTokens (${usage.inputTokens} + ${usage.outputTokens}) (invariant 5)`,
    );
  }
  if (usage.reasoningTokens !== undefined && usage.reasoningTokens > usage.outputTokens) {
    problems.push(
      `${where}: usage.reasoningTokens ${usage.reasoningTokens} exceed outputTokens ${usage.outputTokens}: output counts reasoning (invariant 5)`,
    );
  }
  if (usage.cachedInputTokens !== undefined && usage.cachedInputTokens > usage.inputTokens) {
    problems.push(
      `${where}: usage.cachedInputTokens ${usage.cachedInputTokens} exceed inputTokens ${usage.inputTokens}: input counts cache reads (invariant 5)`,
    );
  }
  return problems;
}

interface CallState {
  id: string;
  name: string;
  arguments: string;
  completed: number;
}

/**
 * Checks a complete event sequence against DESIGN.md's invariants 1, 2, 3, 4, 5 and 7 and returns
 * the violations, each naming the event index and the invariant; empty when the stream conforms.
 * (6, cancellation, and 8, unknown events, need a scenario: the conformance suite checks them.)
 */
export function findInvariantViolations(events: readonly StreamEvent[]): string[] {
  const problems: string[] = [];
  if (events.length === 0) return ['the stream yielded no events (invariant 1)'];
  const terminalIndexes = events.flatMap((event, index) =>
    event.type === 'finish' || event.type === 'error' ? [index] : [],
  );
  if (terminalIndexes.length !== 1) {
    problems.push(`expected exactly one terminal event, got ${terminalIndexes.length} (invariant 1)`);
  }
  if (terminalIndexes[0] !== undefined && terminalIndexes[0] !== events.length - 1) {
    problems.push(`event #${terminalIndexes[0]} is terminal but events follow it (invariant 1)`);
  }
  const starts = events.flatMap((event, index) => (event.type === 'start' ? [index] : []));
  if (starts.length > 1) problems.push(`${starts.length} start events (invariant 1)`);
  if (starts.length === 1 && starts[0] !== 0)
    problems.push(`start is event #${starts[0]}, not the first (invariant 1)`);
  if (starts.length === 0 && events.length > 1) {
    problems.push('events came without a start event; only a terminal event may come alone (invariant 1)');
  }

  let content = '';
  let reasoning = '';
  let calls = new Map<number, CallState>();
  const steps = new StepTracker(problems);
  events.forEach((event, index) => {
    const where = `event #${index} (${event.type})`;
    switch (event.type) {
      case 'token':
        content += event.content;
        if (event.accumulatedContent !== content) {
          problems.push(
            `${where}: accumulatedContent is not the concatenation of all content so far (invariant 2)`,
          );
          content = event.accumulatedContent;
        }
        if (event.finishReason !== null)
          problems.push(`${where}: finishReason must be null on a stream token`);
        return;
      case 'reasoning':
        reasoning += event.content;
        if (event.accumulatedReasoning !== reasoning) {
          problems.push(
            `${where}: accumulatedReasoning is not the concatenation of all reasoning (invariant 2)`,
          );
          reasoning = event.accumulatedReasoning;
        }
        return;
      case 'tool_call_chunk': {
        const call = calls.get(event.index) ?? {
          id: event.id,
          name: event.name,
          arguments: '',
          completed: 0,
        };
        calls.set(event.index, call);
        if (call.completed > 0)
          problems.push(`${where}: a fragment of call #${event.index} after it completed (invariant 3)`);
        if (call.id !== event.id)
          problems.push(`${where}: call #${event.index} changed its id (invariant 3)`);
        call.arguments += event.argumentsDelta;
        call.name = event.name;
        if (event.arguments !== call.arguments) {
          problems.push(`${where}: arguments is not the concatenation of the fragments (invariant 3)`);
        }
        return;
      }
      case 'tool_call_complete': {
        const call = calls.get(event.index) ?? {
          id: event.id,
          name: event.name,
          arguments: '',
          completed: 0,
        };
        calls.set(event.index, call);
        call.completed++;
        if (call.completed > 1) problems.push(`${where}: call #${event.index} completed twice (invariant 3)`);
        if (!event.id) problems.push(`${where}: a completed call has no id (invariant 3)`);
        if (!event.name) problems.push(`${where}: a completed call has no name`);
        const expected = call.arguments.trim() === '' ? '{}' : call.arguments;
        if (event.arguments !== expected) {
          problems.push(
            `${where}: arguments ${JSON.stringify(event.arguments)} differ from the fragments (invariant 3)`,
          );
        }
        if (event.inputError === undefined) {
          let parsed: unknown;
          try {
            parsed = JSON.parse(event.arguments);
          } catch {
            problems.push(`${where}: arguments are not JSON but inputError is not set (invariant 3)`);
          }
          if (JSON.stringify(parsed) !== JSON.stringify(event.input)) {
            problems.push(`${where}: input is not the parsed arguments (invariant 3)`);
          }
        } else if (!TokenwireError.isInstance(event.inputError)) {
          problems.push(`${where}: inputError is not a TokenwireError (invariant 7)`);
        }
        return;
      }
      case 'step_start':
        if (steps.start(event, where)) calls = new Map();
        return;
      case 'step_finish':
        steps.finish(event, where, calls);
        problems.push(...usageProblems(event.usage, where));
        return;
      case 'tool_result':
        steps.result(event, where);
        return;
      case 'finish': {
        if (!FINISH_REASONS.has(event.reason)) problems.push(`${where}: unknown reason ${event.reason}`);
        steps.end(event, where);
        if (!Array.isArray(event.messages)) problems.push(`${where}: messages is not a list of messages`);
        if (event.content !== content)
          problems.push(`${where}: content is not the last accumulatedContent (invariant 2)`);
        if (event.reasoning !== reasoning) {
          problems.push(`${where}: reasoning is not the last accumulatedReasoning (invariant 2)`);
        }
        problems.push(...usageProblems(event.usage, where));
        const completed = [...calls.values()].filter((call) => call.completed > 0);
        if (event.reason !== 'cancelled') {
          const open = [...calls.entries()].filter(([, call]) => call.completed === 0);
          if (open.length > 0)
            problems.push(
              `${where}: calls ${open.map(([i]) => `#${i}`).join(', ')} never completed (invariant 3)`,
            );
        }
        if (completed.length > 0 && (event.reason === 'stop' || event.reason === 'other')) {
          problems.push(
            `${where}: tool calls completed but the reason is '${event.reason}', not 'tool_calls' (invariant 4)`,
          );
        }
        if (event.toolCalls.length !== steps.earlierCalls + calls.size) {
          problems.push(
            `${where}: toolCalls has ${event.toolCalls.length} calls, the stream had ${steps.earlierCalls + calls.size} (invariant 3)`,
          );
        }
        return;
      }
      case 'error':
        if (!TokenwireError.isInstance(event.error))
          problems.push(`${where}: error is not a TokenwireError (invariant 7)`);
        else if (!ERROR_CODES.has(event.error.code))
          problems.push(`${where}: unknown error code ${event.error.code}`);
        if (event.partial === undefined) {
          problems.push(`${where}: partial is missing (invariant 7)`);
          return;
        }
        if (event.partial.content !== content)
          problems.push(`${where}: partial.content lost text (invariant 7)`);
        if (event.partial.reasoning !== reasoning)
          problems.push(`${where}: partial.reasoning lost text (invariant 7)`);
        problems.push(...usageProblems(event.partial.usage, `${where} partial`));
        if (event.partial.toolCalls.length < steps.earlierCalls)
          problems.push(`${where}: partial.toolCalls lost the calls of earlier steps (invariant 7)`);
        return;
      case 'start':
        if (!event.provider || !event.model) problems.push(`${where}: provider and model must be set`);
    }
  });
  return problems;
}

type StepEventOf<T extends string> = Extract<StreamEvent, { type: T }>;

/** The step structure of a stream with executable tools: numbered steps, results after their step. */
class StepTracker {
  /** The tool calls of the steps before the current one. */
  earlierCalls = 0;
  private lastStepCalls = 0;
  private step = 0;
  private open = false;
  private callIds = new Set<string>();
  private readonly results = new Set<string>();
  private usageTotal = 0;

  constructor(private readonly problems: string[]) {}

  /** A step begins; true when it is a later one (its calls are numbered from 0 again). */
  start(event: StepEventOf<'step_start'>, where: string): boolean {
    if (this.open)
      this.problems.push(`${where}: step ${event.step} starts before step ${this.step} finished`);
    if (event.step !== this.step + 1)
      this.problems.push(`${where}: step ${event.step} follows step ${this.step}, not step ${this.step + 1}`);
    this.step = event.step;
    this.open = true;
    this.callIds.clear();
    this.earlierCalls += this.lastStepCalls;
    this.lastStepCalls = 0;
    return event.step > 1;
  }

  finish(event: StepEventOf<'step_finish'>, where: string, calls: ReadonlyMap<number, CallState>): void {
    if (!this.open || event.step !== this.step)
      this.problems.push(`${where}: step_finish of step ${event.step}, which is not the one running`);
    this.open = false;
    if (!FINISH_REASONS.has(event.reason)) this.problems.push(`${where}: unknown reason ${event.reason}`);
    if (event.toolCalls.length !== calls.size)
      this.problems.push(
        `${where}: toolCalls has ${event.toolCalls.length} calls, the step had ${calls.size}`,
      );
    for (const call of event.toolCalls) this.callIds.add(call.id);
    this.lastStepCalls = event.toolCalls.length;
    this.usageTotal += event.usage.totalTokens;
  }

  result(event: StepEventOf<'tool_result'>, where: string): void {
    // Before the first step: a decision the request carried (a tool approval); its call is in the conversation.
    const decided = this.step === 0 && !this.open;
    if (!decided && (this.open || !this.callIds.has(event.toolCallId)))
      this.problems.push(`${where}: a result for ${event.toolCallId}, which no finished step called`);
    if (this.results.has(event.toolCallId))
      this.problems.push(`${where}: a second result for ${event.toolCallId}`);
    this.results.add(event.toolCallId);
  }

  /** The stream's finish: every step finished, its usage the sum of theirs. */
  end(event: StepEventOf<'finish'>, where: string): void {
    if (this.step === 0) return;
    if (this.open && event.reason !== 'cancelled')
      this.problems.push(`${where}: step ${this.step} never finished`);
    if (event.steps === undefined) this.problems.push(`${where}: a stream with steps has no finish.steps`);
    else if (event.steps.length !== this.step)
      this.problems.push(
        `${where}: finish.steps has ${event.steps.length} steps, the stream had ${this.step}`,
      );
    if (!this.open && event.usage.totalTokens !== this.usageTotal)
      this.problems.push(
        `${where}: usage.totalTokens ${event.usage.totalTokens} is not the steps' sum ${this.usageTotal}`,
      );
  }
}
