import { openAdapterStream, releaseAttempt } from './chunk-stream.js';
import { deliveredState } from './delivered-state.js';
import type { HookRunner } from './hook-runner.js';
import { normalizeAdapterError, TokenwireError, timeoutError } from './normalize-error.js';
import { estimateRequestTokens } from './request-tokens.js';
import { nextAttempt } from './retry-policy.js';
import { StreamAccumulator } from './stream-accumulator.js';
import { boundErrorMessage } from './stream-limits.js';
import type { StreamPlan, StreamTarget } from './stream-plan.js';
import { alreadyIteratedError, ResultPromise } from './stream-result.js';
import { startAttemptTimers } from './stream-timers.js';
import { StructuredAnswer, settleStructured } from './structured-answer.js';
import type { TokenwireStream } from './tokenwire-stream.js';
import type { Adapter, AdapterDelta, ChunkStream, ErrorEvent, FinishEvent, StreamEvent } from './types.js';

type Waiter = (result: IteratorResult<StreamEvent>) => void;
const DONE: IteratorResult<StreamEvent> = { done: true, value: undefined };

/**
 * The runtime behind a `TokenwireStream`: one hand-written async iterator over the adapter; per
 * delta it awaits nothing but the adapter.
 */
export class StreamRuntime implements TokenwireStream {
  private readonly queue: StreamEvent[] = [];
  private head = 0;
  private waiting: Waiter | undefined;
  private pendingNext: Promise<IteratorResult<StreamEvent>> | undefined;
  private state: 'idle' | 'running' | 'finished' = 'idle';
  private terminal: FinishEvent | ErrorEvent | undefined;
  /** What every result() call returns. */
  private readonly results = new ResultPromise();
  private consumed = false;
  private iterated = false;

  private targetIndex = 0;
  private retry = 0;
  private attempt = 0;
  /** The accumulator of the current attempt. */
  private accumulator: StreamAccumulator;
  private iterator: AsyncIterator<unknown> | undefined;
  /** Set when the adapter opened a ChunkStream: vendor chunks are translated in this loop. */
  private source: ChunkStream | undefined;
  private readonly deltas: AdapterDelta[] = [];
  private deltasRead = 0;
  private controller: AbortController | undefined;
  private normalizeError: Adapter['normalizeError'];
  private onResult: (result: IteratorResult<unknown>) => void = () => {};
  private onFailure: (error: unknown) => void = () => {};
  /** What the first-token and idle timers read of the current attempt. */
  private readonly progress: { accumulator: StreamAccumulator; pulling: boolean; events: number };
  private stopAttemptTimers: (() => void) | undefined;
  private totalTimer: ReturnType<typeof setTimeout> | undefined;
  private backoffTimer: ReturnType<typeof setTimeout> | undefined;
  private readonly onAbort = () => this.cancel();
  /** The executor of next()'s Promise, made once rather than per event. */
  private readonly startWaiting = (resolve: Waiter) => {
    this.waiting = resolve;
    if (this.state === 'idle') this.begin();
    else if (this.iterator !== undefined && !this.progress.pulling) this.pull();
  };

  constructor(private readonly plan: StreamPlan) {
    const first = plan.targets[0];
    if (first === undefined) throw new Error('TokenwireStream needs at least one target');
    this.accumulator = this.newAccumulator(first);
    this.progress = { accumulator: this.accumulator, pulling: false, events: 0 };
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
    if (this.waiting !== undefined) {
      // A second next() before the first settled: answer it after the first, in order.
      return (this.pendingNext as Promise<unknown>).then(() => this.next());
    }
    if (this.head < this.queue.length) return Promise.resolve(this.take());
    if (this.state === 'finished') return Promise.resolve(DONE);
    this.pendingNext = new Promise<IteratorResult<StreamEvent>>(this.startWaiting);
    return this.pendingNext;
  }

  return(): Promise<IteratorResult<StreamEvent>> {
    this.cancel();
    this.queue.length = 0;
    this.head = 0;
    return Promise.resolve(DONE);
  }

  /** Ends the stream now: the events queued and not read are dropped, the finish holds what was read. */
  cancel(): void {
    if (this.state === 'finished') return;
    this.interruptAttempt();
    const undelivered = this.head < this.queue.length ? this.takeQueued() : [];
    const delivered = deliveredState(undelivered);
    for (const event of undelivered) if (event.type === 'start') this.queue.push(event);
    this.end(this.accumulator.cancel(delivered));
  }

  /** The events queued and not yet read, the terminal one last once ended; they are the caller's now. */
  takeQueued(): StreamEvent[] {
    const events = this.queue.slice(this.head);
    this.queue.length = 0;
    this.head = 0;
    return events;
  }

  result(): Promise<FinishEvent> {
    return this.results.get(this.terminal, this.drainUnconsumed);
  }

  private readonly drainUnconsumed = () => {
    if (!this.consumed) void this.drain();
  };

  private async drain(): Promise<void> {
    this.iterated = true;
    // events are delivered to result() through the terminal event
    while (!(await this.next()).done) {}
  }

