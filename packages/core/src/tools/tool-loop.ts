import type { ToolResultEvent } from '../model/tool-types.js';
import type { ErrorEvent, FinishEvent, Message, StreamEvent, ToolCall } from '../model/types.js';
import { EventQueue } from '../runtime/event-queue.js';
import { timeoutError } from '../runtime/normalize-error.js';
import type { StreamPlan, StreamTarget } from '../runtime/stream-plan.js';
import { StreamRuntime } from '../runtime/stream-runtime.js';
import type { TokenwireStream } from '../runtime/tokenwire-stream.js';
import type { ToolRunner } from './resolve-tools.js';
import {
  approvalRequestOf,
  type DecidedCall,
  needsApproval,
  runDecision,
  takeDecisions,
} from './tool-approvals.js';
import { runToolCall, toolMessageOf } from './tool-execution.js';
import { StepLedger } from './tool-steps.js';

/**
 * The stream of a request with executable tools: model steps, each a StreamRuntime, with the
 * step's tools run between them, as one stream, on the same EventQueue as a step's.
 */
export class ToolLoop extends EventQueue implements TokenwireStream {
  private inner: StreamRuntime;
  private step = 1;
  private stepStarted = false;
  private readonly ledger = new StepLedger();
  /** What runs while the stream does: a model step, or the step's tools. */
  private phase: 'stepping' | 'tools' = 'stepping';
  /** When the whole stream must be over (`timeouts.totalMs`), in Date.now() time. */
  private deadline: number | undefined;
  private totalTimer: ReturnType<typeof setTimeout> | undefined;
  /** Aborted when the stream ends while tools run. */
  private toolsController: AbortController | undefined;
  /** The finish of the step whose tools run. */
  private toolsFinish: FinishEvent | undefined;
  /** The results of the running step's calls, in call order, as they complete. */
  private toolResults: Array<ToolResultEvent | undefined> = [];
  private readonly onAbort = () => this.cancel();
  private readonly onStepResult = (result: IteratorResult<StreamEvent>) => this.fromStepResult(result);
  /** A next() of the current step is on its way: its events come through it. */
  private pullingStep = false;
  /** cancel() was called while a step streamed: its finish, even a finished one's, ends the stream. */
  private cancelled = false;
  /** The decisions the request carries (tool approvals), carried out before the first step. */
  private readonly decided: DecidedCall[];
  /** Their results, sent after `start`. */
  private decidedResults: ToolResultEvent[] = [];
  /** The running step's calls that wait for approval: the stream ends with them. */
  private toAsk: ToolCall[] = [];

  constructor(
    private readonly plan: StreamPlan,
    private readonly runners: ReadonlyMap<string, ToolRunner>,
    private readonly maxSteps: number,
  ) {
    super();
    const { messages, decided } = takeDecisions(plan.request.messages);
    this.decided = decided;
    // Decisions never reach a provider: carried out, or (used already) dropped.
    if (messages !== plan.request.messages) this.plan = { ...plan, request: { ...plan.request, messages } };
    // The loop owns the signal: it cancels the step, or the tools, whichever runs.
    const { signal: _signal, ...stepPlan } = this.plan;
    this.inner = new StreamRuntime({ ...stepPlan, step: 1 });
  }

  /** A consumer waits on an empty queue: begin, or read the step once more (tools report themselves). */
  protected demand(): void {
    if (this.state === 'idle') this.begin();
    if (this.state === 'running' && this.phase === 'stepping' && !this.pullingStep) this.pullStep();
  }

  return(): Promise<IteratorResult<StreamEvent>> {
    this.cancel();
    return this.dropQueued();
  }

  cancel(): void {
    if (this.state === 'finished') return;
    if (this.phase === 'tools' && this.toolsFinish === undefined) {
      // The request's decisions are being carried out: no step has begun; it ends cancelled.
      this.toolsController?.abort();
      this.toolsController = undefined;
      this.phase = 'stepping';
    } else if (this.phase === 'tools') {
      this.ledger.addResults(this.completedResults());
      this.end(this.ledger.finish(this.toolsFinish as FinishEvent, { reason: 'cancelled' }));
      return;
    }
    this.state = 'running';
    this.cancelled = true;
    this.inner.cancel();
    // The step's events, its cancelled finish last, are the stream's now, unless a pull takes them.
    if (!this.pullingStep) for (const event of this.inner.takeQueued()) this.fromStep(event);
  }

