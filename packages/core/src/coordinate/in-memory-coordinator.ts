import type { Coordinator, SlotDecision, SlotRequest, StoredBatch, StoredRecord } from './coordinator.js';

const MINUTE_MS = 60_000;

interface Window {
  start: number;
  requests: number;
  tokens: number;
}

interface StoredStream {
  records: StoredRecord[];
  ended: boolean;
  expiry: ReturnType<typeof setTimeout> | undefined;
  wake: Set<() => void>;
  cancel: Set<() => void>;
}

/**
 * The coordinator of one process, used when `createTokenwire` gets none: limits, cooldowns and the
 * stream store in memory, with the same rules as `@tokenwire/redis` (fixed one-minute windows,
 * leases that lapse, records kept for `retainMs` after the stream's last write). Nothing to set up.
 */
export function inMemoryCoordinator(): Coordinator {
  return new InMemoryCoordinator();
}

class InMemoryCoordinator implements Coordinator {
  private readonly leases = new Map<string, Map<string, number>>();
  private readonly windows = new Map<string, Window>();
  private readonly cooldowns = new Map<string, number>();
  private readonly streams = new Map<string, StoredStream>();
  private leaseCount = 0;

  async acquireSlot(request: SlotRequest): Promise<SlotDecision> {
    const now = Date.now();
    const { concurrent, requestsPerMinute, tokensPerMinute } = request.limits;
    const held = this.liveLeases(request.key, now);
    if (concurrent !== undefined && held.size >= concurrent) {
      return { granted: false, retryInMs: Math.max(1, Math.min(...held.values()) - now), full: 'concurrent' };
    }
    const window = this.window(request.key, now);
    const full =
      (requestsPerMinute !== undefined && window.requests >= requestsPerMinute) ||
      (tokensPerMinute !== undefined &&
        window.tokens > 0 &&
        window.tokens + request.tokens > tokensPerMinute);
    if (full) return { granted: false, retryInMs: window.start + MINUTE_MS - now, full: 'window' };
    window.requests++;
    window.tokens += request.tokens;
    const lease = `lease-${++this.leaseCount}`;
    held.set(lease, now + request.leaseMs);
    return { granted: true, lease };
  }

  async renewSlot(key: string, lease: string, leaseMs: number): Promise<void> {
    const held = this.leases.get(key);
    if (held?.has(lease)) held.set(lease, Date.now() + leaseMs);
  }

  async releaseSlot(key: string, lease: string, outputTokens: number): Promise<void> {
    this.leases.get(key)?.delete(lease);
    if (outputTokens > 0) this.window(key, Date.now()).tokens += outputTokens;
  }

  async setCooldown(key: string, ms: number): Promise<void> {
    const until = Date.now() + ms;
    if (until > (this.cooldowns.get(key) ?? 0)) this.cooldowns.set(key, until);
  }

  async cooldownLeft(key: string): Promise<number> {
    const until = this.cooldowns.get(key);
    if (until === undefined) return 0;
    const left = until - Date.now();
    if (left <= 0) this.cooldowns.delete(key);
    return Math.max(0, left);
  }

  async appendRecords(streamId: string, records: StoredRecord[], retainMs: number): Promise<void> {
    const stream = this.stream(streamId);
    stream.records.push(...records);
    this.expireAfter(streamId, stream, retainMs);
    for (const wake of stream.wake) wake();
  }

  async endStream(streamId: string, retainMs: number): Promise<void> {
    const stream = this.stream(streamId);
    stream.ended = true;
    this.expireAfter(streamId, stream, retainMs);
    for (const wake of stream.wake) wake();
  }

  async hasStream(streamId: string): Promise<boolean> {
    return this.streams.has(streamId);
  }

  async *readRecords(streamId: string, afterSeq: number, signal: AbortSignal): AsyncIterable<StoredBatch> {
    const stream = this.streams.get(streamId);
    if (stream === undefined) {
      yield { records: [], ended: true };
      return;
    }
    let read = afterSeq;
    while (!signal.aborted) {
      // Sequence numbers start at 1 and have no gaps: record n is at index n - 1.
      const records = stream.records.slice(read);
      const last = records[records.length - 1];
      if (last !== undefined) read = last.seq;
      const ended = stream.ended && read >= (stream.records[stream.records.length - 1]?.seq ?? 0);
      if (records.length > 0 || ended) {
        yield { records, ended };
        if (ended) return;
        continue; // more may have come while the reader was away
      }
      await new Promise<void>((resolve) => {
        const wake = () => {
          stream.wake.delete(wake);
          signal.removeEventListener('abort', wake);
          resolve();
        };
        stream.wake.add(wake);
        signal.addEventListener('abort', wake, { once: true });
      });
    }
  }

  async cancelStream(streamId: string): Promise<void> {
    for (const listener of this.streams.get(streamId)?.cancel ?? []) listener();
  }

  async onCancel(streamId: string, listener: () => void): Promise<() => void> {
    const listeners = this.stream(streamId).cancel;
    listeners.add(listener);
    return () => listeners.delete(listener);
  }

  private liveLeases(key: string, now: number): Map<string, number> {
    let held = this.leases.get(key);
    if (held === undefined) {
      held = new Map();
      this.leases.set(key, held);
    }
    for (const [lease, expiresAt] of held) if (expiresAt <= now) held.delete(lease);
    return held;
  }

  private window(key: string, now: number): Window {
    const start = now - (now % MINUTE_MS);
    let window = this.windows.get(key);
    if (window === undefined || window.start !== start) {
      window = { start, requests: 0, tokens: 0 };
      this.windows.set(key, window);
    }
    return window;
  }

  private stream(streamId: string): StoredStream {
    let stream = this.streams.get(streamId);
    if (stream === undefined) {
      stream = { records: [], ended: false, expiry: undefined, wake: new Set(), cancel: new Set() };
      this.streams.set(streamId, stream);
    }
    return stream;
  }

  private expireAfter(streamId: string, stream: StoredStream, retainMs: number): void {
    clearTimeout(stream.expiry);
    stream.expiry = setTimeout(() => this.streams.delete(streamId), retainMs);
    // A stored stream never keeps the process alive.
    (stream.expiry as { unref?: () => void }).unref?.();
  }
}