  private begin(): void {
    this.state = 'running';
    const { signal, timeouts, problem } = this.plan;
    if (problem !== undefined) {
      this.end(this.accumulator.fail(problem));
      return;
    }
    if (signal?.aborted) {
      this.cancel();
      return;
    }
    signal?.addEventListener('abort', this.onAbort, { once: true });
    if (timeouts.totalMs !== undefined) {
      this.totalTimer = setTimeout(() => this.onTimeout('total'), timeouts.totalMs);
    }
    if (this.plan.route === undefined) void this.startAttempt();
    else void this.plan.route(this.plan).then(() => this.state === 'finished' || void this.startAttempt());
  }

  private newAccumulator(target: StreamTarget): StreamAccumulator {
    // A request refused before sending may be malformed: nothing of it is read.
    return new StreamAccumulator(
      target.provider,
      target.model,
      () => (this.plan.problem === undefined ? estimateRequestTokens(this.plan.request) : 0),
      this.plan.limits,
      this.plan.structured === undefined ? undefined : new StructuredAnswer(this.plan.structured),
      this.plan.carry,
    );
  }

  private async startAttempt(): Promise<void> {
    const target = this.plan.targets[this.targetIndex] as StreamTarget;
    const attempt = ++this.attempt;
    this.accumulator = this.newAccumulator(target);
    this.progress.accumulator = this.accumulator;
    let adapter: Adapter;
    try {
      adapter = await target.adapter();
    } catch (error) {
      if (attempt === this.attempt) this.fail(error);
      return;
    }
    if (attempt !== this.attempt || this.state === 'finished') return;
    const controller = new AbortController();
    this.controller = controller;
    this.normalizeError = adapter.normalizeError?.bind(adapter);
    this.onResult = (result) => {
      if (attempt === this.attempt) this.handleResult(result);
    };
    this.onFailure = (error) => {
      if (attempt === this.attempt) this.fail(error);
    };
    // Opening the request counts as waiting for a delta, so a server that never answers times out.
    this.progress.pulling = true;
    this.progress.events++;
    this.stopAttemptTimers = startAttemptTimers(this.plan.timeouts, this.progress, (phase) =>
      this.onTimeout(phase),
    );
    const request = { ...this.plan.request, model: target.model };
    this.plan.hooks?.attempt(target.provider, target.model, this.plan.step ?? 1);
    try {
      const opened = await openAdapterStream(adapter, request, {
        signal: controller.signal,
        maxRecordBytes: this.plan.limits.record,
      });
      if (attempt !== this.attempt) {
        opened.close();
        return;
      }
      this.source = opened.source;
      this.iterator = opened.iterator;
      this.deltas.length = 0;
      this.deltasRead = 0;
    } catch (error) {
      if (attempt === this.attempt) this.fail(error);
      return;
    }
    this.progress.pulling = false;
    if (this.waiting !== undefined) this.pull();
  }

  private pull(): void {
    this.progress.pulling = true;
    try {
      (this.iterator as AsyncIterator<unknown>).next().then(this.onResult, this.onFailure);
    } catch (error) {
      this.fail(error);
    }
  }

  private handleResult(result: IteratorResult<unknown>): void {
    this.progress.pulling = false;
    const queue = this.queue;
    const source = this.source;
    try {
      if (result.done) {
        this.endAttempt(source);
        return;
      }
      if (source === undefined) this.pushDelta(result.value);
      else {
        const complete = this.translate(source, result.value);
        // The terminal record: finish now, even if the server holds the connection open.
        if (complete === true) {
          this.endAttempt(source);
          return;
        }
      }
    } catch (error) {
      this.fail(error);
      return;
    }
    if (this.head < queue.length) {
      if (this.plan.hooks !== undefined && this.accumulator.started) this.reportFirstContent();
      // The idle timeout counts events, not vendor chunks: records without content keep nothing alive.
      this.progress.events++;
      this.deliver();
    } else if (this.waiting !== undefined) this.pull();
  }

  /** The adapter's stream is over: its closing deltas, then the finish (or the truncation error). */
  private endAttempt(source: ChunkStream | undefined): void {
    if (source?.end !== undefined) {
      try {
        source.end(this.deltas);
      } finally {
        this.pushDeltas(); // what came before an error at the end is delivered first
      }
    }
    const terminal = this.accumulator.end(this.queue);
    if (terminal.type === 'error') this.fail(terminal.error);
    else if (this.accumulator.structured === undefined) this.end(terminal);
    else void this.endStructured(terminal, this.accumulator.structured);
  }

  /** Parses and validates the structured answer, then ends with it as `finish.object` (or `objectError`). */
  private async endStructured(finish: FinishEvent, answer: StructuredAnswer): Promise<void> {
    this.stopAttemptTimers?.(); // the provider is done: nothing more to wait for
    this.stopAttemptTimers = undefined;
    await settleStructured(finish, answer, this.plan.carry?.content.length ?? 0);
    this.end(finish);
  }

