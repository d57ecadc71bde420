import type {
  Adapter,
  AdapterDelta,
  ChunkStream,
  ErrorEvent,
  FinishEvent,
  StreamEvent,
} from '../model/types.js';
import type { HookRunner } from '../observe/hook-runner.js';
import { openAdapterStream, releaseAttempt } from '../transport/chunk-stream.js';
import { deliveredState } from './delivered-state.js';
import { EventQueue } from './event-queue.js';
import { limitWaitError, normalizeAdapterError, TokenwireError, timeoutError } from './normalize-error.js';
import { nextAttempt } from './retry-policy.js';
import type { StreamAccumulator } from './stream-accumulator.js';
import { boundErrorMessage } from './stream-limits.js';
import { accumulatorFor, reportEnd, type StreamPlan, type StreamTarget } from './stream-plan.js';
import { startAttemptTimers } from './stream-timers.js';
import { type StructuredAnswer, settleStructured } from './structured-answer.js';
import type { TokenwireStream } from './tokenwire-stream.js';

/**
 * The runtime behind a `TokenwireStream`: one hand-written async iterator over the adapter; per
 * delta it awaits nothing but the adapter.
 */
export class StreamRuntime extends EventQueue implements TokenwireStream {
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
  /** What the current attempt waits for before it is sent (a limit, a cooldown), if it waits. */
  private waitingFor: string | undefined;
  private totalTimer: ReturnType<typeof setTimeout> | undefined;
  private backoffTimer: ReturnType<typeof setTimeout> | undefined;
  private readonly onAbort = () => this.cancel();
  constructor(private readonly plan: StreamPlan) {
    super();
    const first = plan.targets[0];
    if (first === undefined) throw new Error('TokenwireStream needs at least one target');
    this.accumulator = accumulatorFor(this.plan, first);
    this.progress = { accumulator: this.accumulator, pulling: false, events: 0 };
  }

  protected demand(): void {
    if (this.state === 'idle') this.begin();
    else if (this.iterator !== undefined && !this.progress.pulling) this.pull();
  }

  return(): Promise<IteratorResult<StreamEvent>> {
    this.cancel();
    return this.dropQueued();
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

  private async startAttempt(): Promise<void> {
    const target = this.plan.targets[this.targetIndex] as StreamTarget;
    const attempt = ++this.attempt;
    this.accumulator = accumulatorFor(this.plan, target);
    this.progress.accumulator = this.accumulator;
    let adapter: Adapter;
    try {
      adapter = await target.adapter();
    } catch (error) {
      if (attempt === this.attempt) this.fail(error);
      return;
    }
    if (attempt !== this.attempt || this.state === 'finished') return;
    const controller = this.armAttempt(adapter, attempt, target);
    const request = { ...this.plan.request, model: target.model };
    try {
      this.waitingFor = undefined;
      const opened = await openAdapterStream(adapter, request, {
        signal: controller.signal,
        maxRecordBytes: this.plan.limits.record,
        onWait: (waitingFor) => {
          if (attempt === this.attempt) this.waitingFor = waitingFor;
        },
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

  /** The attempt's controller, result handlers, timers and request hook, before it is sent. */
  private armAttempt(adapter: Adapter, attempt: number, target: StreamTarget): AbortController {
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
    const { step } = this.plan;
    this.plan.hooks?.attempt(
      target.provider,
      target.model,
      step ?? 1,
      step !== undefined,
      adapter.endpoint?.(),
    );
    return controller;
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
    // The first content may have come in the same read as the end: it is reported before the finish.
    if (this.plan.hooks !== undefined && this.accumulator.started) this.reportFirstContent();
    const terminal = this.accumulator.end(this.queue);
    if (terminal.type === 'error') this.fail(terminal.error);
    // A step that ends calling tools is not the answer: its text is not parsed (the answering step's is).
    else if (this.accumulator.structured === undefined || terminal.reason === 'tool_calls')
      this.end(terminal);
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
    const { provider } = this.accumulator;
    const error =
      phase === 'first token' && this.waitingFor !== undefined
        ? limitWaitError(this.waitingFor, this.plan.timeouts, provider)
        : timeoutError(phase, this.plan.timeouts, provider);
    this.waitingFor = undefined;
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
    if (this.plan.hooks !== undefined) reportEnd(this.plan, this.accumulator, this.targetIndex, terminal);
    this.interruptAttempt();
    clearTimeout(this.totalTimer);
    this.plan.signal?.removeEventListener('abort', this.onAbort);
    this.settle(terminal);
  }
}
