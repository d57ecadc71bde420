import type { ToolResultEvent } from '../model/tool-types.js';
import type { ErrorEvent, FinishEvent, Message, StreamEvent, ToolCall } from '../model/types.js';
import { timeoutError } from '../runtime/normalize-error.js';
import type { StreamPlan, StreamTarget } from '../runtime/stream-plan.js';
import { alreadyIteratedError, ResultPromise } from '../runtime/stream-result.js';
import { StreamRuntime } from '../runtime/stream-runtime.js';
import type { TokenwireStream } from '../runtime/tokenwire-stream.js';
import type { ToolRunner } from './resolve-tools.js';
import { runToolCall } from './tool-execution.js';
import { StepLedger } from './tool-steps.js';

type Waiter = (result: IteratorResult<StreamEvent>) => void;
const DONE: IteratorResult<StreamEvent> = { done: true, value: undefined };

/**
 * The stream of a request with executable tools: model steps, each a StreamRuntime, with the
 * step's tools run between them, as one stream. Per event it adds one `then` to the step's.
 */
export class ToolLoop implements TokenwireStream {
  private inner: StreamRuntime;
  private step = 1;
  private stepStarted = false;
  private readonly ledger = new StepLedger();
  /** Events of the loop's own (step and tool events) waiting to be read. */
  private readonly queue: StreamEvent[] = [];
  private state: 'idle' | 'stepping' | 'tools' | 'finished' = 'idle';
  private waiting: Waiter | undefined;
  private pendingNext: Promise<IteratorResult<StreamEvent>> | undefined;
  private terminal: FinishEvent | ErrorEvent | undefined;
  /** What every result() call returns. */
  private readonly results = new ResultPromise();
  private consumed = false;
  private iterated = false;
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
  private readonly transform = (result: IteratorResult<StreamEvent>) => this.fromStepResult(result);
  /** A next() of the current step is on its way: its events come through it. */
  private pullingStep = false;
  /** cancel() was called while a step streamed: its finish, even a finished one's, ends the stream. */
  private cancelled = false;

  constructor(
    private readonly plan: StreamPlan,
    private readonly runners: ReadonlyMap<string, ToolRunner>,
    private readonly maxSteps: number,
  ) {
    // The loop owns the signal: it cancels the step, or the tools, whichever runs.
    const { signal: _signal, ...stepPlan } = plan;
    this.inner = new StreamRuntime({ ...stepPlan, step: 1 });
  }

  [Symbol.asyncIterator](): this {
    if (this.iterated) {
      throw alreadyIteratedError();
    }
    this.iterated = true;
    return this;
  }

  next(): Promise<IteratorResult<StreamEvent>> {
    this.consumed = true;
    if (this.pendingNext !== undefined) return this.pendingNext.then(() => this.next());
    if (this.queue.length > 0) return Promise.resolve(this.take());
    if (this.state === 'finished') return Promise.resolve(DONE);
    if (this.state === 'idle') this.begin();
    // Cleared by the step's transform or by deliver(), before the caller sees the event.
    this.pendingNext =
      this.state === 'stepping'
        ? this.pullStep()
        : new Promise<IteratorResult<StreamEvent>>((resolve) => {
            this.waiting = resolve;
          });
    return this.pendingNext;
  }

  return(): Promise<IteratorResult<StreamEvent>> {
    this.cancel();
    this.queue.length = 0;
    return Promise.resolve(DONE);
  }

  cancel(): void {
    if (this.state === 'finished') return;
    if (this.state === 'tools') {
      this.ledger.addResults(this.completedResults());
      this.end(this.ledger.finish(this.toolsFinish as FinishEvent, { reason: 'cancelled' }));
      return;
    }
    this.state = 'stepping';
    this.cancelled = true;
    this.inner.cancel();
    // The step's events, its cancelled finish last, are the stream's now, unless a pull takes them.
    if (!this.pullingStep) for (const event of this.inner.takeQueued()) this.fromStep(event);
  }

  result(): Promise<FinishEvent> {
    return this.results.get(this.terminal, this.drainUnconsumed);
  }

  private readonly drainUnconsumed = () => {
    if (!this.consumed) void this.drain();
  };

