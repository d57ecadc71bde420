import { createHash, randomUUID } from 'node:crypto';
import type { Coordinator, SlotDecision, SlotRequest, StoredBatch, StoredRecord } from '@tokenwire/core';
import { TokenwireError } from '@tokenwire/core';
import { requireNodeRuntime } from '@tokenwire/core/internal';
import { type RedisClientLike, RedisConnection } from './redis-connection.js';
import {
  ACQUIRE_SLOT,
  APPEND_RECORDS,
  END_STREAM,
  RELEASE_SLOT,
  RENEW_SLOT,
  SET_COOLDOWN,
} from './redis-scripts.js';

/** Options of `redisCoordinator`: a URL (the coordinator makes and owns its clients) or your client. */
export type RedisCoordinatorOptions = (
  | {
      /** `redis://[[user]:password@]host[:port][/db]`, or `rediss://` for TLS. */
      url: string;
      client?: never;
    }
  | {
      /**
       * A node-redis client (`createClient()` from `redis`), connected or not. The coordinator
       * connects it if needed, makes one `duplicate()` for pub/sub, and never closes yours.
       */
      client: RedisClientLike;
      url?: never;
    }
) & {
  /** The prefix of every key and channel. Default `'tokenwire:'`. */
  prefix?: string;
  /**
   * The longest wait for one Redis command before it counts as failed, in milliseconds: limits
   * then fail open, stream readers end with a `connection` error. Default 1,000.
   */
  commandTimeoutMs?: number;
  /** The most records kept per stream (`XADD MAXLEN ~`). Default 100,000. */
  maxRecordsPerStream?: number;
};

/** A coordinator on Redis, with `close()` for the clients it made. */
export interface RedisCoordinator extends Coordinator {
  /** Closes the clients the coordinator made (the pub/sub duplicate, and the client made from `url`). */
  close(): Promise<void>;
}

/** How long a reader waits for a notification before looking again: pub/sub loses messages on reconnects. */
const READ_POLL_MS = 1_000;

/**
 * A tokenwire `Coordinator` on Redis (node-redis, the `redis` package): limits and leases in Lua
 * scripts on Redis's clock, cooldowns as keys with `PX` expiry, stream records in Redis Streams
 * (`XADD MAXLEN ~`, expiring `retainMs` after the last write), pub/sub for new records and cancels.
 * Keys hold API-key fingerprints, never keys. When Redis is unreachable every command fails within
 * `commandTimeoutMs` (no offline queue for clients it makes), so nothing waits on it for long.
 * A `url` needs a TCP socket: on Cloudflare Workers or in a browser it throws a `configuration`
 * TokenwireError naming the runtime and what to use instead (Node, Bun and Deno have one).
 *
 * @example
 * const coordinator = redisCoordinator({ url: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379' });
 * const tokenwire = createTokenwire({ coordinator, limits: { openai: { concurrent: 5 } } });
 */
export function redisCoordinator(options: RedisCoordinatorOptions): RedisCoordinator {
  if (options.client === undefined) {
    requireNodeRuntime(
      'redisCoordinator({ url }) (a TCP connection to Redis)',
      'keep the default inMemoryCoordinator() (limits and cooldowns per isolate), or run the streams behind @tokenwire/gateway on Node, whose coordinator holds the limits and resumable streams',
    );
  }
  return new RedisStore(options);
}

class RedisStore implements RedisCoordinator {
  private readonly redis: RedisConnection;
  private readonly prefix: string;
  private readonly maxRecords: number;

  constructor(options: RedisCoordinatorOptions) {
    this.redis = new RedisConnection(options, options.commandTimeoutMs ?? 1_000);
    this.prefix = options.prefix ?? 'tokenwire:';
    this.maxRecords = options.maxRecordsPerStream ?? 100_000;
  }

  async acquireSlot(request: SlotRequest): Promise<SlotDecision> {
    const lease = randomUUID();
    const { concurrent, requestsPerMinute, tokensPerMinute } = request.limits;
    const reply = (await this.redis.script(
      ACQUIRE_SLOT,
      [this.slotBase(request.key)],
      [
        lease,
        request.leaseMs,
        concurrent ?? -1,
        requestsPerMinute ?? -1,
        tokensPerMinute ?? -1,
        request.tokens,
      ],
    )) as [number, number, number];
    if (reply[0] === 1) return { granted: true, lease };
    return { granted: false, retryInMs: Number(reply[1]), full: reply[2] === 1 ? 'concurrent' : 'window' };
  }

  async renewSlot(key: string, lease: string, leaseMs: number): Promise<void> {
    await this.redis.script(RENEW_SLOT, [this.slotBase(key)], [lease, leaseMs]);
  }