  /** Translates one chunk and applies its deltas: also those pushed before the translator threw. */
  private translate(source: ChunkStream, chunk: unknown): boolean {
    let complete: unknown;
    try {
      complete = source.translate(chunk, this.deltas);
    } finally {
      this.pushDeltas();
    }
    return complete === true;
  }

  /** Applies the deltas a translator pushed since the last call (the array is emptied only now and then). */
  private pushDeltas(): void {
    const deltas = this.deltas;
    while (this.deltasRead < deltas.length) this.pushDelta(deltas[this.deltasRead++]);
    if (this.deltasRead >= 32) {
      deltas.length = 0;
      this.deltasRead = 0;
    }
  }

  private pushDelta(delta: unknown): void {
    if (typeof delta !== 'object' || delta === null) {
      throw new TokenwireError({
        code: 'invalid_response',
        provider: this.accumulator.provider,
        message: `The ${this.accumulator.provider} adapter yielded ${String(delta)} instead of a delta object.`,
      });
    }
    this.accumulator.push(delta as AdapterDelta, this.queue);
  }

  private deliver(): void {
    const waiting = this.waiting;
    if (waiting !== undefined && this.head < this.queue.length) {
      this.waiting = undefined;
      waiting(this.take());
    }
  }

  private take(): IteratorResult<StreamEvent> {
    const queue = this.queue;
    const value = queue[this.head] as StreamEvent;
    queue[this.head++] = undefined as unknown as StreamEvent; // release the event
    // Emptied every 32 events rather than every event: truncating an array frees its storage,
    // and growing it again costs an allocation per event.
    if (this.head === queue.length && this.head >= 32) {
      queue.length = 0;
      this.head = 0;
    }
    return { done: false, value };
  }

  /** An attempt failed: retry, fall back to the next model, or end the stream with `error`. */
  private fail(thrown: unknown): void {
    if (this.state === 'finished') return;
    const provider = this.accumulator.provider;
    const error = normalizeAdapterError(thrown, provider, this.normalizeError, !this.accumulator.started);
    boundErrorMessage(error, this.plan.limits.errorMessage);
    this.interruptAttempt();
    const next = nextAttempt(error, {
      started: this.accumulator.started,
      retry: this.retry,
      targetIndex: this.targetIndex,
      targets: this.plan.targets.length,
      options: this.plan.retries,
    });
    const { hooks } = this.plan;
    if (hooks !== undefined && next.kind !== 'fail') {
      const { provider, model } = this.accumulator;
      hooks.attemptFailed(provider, model, error, next, this.plan.targets[this.targetIndex + 1]);
    }
    if (next.kind === 'retry') {
      this.retry++;
      this.backoffTimer = setTimeout(() => {
        this.backoffTimer = undefined;
        void this.startAttempt();
      }, next.delayMs);
    } else if (next.kind === 'fallback') {
      this.targetIndex++;
      this.retry = 0;
      void this.startAttempt();
    } else this.end(this.accumulator.fail(error));
  }

  private onTimeout(phase: 'first token' | 'idle' | 'total'): void {
    if (this.state === 'finished') return;
    const error = timeoutError(phase, this.plan.timeouts, this.accumulator.provider);
    if (phase === 'total') {
      this.interruptAttempt();
      this.end(this.accumulator.fail(error));
    } else this.fail(error);
  }

  /**
   * Stops the current attempt: ignores its results, aborts its request, closes the vendor stream
   * and the adapter's iterator. Called on every end, normal ones included: a finished body is
   * unaffected, a connection the server holds open is closed.
   */
  private interruptAttempt(): void {
    this.attempt++;
    this.stopAttemptTimers?.();
    this.stopAttemptTimers = undefined;
    clearTimeout(this.backoffTimer);
    this.backoffTimer = undefined;
    this.progress.pulling = false;
    releaseAttempt(this.controller, this.source, this.iterator);
    this.iterator = undefined;
    this.source = undefined;
    this.controller = undefined;
  }

  private reportFirstContent(): void {
    const { provider, model } = this.accumulator;
    (this.plan.hooks as HookRunner).firstContent(provider, model);
  }

  private end(terminal: FinishEvent | ErrorEvent): void {
    if (this.state === 'finished') return;
    if (this.plan.hooks !== undefined) {
      const { provider, model } = this.accumulator;
      const requested = (this.plan.targets[this.targetIndex] as StreamTarget).model;
      // A refused request is not priced; a step of a tool loop leaves the end to the loop.
      this.plan.hooks.settle(terminal, {
        provider,
        model,
        requested,
        priced: this.plan.problem === undefined,
        standalone: this.plan.step === undefined,
      });
    }
    this.interruptAttempt();
    this.state = 'finished';
    clearTimeout(this.totalTimer);
    this.plan.signal?.removeEventListener('abort', this.onAbort);
    this.terminal = terminal;
    this.queue.push(terminal);
    this.deliver();
    this.results.ended(terminal);
  }
}