  private async drain(): Promise<void> {
    this.iterated = true;
    while (!(await this.next()).done) {}
  }

  private begin(): void {
    this.state = 'stepping';
    const { signal, timeouts } = this.plan;
    if (timeouts.totalMs !== undefined) {
      this.deadline = Date.now() + timeouts.totalMs;
      // Steps time out by their own timers; this one covers the tools.
      this.totalTimer = setTimeout(() => this.onTotalTimeout(), timeouts.totalMs);
    }
    if (signal?.aborted) this.inner.cancel();
    else signal?.addEventListener('abort', this.onAbort, { once: true });
  }

  /** The next event of the current step, as the loop's stream has it. */
  private pullStep(): Promise<IteratorResult<StreamEvent>> {
    this.pullingStep = true;
    return this.inner.next().then(this.transform);
  }

  private fromStepResult(result: IteratorResult<StreamEvent>): IteratorResult<StreamEvent> {
    this.pullingStep = false;
    this.pendingNext = undefined;
    if (result.done) return this.take();
    const type = result.value.type;
    // Text, reasoning and tool-call events pass as they are.
    if (type !== 'start' && type !== 'finish' && type !== 'error') return result;
    this.fromStep(result.value);
    return this.take();
  }

  /** Queues what a step's event becomes: `start` (then `step_start`), `step_finish` and more, or the end. */
  private fromStep(event: StreamEvent): void {
    if (event.type === 'start') {
      this.stepStarted = true;
      if (this.step === 1) this.queue.push(event);
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
    if (calls.length === 0) this.end(this.ledger.finish(finish));
    else this.runTools(finish, calls);
  }

  /** A call the loop answers: an executable tool's, or one naming no declared tool (an error result). */
  private isRunByLoop(call: ToolCall): boolean {
    return (
      this.runners.has(call.name) || !(this.plan.request.tools ?? []).some((tool) => tool.name === call.name)
    );
  }

  private runTools(finish: FinishEvent, calls: ToolCall[]): void {
    this.state = 'tools';
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
    if (callerRunCallsRemain) this.end(this.ledger.finish(finish));
    else if (this.step >= this.maxSteps) this.end(this.ledger.finish(finish, { maxStepsReached: true }));
    else if (this.deadline !== undefined && Date.now() >= this.deadline) this.onTotalTimeout();
    else {
      this.nextStep(finish);
      this.deliver();
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
    this.state = 'stepping';
  }

  private onTotalTimeout(): void {
    // A step times out by its own timer; this one covers the tools.
    if (this.state !== 'tools') return;
    const finish = this.toolsFinish as FinishEvent;
    const { content, reasoning } = finish;
    this.end(
      this.ledger.fail(timeoutError('total', this.plan.timeouts, finish.provider), { content, reasoning }),
    );
  }

  private completedResults(): ToolResultEvent[] {
    return this.toolResults.filter((result): result is ToolResultEvent => result !== undefined);
  }

  /** Hands the next queued event to a waiting next(). */
  private deliver(): void {
    const waiting = this.waiting;
    if (waiting === undefined) return;
    if (this.queue.length > 0) {
      this.waiting = undefined;
      this.pendingNext = undefined;
      waiting({ done: false, value: this.queue.shift() as StreamEvent });
    } else if (this.state === 'stepping') {
      // The pending next() now follows the new step's pull, which clears it.
      this.waiting = undefined;
      this.pullStep().then(waiting);
    } else if (this.state === 'finished') {
      this.waiting = undefined;
      this.pendingNext = undefined;
      waiting(DONE);
    }
  }

  private take(): IteratorResult<StreamEvent> {
    const event = this.queue.shift();
    return event === undefined ? DONE : { done: false, value: event };
  }

  private end(terminal: FinishEvent | ErrorEvent): void {
    if (this.state === 'finished') return;
    this.state = 'finished';
    clearTimeout(this.totalTimer);
    this.plan.signal?.removeEventListener('abort', this.onAbort);
    this.toolsController?.abort();
    this.toolsController = undefined;
    this.inner.cancel();
    this.terminal = terminal;
    this.plan.hooks?.end(terminal);
    this.queue.push(terminal);
    this.deliver();
    this.results.ended(terminal);
  }
}
