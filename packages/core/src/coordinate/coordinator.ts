/**
 * What replicas share: a limiter (slots per provider + key + model), cooldowns (of keys after a
 * 429, of deployments after a failure) and a stream store (the SSE records of resumable streams).
 * Core's `inMemoryCoordinator()` serves one process; `@tokenwire/redis` serves many.
 */

/** The limits of one provider (or one `'provider/model'`), per API key and model. */
export interface ProviderLimits {
  /** Streams open at once. Default no limit. */
  concurrent?: number;
  /** Requests started per minute (fixed one-minute windows). Default no limit. */
  requestsPerMinute?: number;
  /**
   * Tokens per minute (fixed one-minute windows): a request counts its estimated input tokens when
   * it starts and its output tokens when it ends. Default no limit.
   */
  tokensPerMinute?: number;
}

/** A request for a slot of the limiter. */
export interface SlotRequest {
  /** `provider:model:keyFingerprint` — never the key itself. */
  key: string;
  limits: ProviderLimits;
  /** The request's estimated input tokens, counted against `tokensPerMinute`. */
  tokens: number;
  /**
   * How long a concurrent slot is held without being released before it is taken back (a replica
   * that crashed while holding it). The holder renews it while the stream runs.
   */
  leaseMs: number;
}

/**
 * The limiter's answer: a lease to release, or which limit is full and when it frees at the latest
 * (`concurrent`: when the oldest lease lapses, sooner if a stream ends; `window`: when the minute ends).
 */
export type SlotDecision =
  | { granted: true; lease: string }
  | { granted: false; retryInMs: number; full: 'concurrent' | 'window' };

/** One SSE record of a stored stream: its sequence number (from 1) and its text. */
export interface StoredRecord {
  seq: number;
  text: string;
}

/** What `readRecords` yields: records in order, then `ended` once the stream's last record was read. */
export interface StoredBatch {
  records: StoredRecord[];
  /** The stream has ended and every record has been read. */
  ended: boolean;
}

/**
 * The engine behind limits, cooldowns and resumable streams, shared by every replica of a service.
 * Every method may reject when its store is unreachable; tokenwire then lets limited streams
 * through with a `coordinator_unavailable` warning (fail open) and ends stream-store readers
 * with a `connection` error.
 */
export interface Coordinator {
  /** Takes a slot for `request.key` if its limits allow, else says when to ask again. */
  acquireSlot(request: SlotRequest): Promise<SlotDecision>;
  /** Keeps a concurrent slot held (called every `leaseMs / 3` while its stream runs). */
  renewSlot(key: string, lease: string, leaseMs: number): Promise<void>;
  /** Gives a slot back; `outputTokens` are added to the key's `tokensPerMinute` window. */
  releaseSlot(key: string, lease: string, outputTokens: number): Promise<void>;
  /** Puts `key` (an API key's fingerprint, a deployment) in cooldown for `ms`, for every replica. */
  setCooldown(key: string, ms: number): Promise<void>;
  /** The milliseconds left of `key`'s cooldown, 0 when it has none. */
  cooldownLeft(key: string): Promise<number>;
  /** Appends records to a stream (creating it); records expire `retainMs` after the last append. */
  appendRecords(streamId: string, records: StoredRecord[], retainMs: number): Promise<void>;
  /** Marks a stream ended: readers stop after its last record; it stays readable for `retainMs`. */
  endStream(streamId: string, retainMs: number): Promise<void>;
  /**
   * Reads a stream's records after `afterSeq`, then follows it live, until it ends or `signal`
   * aborts. A stream that does not exist (never started, or expired) ends at once with no records.
   */
  readRecords(streamId: string, afterSeq: number, signal: AbortSignal): AsyncIterable<StoredBatch>;
  /** Whether a stream exists in the store (running, or ended and not yet expired). */
  hasStream(streamId: string): Promise<boolean>;
  /** Asks the replica running a stream to cancel it. */
  cancelStream(streamId: string): Promise<void>;
  /** Calls `listener` when any replica cancels `streamId`; returns the function that stops listening. */
  onCancel(streamId: string, listener: () => void): Promise<() => void>;
}
