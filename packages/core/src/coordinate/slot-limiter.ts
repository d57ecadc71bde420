import { TokenwireError } from '../model/errors.js';
import { redactSecrets } from '../model/redact.js';
import type { WarningHookEvent } from '../observe/hook-types.js';
import type { Coordinator, ProviderLimits } from './coordinator.js';
import type { LimitWait } from './limit-waits.js';

/** The longest pause between two looks at a full `concurrent` limit: other replicas free slots unseen. */
const POLL_MS = 25;

/** A slot taken: give it back once, however the stream ends. */
export interface HeldSlot {
  release(outputTokens: number): void;
}

const NO_SLOT: HeldSlot = { release: () => {} };

/**
 * The limiter of one client over its coordinator: waits for slots and cooldowns, renews leases,
 * and lets streams through with one `coordinator_unavailable` warning per outage when the
 * coordinator fails (fail open: a provider's own limits still answer 429, which tokenwire retries).
 */
export class SlotLimiter {
  private unavailable = false;
  /** Waiters of this process, woken when a slot of it is released (others are polled). */
  private readonly waiters = new Set<() => void>();

  constructor(
    readonly coordinator: Coordinator,
    private readonly warn: (event: WarningHookEvent) => void,
    private readonly leaseMs = 30_000,
  ) {}

  /**
   * Waits until `cooldownKey` is out of cooldown and `slotKey` has a slot under `limits`, then
   * takes it. Rejects with the signal's reason when it aborts (cancel, timeout, end of stream).
   * `onWait` hears what it waits for, before each wait.
   */
  async acquire(
    slotKey: string,
    cooldownKey: string,
    limits: ProviderLimits | undefined,
    tokens: number,
    signal: AbortSignal,
    onWait?: (wait: LimitWait) => void,
  ): Promise<HeldSlot> {
    for (;;) {
      if (signal.aborted) throw abortedError(signal);
      let waitMs: number;
      try {
        const cooling = await this.coordinator.cooldownLeft(cooldownKey);
        // A cooldown only ever grows: sleep it out, then look again.
        if (cooling > 0) {
          waitMs = cooling;
          onWait?.({ kind: 'cooldown', ms: cooling });
        } else if (limits === undefined) return this.available(NO_SLOT);
        else {
          const decision = await this.coordinator.acquireSlot({
            key: slotKey,
            limits,
            tokens,
            leaseMs: this.leaseMs,
          });
          if (decision.granted) return this.available(this.held(slotKey, decision.lease, signal));
          // A window frees when its minute ends; a concurrent slot whenever a stream ends, anywhere.
          waitMs = decision.full === 'window' ? decision.retryInMs : Math.min(decision.retryInMs, POLL_MS);
          onWait?.({ kind: decision.full, limits });
        }
      } catch (error) {
        this.failed(error);
        return NO_SLOT;
      }
      await this.sleep(Math.max(1, waitMs), signal);
    }
  }

  /**
   * Puts a key or deployment in cooldown for every replica; resolves once the coordinator has it
   * (or has failed, which is warned about), so that no other replica sends before it is stored.
   */
  cooldown(key: string, ms: number): Promise<void> {
    return this.coordinator.setCooldown(key, ms).then(
      () => this.available(undefined),
      (error: unknown) => this.failed(error),
    );
  }

  /** The cooldown left of a key, 0 when the coordinator cannot say. */
  async cooldownLeft(key: string): Promise<number> {
    try {
      return this.available(await this.coordinator.cooldownLeft(key));
    } catch (error) {
      this.failed(error);
      return 0;
    }
  }

  private held(key: string, lease: string, signal: AbortSignal): HeldSlot {
    const renew = setInterval(() => {
      this.coordinator.renewSlot(key, lease, this.leaseMs).catch((error: unknown) => this.failed(error));
    }, this.leaseMs / 3);
    (renew as { unref?: () => void }).unref?.();
    let released = false;
    const slot: HeldSlot = {
      release: (outputTokens) => {
        if (released) return;
        released = true;
        clearInterval(renew);
        signal.removeEventListener('abort', onAbort);
        this.coordinator.releaseSlot(key, lease, outputTokens).then(
          () => this.wakeWaiters(),
          (error: unknown) => this.failed(error),
        );
      },
    };
    // Interrupting an attempt aborts its signal: the slot comes back however the stream ended.
    const onAbort = () => slot.release(0);
    signal.addEventListener('abort', onAbort, { once: true });
    return slot;
  }

  private sleep(ms: number, signal: AbortSignal): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.waiters.delete(done);
        signal.removeEventListener('abort', done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.waiters.add(done);
      signal.addEventListener('abort', done, { once: true });
    });
  }

  private wakeWaiters(): void {
    for (const wake of [...this.waiters]) wake();
  }

  private available<Value>(value: Value): Value {
    this.unavailable = false;
    return value;
  }

  private failed(error: unknown): void {
    if (this.unavailable) return;
    this.unavailable = true;
    const reason = redactSecrets(error instanceof Error ? error.message : String(error));
    this.warn({
      code: 'coordinator_unavailable',
      message: `The coordinator failed (${reason}); limits and cooldowns are not enforced until it answers again.`,
    });
  }
}

function abortedError(signal: AbortSignal): unknown {
  return (
    signal.reason ??
    new TokenwireError({ code: 'connection', message: 'The stream was cancelled while waiting for a slot.' })
  );
}