  private begin(): void {
    this.state = 'running';
    const { signal, timeouts } = this.plan;
    if (timeouts.totalMs !== undefined) {
      this.deadline = Date.now() + timeouts.totalMs;
      // Steps time out by their own timers; this one covers the tools.
      this.totalTimer = setTimeout(() => this.onTotalTimeout(), timeouts.totalMs);
    }
    if (signal?.aborted) this.inner.cancel();
    else {
      signal?.addEventListener('abort', this.onAbort, { once: true });
      if (this.decided.length > 0) this.runDecisions();
    }
  }

  /** Runs the approved calls (refusals become error results), then streams the first step after them. */
  private runDecisions(): void {
    this.phase = 'tools';
    const controller = new AbortController();
    this.toolsController = controller;
    const history = this.plan.request.messages;
    const running = this.decided.map((decided) =>
      runDecision(decided, this.runners.get(decided.call.name), controller.signal, history),
    );
    void Promise.all(running).then((results) => {
      if (controller.signal.aborted) return;
      this.toolsController = undefined;
      this.decidedResults = results;
      for (const result of results) this.ledger.messages.push(toolMessageOf(result));
      const { signal: _signal, ...stepPlan } = this.plan;
      const messages = [...history, ...this.ledger.messages];
      this.inner = new StreamRuntime({ ...stepPlan, request: { ...this.plan.request, messages }, step: 1 });
      this.phase = 'stepping';
      this.wake();
    });
  }

  /** Reads the current step's next event for the consumer waiting on the loop. */
  private pullStep(): void {
    this.pullingStep = true;
    void this.inner.next().then(this.onStepResult);
  }

  private fromStepResult(result: IteratorResult<StreamEvent>): void {
    this.pullingStep = false;
    if (result.done) return;
    const type = result.value.type;
    // Text, reasoning and tool-call events pass as they are.
    if (type !== 'start' && type !== 'finish' && type !== 'error') this.queue.push(result.value);
    else this.fromStep(result.value);
    this.wake();
  }

  /** Hands the consumer what is queued, or reads on for it while a step streams. */
  private wake(): void {
    this.deliver();
    if (this.waiting !== undefined && this.head === this.queue.length) this.demand();
  }

  /** Queues what a step's event becomes: `start` (then `step_start`), `step_finish` and more, or the end. */
  private fromStep(event: StreamEvent): void {
    if (event.type === 'start') {
      this.stepStarted = true;
      if (this.step === 1) this.queue.push(event, ...this.decidedResults);
      this.queue.push({ type: 'step_start', step: this.step, provider: event.provider, model: event.model });
    } else if (event.type === 'finish') this.stepFinished(event);
    else if (event.type === 'error') this.end(this.ledger.fail(event.error, event.partial));
    else this.queue.push(event);
  }

  /** A step ended: its tools run, or the stream ends. Returns the event to deliver now. */
  private stepFinished(finish: FinishEvent): void {
    // Cancelled before the step's request began: nothing of it to record.
    if (!this.stepStarted) {
      this.end(this.ledger.finish(finish));
      return;
    }
    const stepFinish = this.ledger.record(this.step, finish);
    this.queue.push(stepFinish);
    this.plan.hooks?.step(finish.provider, finish.model, stepFinish, finish.cost);
    // A step that had finished when the stream was cancelled runs no tools: the stream ends cancelled.
    if (this.cancelled) {
      this.end(this.ledger.finish(finish, { reason: 'cancelled' }));
      return;
    }
    const calls =
      finish.reason === 'tool_calls' ? finish.toolCalls.filter((call) => this.isRunByLoop(call)) : [];
    this.toAsk = calls.filter((call) => needsApproval(call, this.runners.get(call.name)));
    const run = calls.filter((call) => !this.toAsk.includes(call));
    if (calls.length === 0) this.end(this.ledger.finish(finish));
    else if (run.length === 0) this.awaitApprovals(finish);
    else this.runTools(finish, run);
  }

