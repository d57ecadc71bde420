import type { Coordinator, StoredRecord } from '../coordinate/coordinator.js';
import type { StreamEvent } from '../model/types.js';
import { type EventEncoder, tokenwireEncoder } from './sse-wire.js';

/** How long a resumable stream stays readable after its last event, by default: five minutes. */
export const DEFAULT_RETAIN_MS = 300_000;

/** How long a resumable stream gathers events before it writes them to the store, by default. */
export const DEFAULT_FLUSH_MS = 20;

/** How a stream is made resumable by `toSSE`: the coordinator that stores it, and for how long. */
export interface ResumableOptions {
  /** Stores the SSE records, for resumes on any replica, and carries cancels between replicas. */
  coordinator: Coordinator;
  /** The stream's id, in every `id:` line (`<streamId>:<seq>`). Default: a random UUID. */
  streamId?: string;
  /** How long the records stay after the stream's last event, in milliseconds. Default 300,000. */
  retainMs?: number;
  /** Sent as the SSE `retry:` field: how long an `EventSource` waits before it reconnects. Default unset (the browser's own, about 3 s). */
  retryMs?: number;
  /**
   * How long events gather before they are written to the store as one batch, in milliseconds: a
   * resume on another replica sees them up to this much later (this replica's readers see them at
   * once). Default 20; 0 writes as soon as the previous write is done.
   */
  flushMs?: number;
  /** Called when a write to the stream store fails; the records are written with the next batch. */
  onStoreError?: (error: unknown) => void;
}

/** The parts of a `Last-Event-ID` written by a resumable `toSSE`: `<streamId>:<seq>`. */
export function parseEventId(
  lastEventId: string | null | undefined,
): { streamId: string; seq: number } | undefined {
  if (typeof lastEventId !== 'string') return undefined;
  const colon = lastEventId.lastIndexOf(':');
  const seq = Number(lastEventId.slice(colon + 1));
  const streamId = lastEventId.slice(0, colon);
  if (colon <= 0 || !Number.isSafeInteger(seq) || seq < 0 || !/^[\w.-]{1,128}$/.test(streamId))
    return undefined;
  return { streamId, seq };
}

/**
 * Runs a stream into the coordinator's store, independently of whoever reads it: a reader that goes
 * away (a phone changing networks) does not cancel it; a cancel from any replica does. Records go
 * to the store in batches — one write in flight at a time, the events that arrive meanwhile in the
 * next — never one round trip per event. Readers in this process read the records from memory.
 */
export class StreamPump {
  readonly streamId: string;
  private readonly records: string[] = [];
  private readonly waiters = new Set<() => void>();
  private pending: StoredRecord[] = [];
  private writing: Promise<void> | undefined;
  private ended = false;
  /** The first batch has been written (or has failed): readers may read. */
  private stored = false;
  private stopListening: (() => void) | undefined;
  private readonly iterator: AsyncIterator<StreamEvent>;
  private readonly retainMs: number;
  private readonly flushMs: number;

  constructor(
    private readonly stream: AsyncIterable<StreamEvent>,
    private readonly options: ResumableOptions,
    private readonly encoder: EventEncoder = tokenwireEncoder(),
  ) {
    this.streamId = options.streamId ?? globalThis.crypto.randomUUID();
    this.retainMs = options.retainMs ?? DEFAULT_RETAIN_MS;
    this.flushMs = options.flushMs ?? DEFAULT_FLUSH_MS;
    this.iterator = stream[Symbol.asyncIterator]();
    if (options.retryMs !== undefined) this.records.push(`retry: ${options.retryMs}\n\n`);
    void this.run();
  }

  /** The records from `index` on (`retry:` first, then one per event), as this process has them. */
  async *read(signal: AbortSignal): AsyncGenerator<string> {
    let index = 0;
    while (!signal.aborted) {
      while (this.stored && index < this.records.length) yield this.records[index++] as string;
      if (this.ended && this.stored) return;
      await new Promise<void>((resolve) => {
        const wake = () => {
          this.waiters.delete(wake);
          signal.removeEventListener('abort', wake);
          resolve();
        };
        this.waiters.add(wake);
        signal.addEventListener('abort', wake, { once: true });
      });
    }
  }

  private async run(): Promise<void> {
    const { coordinator } = this.options;
    coordinator
      .onCancel(this.streamId, () => this.cancel())
      .then(
        (stop) => {
          if (this.ended) stop();
          else this.stopListening = stop;
        },
        (error: unknown) => this.options.onStoreError?.(error),
      );
    let seq = 0;
    try {
      for (let result = await this.iterator.next(); !result.done; result = await this.iterator.next()) {
        const event = result.value;
        this.push(++seq, this.encoder.encode(event));
        if (event.type === 'finish' || event.type === 'error') break;
      }
    } catch (error) {
      this.push(++seq, this.encoder.fail(error));
    }
    this.ended = true;
    if (seq === 0) this.firstWriteSettled(); // nothing to write: nothing to wait for
    this.wake();
    this.stopListening?.();
    await this.drain();
  }

  private push(seq: number, record: string): void {
    const text = `id: ${this.streamId}:${seq}\n${record}`;
    this.records.push(text);
    this.pending.push({ seq, text });
    this.wake();
    this.writing ??= this.write();
  }

  /**
   * Writes what is pending, then what arrived meanwhile, until nothing is left. Each batch first
   * gathers `flushMs` of events (not once the stream has ended), so a stream costs at most one
   * write per `flushMs` however its events are spaced.
   */
  private async write(): Promise<void> {
    while (this.pending.length > 0) {
      const linger = this.stored && !this.ended && this.flushMs > 0;
      if (linger) await new Promise((resolve) => setTimeout(resolve, this.flushMs));
      const batch = this.pending;
      this.pending = [];
      try {
        await this.options.coordinator.appendRecords(this.streamId, batch, this.retainMs);
      } catch (error) {
        this.options.onStoreError?.(error);
        this.pending = [...batch, ...this.pending]; // written with the next batch
        break;
      } finally {
        this.firstWriteSettled();
      }
    }
    this.writing = undefined;
  }

  /**
   * The first batch is written at once, and this replica's readers get nothing before it is in the
   * store: a client that has an id can always resume from it elsewhere. (If the store fails, they
   * get the records anyway: the stream runs on, only its resumes fail.)
   */
  private firstWriteSettled(): void {
    if (this.stored) return;
    this.stored = true;
    this.wake();
  }

  /** After the end: the last batches (retried a few times while the store is away), then the end mark. */
  private async drain(): Promise<void> {
    for (let tries = 0; tries < 5; tries++) {
      await this.writing;
      if (this.pending.length > 0) {
        this.writing = this.write();
        await this.writing;
      }
      if (this.pending.length === 0) {
        try {
          await this.options.coordinator.endStream(this.streamId, this.retainMs);
          return;
        } catch (error) {
          this.options.onStoreError?.(error);
        }
      }
      await new Promise((resolve) => setTimeout(resolve, 200 * 2 ** tries));
    }
  }

  private cancel(): void {
    if (this.ended) return;
    const cancellable = this.stream as { cancel?: () => void };
    // A TokenwireStream ends with `finish` reason `cancelled`, which every reader gets.
    if (typeof cancellable.cancel === 'function') cancellable.cancel();
    else void Promise.resolve(this.iterator.return?.()).catch(() => {});
  }

  private wake(): void {
    for (const wake of [...this.waiters]) wake();
  }
}
