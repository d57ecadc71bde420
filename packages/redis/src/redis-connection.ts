import { createHash } from 'node:crypto';
import { registerSecret, TokenwireError } from '@tokenwire/core';
import { createClient } from 'redis';

/**
 * What the coordinator uses of a node-redis client (`createClient()` from `redis` 6): raw commands,
 * pub/sub, `duplicate()` for the subscriber connection, and the `error` event.
 */
export interface RedisClientLike {
  /** Connected, or connecting or reconnecting. */
  readonly isOpen: boolean;
  /** Connected and ready for commands. */
  readonly isReady: boolean;
  /** Opens the connection. */
  connect(): Promise<unknown>;
  /** Sends a raw command (`['PTTL', key]`). */
  sendCommand(args: readonly string[], options?: { timeout?: number }): Promise<unknown>;
  /** A new client with the same options (for pub/sub). */
  duplicate(): RedisClientLike;
  /** Listens to a channel. */
  subscribe(channel: string, listener: (message: string, channel: string) => unknown): Promise<unknown>;
  /** Stops listening. */
  unsubscribe(channel: string, listener?: (message: string, channel: string) => unknown): Promise<unknown>;
  /** Connection errors (reported here while the client reconnects). */
  on(event: 'error', listener: (error: unknown) => void): unknown;
  /** Closes the connection at once. */
  destroy(): void;
}

/** What waits for a channel's messages: `next(ms)` resolves on the next one, or after `ms`. */
export interface Wakeups {
  /** Resolves once the subscription is in place (or has failed: readers then poll). */
  subscribed: Promise<void>;
  next(timeoutMs: number): Promise<void>;
  stop(): void;
}

/**
 * The coordinator's connections: the command client (given, or made from a URL without an offline
 * queue, so commands fail at once while Redis is away) and a subscriber made by `duplicate()`.
 * Every command has a timeout, and every failure is a `connection` TokenwireError.
 */
export class RedisConnection {
  private readonly client: RedisClientLike;
  private readonly owned: boolean;
  private subscriber: Promise<RedisClientLike> | undefined;
  private connecting: Promise<unknown> | undefined;
  private readonly hashes = new Map<string, string>();

  constructor(
    options: { url?: string; client?: RedisClientLike },
    private readonly timeoutMs: number,
  ) {
    this.owned = options.client === undefined;
    registerUrlPassword(options.url);
    this.client =
      options.client ??
      (createClient({
        url: options.url,
        disableOfflineQueue: true,
        socket: {
          connectTimeout: timeoutMs,
          reconnectStrategy: (retries) => Math.min(50 * 2 ** retries, 1_000),
        },
      }) as unknown as RedisClientLike);
    // An 'error' event without a listener would crash the process; failures surface on the commands.
    if (this.owned) this.client.on('error', () => {});
  }

  /** Runs one command, within the timeout. */
  async command(args: Array<string | number>): Promise<unknown> {
    await this.connected();
    try {
      const sent = this.client.sendCommand(args.map(String), { timeout: this.timeoutMs });
      // A client of yours may queue commands while it reconnects: the timeout stands either way.
      return await withTimeout(sent, this.timeoutMs);
    } catch (error) {
      throw connectionError(error);
    }
  }

  /** Runs a Lua script by its SHA-1, loading it on first use (and after a Redis restart). */
  async script(source: string, keys: string[], argv: Array<string | number>): Promise<unknown> {
    let sha = this.hashes.get(source);
    if (sha === undefined) {
      sha = createHash('sha1').update(source).digest('hex');
      this.hashes.set(source, sha);
    }
    const tail = [keys.length, ...keys, ...argv];
    try {
      return await this.command(['EVALSHA', sha, ...tail]);
    } catch (error) {
      if (!String((error as Error).message).includes('NOSCRIPT')) throw error;
      return this.command(['EVAL', source, ...tail]);
    }
  }

  /** Subscribes `listener` to a channel; returns the function that unsubscribes it. */
  async subscribe(channel: string, listener: () => void): Promise<() => void> {
    const subscriber = await this.subscriberClient();
    const onMessage = () => listener();
    try {
      await withTimeout(subscriber.subscribe(channel, onMessage), this.timeoutMs);
    } catch (error) {
      throw connectionError(error);
    }
    return () => void subscriber.unsubscribe(channel, onMessage).catch(() => {});
  }

  /** Wakes a reader on each message of `channel`; the subscription is made in the background. */
  wakeups(channel: string, signal: AbortSignal): Wakeups {
    let wake: (() => void) | undefined;
    let pending = false;
    const notify = () => {
      pending = true;
      wake?.();
    };
    const unsubscribed = this.subscribe(channel, notify).catch(() => () => {}); // polling covers it
    signal.addEventListener('abort', notify, { once: true });
    return {
      subscribed: unsubscribed.then(() => {}),
      next: (timeoutMs) =>
        new Promise<void>((resolve) => {
          if (pending) {
            pending = false;
            resolve();
            return;
          }
          const timer = setTimeout(done, timeoutMs);
          function done() {
            clearTimeout(timer);
            wake = undefined;
            pending = false;
            resolve();
          }
          wake = done;
        }),
      stop: () => {
        signal.removeEventListener('abort', notify);
        void unsubscribed.then((unsubscribe) => unsubscribe());
      },
    };
  }

  async close(): Promise<void> {
    const subscriber = this.subscriber;
    this.subscriber = undefined;
    if (subscriber !== undefined) (await subscriber.catch(() => undefined))?.destroy();
    if (this.owned) this.client.destroy();
  }

  private async connected(): Promise<void> {
    if (this.client.isReady) return;
    // Open but not ready and not connecting: the client is reconnecting, and its command says so.
    if (this.client.isOpen && this.connecting === undefined) return;
    this.connecting ??= this.client.connect().finally(() => {
      this.connecting = undefined;
    });
    try {
      await withTimeout(this.connecting, this.timeoutMs);
    } catch (error) {
      throw connectionError(error);
    }
  }

  private subscriberClient(): Promise<RedisClientLike> {
    this.subscriber ??= (async () => {
      await this.connected();
      const subscriber = this.client.duplicate();
      subscriber.on('error', () => {});
      await withTimeout(subscriber.connect(), this.timeoutMs);
      return subscriber;
    })();
    this.subscriber.catch(() => {
      this.subscriber = undefined;
    });
    return this.subscriber;
  }
}

function withTimeout<Value>(promise: Promise<Value>, ms: number): Promise<Value> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

function connectionError(error: unknown): TokenwireError {
  if (TokenwireError.isInstance(error)) return error;
  const reason = error instanceof Error ? error.message : String(error);
  return new TokenwireError({ code: 'connection', message: `Redis: ${reason}`, cause: error });
}

/** A password in the URL is redacted from every error and log line, like an API key. */
function registerUrlPassword(url: string | undefined): void {
  if (url === undefined) return;
  try {
    const password = new URL(url).password;
    if (password !== '') registerSecret(decodeURIComponent(password));
  } catch {
    // not a URL: createClient says so
  }
}