  /** A call the loop answers: an executable tool's, or one naming no declared tool (an error result). */
  private isRunByLoop(call: ToolCall): boolean {
    return (
      this.runners.has(call.name) || !(this.plan.request.tools ?? []).some((tool) => tool.name === call.name)
    );
  }

  private runTools(finish: FinishEvent, calls: ToolCall[]): void {
    this.phase = 'tools';
    this.toolsFinish = finish;
    const controller = new AbortController();
    this.toolsController = controller;
    const history: readonly Message[] = [...this.plan.request.messages, ...this.ledger.messages];
    const results: Array<ToolResultEvent | undefined> = calls.map(() => undefined);
    this.toolResults = results;
    let pending = calls.length;
    calls.forEach((call, position) => {
      const toolStartedAt = Date.now();
      void runToolCall(call, this.runners.get(call.name), controller.signal, history).then((result) => {
        if (controller.signal.aborted) return;
        this.plan.hooks?.toolResult(finish.provider, finish.model, result, toolStartedAt);
        results[position] = result;
        this.queue.push(result);
        if (--pending === 0)
          this.afterTools(finish, results as ToolResultEvent[], calls.length < finish.toolCalls.length);
        else this.deliver();
      });
    });
  }

  /** Every tool of the step answered: the next step, or the end (caller-run calls remain, or maxSteps). */
  private afterTools(finish: FinishEvent, results: ToolResultEvent[], callerRunCallsRemain: boolean): void {
    this.toolsController = undefined;
    this.ledger.addResults(results);
    if (this.toAsk.length > 0) this.awaitApprovals(finish);
    else if (callerRunCallsRemain) this.end(this.ledger.finish(finish));
    else if (this.step >= this.maxSteps) this.end(this.ledger.finish(finish, { maxStepsReached: true }));
    else if (this.deadline !== undefined && Date.now() >= this.deadline) this.onTotalTimeout();
    else {
      this.nextStep(finish);
      this.wake();
    }
  }

  /** Streams the next step, on the provider and model that answered, with the turns and results so far. */
  private nextStep(finish: FinishEvent): void {
    const target = this.plan.targets.find((candidate) => candidate.provider === finish.provider);
    const answered: StreamTarget = {
      ...(target ?? (this.plan.targets[0] as StreamTarget)),
      model: finish.model,
    };
    const plan: StreamPlan = {
      ...this.plan,
      targets: [answered],
      request: { ...this.plan.request, messages: [...this.plan.request.messages, ...this.ledger.messages] },
      carry: { content: finish.content, reasoning: finish.reasoning },
      step: this.step + 1,
    };
    delete plan.signal;
    if (this.deadline !== undefined)
      plan.timeouts = { ...plan.timeouts, totalMs: Math.max(1, this.deadline - Date.now()) };
    this.inner = new StreamRuntime(plan);
    this.step++;
    this.stepStarted = false;
    this.toolsFinish = undefined;
    this.phase = 'stepping';
  }

  /** The step's calls that need approval are asked for; the stream ends, waiting for the decisions. */
  private awaitApprovals(finish: FinishEvent): void {
    for (const call of this.toAsk) this.queue.push(approvalRequestOf(call));
    this.end(this.ledger.finish(finish, { reason: 'awaiting_approval' }));
  }

  private onTotalTimeout(): void {
    // A step times out by its own timer; this one covers the tools (not a request's decisions).
    if (this.state === 'finished' || this.phase !== 'tools' || this.toolsFinish === undefined) return;
    const finish = this.toolsFinish as FinishEvent;
    const { content, reasoning } = finish;
    this.end(
      this.ledger.fail(timeoutError('total', this.plan.timeouts, finish.provider), { content, reasoning }),
    );
  }

  private completedResults(): ToolResultEvent[] {
    return this.toolResults.filter((result): result is ToolResultEvent => result !== undefined);
  }

  private end(terminal: FinishEvent | ErrorEvent): void {
    if (this.state === 'finished') return;
    clearTimeout(this.totalTimer);
    this.plan.signal?.removeEventListener('abort', this.onAbort);
    this.toolsController?.abort();
    this.toolsController = undefined;
    this.inner.cancel();
    this.plan.hooks?.end(terminal);
    this.settle(terminal);
  }
}
