import type { Timeouts } from '../model/types.js';

/** What the timers read of a running attempt. */
export interface AttemptProgress {
  /** The attempt has emitted its first content event. */
  readonly accumulator: { readonly started: boolean };
  /** The runtime is waiting on the adapter. */
  readonly pulling: boolean;
  /** How many times the attempt has produced events (or opened its request). */
  readonly events: number;
}

/**
 * Starts the first-token and idle timers of one attempt and returns the function that stops them.
 * No clock is read per delta: the runtime counts the reads that produced events, and a check every
 * quarter of `idleMs` sees whether the count moved while the runtime was waiting on the adapter,
 * so the idle timeout fires between idleMs and 1.25 × idleMs after the last event. Vendor records
 * that produce no event (keep-alives, empty deltas, `response.in_progress`) do not reset it.
 */
export function startAttemptTimers(
  timeouts: Timeouts,
  progress: AttemptProgress,
  onTimeout: (phase: 'first token' | 'idle') => void,
): () => void {
  const { firstTokenMs, idleMs } = timeouts;
  const firstToken =
    firstTokenMs === undefined
      ? undefined
      : setTimeout(() => {
          if (!progress.accumulator.started) onTimeout('first token');
        }, firstTokenMs);
  let idle: ReturnType<typeof setInterval> | undefined;
  if (idleMs !== undefined) {
    const interval = Math.max(1, Math.ceil(idleMs / 4));
    let seenEvents = -1;
    let idleFor = 0;
    idle = setInterval(() => {
      if (!progress.pulling || progress.events !== seenEvents) {
        seenEvents = progress.events;
        idleFor = 0;
        return;
      }
      idleFor += interval;
      if (idleFor >= idleMs) onTimeout('idle');
    }, interval);
  }
  return () => {
    clearTimeout(firstToken);
    clearInterval(idle);
  };
}
