import type { ErrorEvent, FinishEvent, StreamEvent } from '../model/types.js';
import { alreadyIteratedError, ResultPromise } from './stream-result.js';

type Waiter = (result: IteratorResult<StreamEvent>) => void;
const DONE: IteratorResult<StreamEvent> = { done: true, value: undefined };

/**
 * The consumer's side of a stream: the events queued for it, the one `next()` it waits on, the
 * terminal event and `result()`. `StreamRuntime` fills it; `demand()` is called when a consumer
 * waits on an empty queue (start the stream, or pull the adapter once more).
 */
export abstract class EventQueue {
  protected readonly queue: StreamEvent[] = [];
  protected head = 0;
  protected waiting: Waiter | undefined;
  private pendingNext: Promise<IteratorResult<StreamEvent>> | undefined;
  protected state: 'idle' | 'running' | 'finished' = 'idle';
  protected terminal: FinishEvent | ErrorEvent | undefined;
  /** What every result() call returns. */
  private readonly results = new ResultPromise();
  private consumed = false;
  private iterated = false;
  /** The executor of next()'s Promise, made once rather than per event. */
  private readonly startWaiting = (resolve: Waiter) => {
    this.waiting = resolve;
    this.demand();
  };

  /** A consumer waits and nothing is queued: begin, or read more from the adapter. */
  protected abstract demand(): void;

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

  /** Drops what is queued and answers `done` (after `return()`). */
  protected dropQueued(): Promise<IteratorResult<StreamEvent>> {
    this.queue.length = 0;
    this.head = 0;
    return Promise.resolve(DONE);
  }

  /** Queues the terminal event, hands it to a waiting consumer and settles `result()`. */
  protected settle(terminal: FinishEvent | ErrorEvent): void {
    this.state = 'finished';
    this.terminal = terminal;
    this.queue.push(terminal);
    this.deliver();
    this.results.ended(terminal);
  }

  /** Hands the next queued event to the consumer waiting for one, if any. */
  protected deliver(): void {
    const waiting = this.waiting;
    if (waiting !== undefined && this.head < this.queue.length) {
      this.waiting = undefined;
      waiting(this.take());
    }
  }

  private readonly drainUnconsumed = () => {
    if (!this.consumed) void this.drain();
  };

  private async drain(): Promise<void> {
    this.iterated = true;
    // events are delivered to result() through the terminal event
    while (!(await this.next()).done) {}
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
}
