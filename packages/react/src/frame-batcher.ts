/** Schedules a callback before the next paint; returns a function that cancels it. */
export type FrameScheduler = (callback: () => void) => () => void;

/** `requestAnimationFrame` where there is one (a page), else a 16 ms timer (Node, workers). */
export const animationFrame: FrameScheduler = (callback) => {
  const frames = globalThis as {
    requestAnimationFrame?: (run: () => void) => number;
    cancelAnimationFrame?: (id: number) => void;
  };
  if (
    typeof frames.requestAnimationFrame === 'function' &&
    typeof frames.cancelAnimationFrame === 'function'
  ) {
    const id = frames.requestAnimationFrame(callback);
    return () => frames.cancelAnimationFrame?.(id);
  }
  const timer = setTimeout(callback, 16);
  return () => clearTimeout(timer);
};

/**
 * Coalesces changes into one publish per frame: `now()` publishes at once (the first token, the
 * end), `later()` at the next frame unless one is already due. However fast the tokens come, the
 * page re-renders at most once per frame, and the first token is never held back.
 */
export class FrameBatcher {
  private cancel: (() => void) | undefined;

  constructor(
    private readonly publish: () => void,
    private readonly schedule: FrameScheduler,
  ) {}

  /** Publishes now, dropping a publish already due. */
  now(): void {
    this.cancel?.();
    this.cancel = undefined;
    this.publish();
  }

  /** Publishes at the next frame. */
  later(): void {
    if (this.cancel !== undefined) return;
    let ran = false;
    const cancel = this.schedule(() => {
      ran = true;
      this.cancel = undefined;
      this.publish();
    });
    // A scheduler that ran the callback at once has nothing left to cancel.
    if (!ran) this.cancel = cancel;
  }

  /** Drops a publish that is due. */
  dispose(): void {
    this.cancel?.();
    this.cancel = undefined;
  }
}
