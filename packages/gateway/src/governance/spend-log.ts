import type { GatewayStore, SpendRow } from './gateway-store.js';

/** The most rows kept while the store is down; older ones are dropped (and counted) past it. */
const MAX_PENDING = 100_000;

/**
 * The spend log's writer: rows are queued in memory and written in batches every `flushMs` (one
 * INSERT per 500 rows), never on the request path. A failed write keeps its rows for the next try.
 */
export class SpendLog {
  private pending: SpendRow[] = [];
  private writing: Promise<void> | undefined;
  private readonly timer: ReturnType<typeof setInterval>;
  /** Rows dropped because the store stayed down too long. */
  dropped = 0;

  constructor(
    private readonly store: GatewayStore,
    flushMs: number,
    private readonly onFailure: (error: unknown) => void,
  ) {
    this.timer = setInterval(() => void this.flush(), flushMs);
    (this.timer as { unref?: () => void }).unref?.();
  }

  add(row: SpendRow): void {
    if (this.pending.length >= MAX_PENDING) {
      this.pending.shift();
      this.dropped++;
    }
    this.pending.push(row);
  }

  /** Writes what is queued; resolves when it is written (or the write failed and was kept). */
  async flush(): Promise<void> {
    while (this.writing !== undefined) await this.writing;
    if (this.pending.length === 0) return;
    const rows = this.pending;
    this.pending = [];
    this.writing = this.store.writeSpend(rows).then(
      () => undefined,
      (error: unknown) => {
        this.pending = rows.concat(this.pending).slice(-MAX_PENDING);
        this.onFailure(error);
      },
    );
    try {
      await this.writing;
    } finally {
      this.writing = undefined;
    }
  }

  /** Stops the timer and writes what is left. */
  async close(): Promise<void> {
    clearInterval(this.timer);
    await this.flush();
  }
}