  async releaseSlot(key: string, lease: string, outputTokens: number): Promise<void> {
    await this.redis.script(RELEASE_SLOT, [this.slotBase(key)], [lease, outputTokens]);
  }

  async setCooldown(key: string, ms: number): Promise<void> {
    await this.redis.script(SET_COOLDOWN, [this.cooldownKey(key)], [Math.ceil(ms)]);
  }

  async cooldownLeft(key: string): Promise<number> {
    const left = Number(await this.redis.command(['PTTL', this.cooldownKey(key)]));
    return Math.max(left, 0);
  }

  async appendRecords(streamId: string, records: StoredRecord[], retainMs: number): Promise<void> {
    if (records.length === 0) return;
    const fields: Array<string | number> = [Math.ceil(retainMs), this.maxRecords];
    for (const record of records) fields.push(record.seq, record.text);
    await this.redis.script(APPEND_RECORDS, [this.streamKey(streamId), this.channel(streamId)], fields);
  }

  async endStream(streamId: string, retainMs: number): Promise<void> {
    const keys = [this.streamKey(streamId), this.endKey(streamId), this.channel(streamId)];
    await this.redis.script(END_STREAM, keys, [Math.ceil(retainMs)]);
  }

  async hasStream(streamId: string): Promise<boolean> {
    const found = await this.redis.command(['EXISTS', this.streamKey(streamId), this.endKey(streamId)]);
    return Number(found) > 0;
  }

  async *readRecords(streamId: string, afterSeq: number, signal: AbortSignal): AsyncIterable<StoredBatch> {
    const wake = this.redis.wakeups(this.channel(streamId), signal);
    try {
      await wake.subscribed; // listen before looking, so that no append goes unnoticed
      let read = afterSeq;
      while (!signal.aborted) {
        const woken = wake.next(READ_POLL_MS);
        // The end key is read before the records, never beside them.
        const ended = await this.redis.command(['EXISTS', this.endKey(streamId)]);
        const entries = await this.redis.command(['XRANGE', this.streamKey(streamId), `(${read}-0`, '+']);
        const records = recordsOf(entries);
        // A stream never written, or expired: nothing will come.
        if (records.length === 0 && Number(ended) === 0 && !(await this.hasStream(streamId))) {
          yield { records, ended: true };
          return;
        }
        if (records.length > 0 && (records[0] as StoredRecord).seq !== read + 1)
          throw trimmedError(streamId, read);
        read = records[records.length - 1]?.seq ?? read;
        const done = Number(ended) > 0;
        // The end key is written after the last record: seen before the XRANGE, every record was read.
        if (records.length > 0 || done) yield { records, ended: done };
        if (done) return;
        await woken;
      }
    } finally {
      wake.stop();
    }
  }

  async cancelStream(streamId: string): Promise<void> {
    await this.redis.command(['PUBLISH', this.cancelChannel(streamId), 'cancel']);
  }

  async onCancel(streamId: string, listener: () => void): Promise<() => void> {
    return this.redis.subscribe(this.cancelChannel(streamId), listener);
  }

  close(): Promise<void> {
    return this.redis.close();
  }

  /** A hash tag around the key, so a key's windows and leases share a cluster slot. */
  private slotBase(key: string): string {
    return `${this.prefix}limit:{${safe(key)}}`;
  }

  private cooldownKey(key: string): string {
    return `${this.prefix}cooldown:${safe(key)}`;
  }

  private streamKey(streamId: string): string {
    return `${this.prefix}stream:{${streamId}}`;
  }

  private endKey(streamId: string): string {
    return `${this.prefix}stream:{${streamId}}:end`;
  }

  private channel(streamId: string): string {
    return `${this.prefix}stream:{${streamId}}:appended`;
  }

  private cancelChannel(streamId: string): string {
    return `${this.prefix}stream:{${streamId}}:cancel`;
  }
}

/** Keys come from provider and model names: long or odd ones are hashed rather than stored as they are. */
function safe(key: string): string {
  return /^[\w.:/@-]{1,200}$/.test(key) ? key : createHash('sha256').update(key).digest('hex');
}

function recordsOf(entries: unknown): StoredRecord[] {
  const records: StoredRecord[] = [];
  for (const entry of entries as Array<[string, string[]]>) {
    const [id, fields] = entry;
    records.push({ seq: Number.parseInt(id, 10), text: String(fields[1]) });
  }
  return records;
}

function trimmedError(streamId: string, afterSeq: number): TokenwireError {
  return new TokenwireError({
    code: 'connection',
    message: `The stored records of stream ${streamId} after ${afterSeq} were trimmed (maxRecordsPerStream): it cannot be resumed from there.`,
  });
}
