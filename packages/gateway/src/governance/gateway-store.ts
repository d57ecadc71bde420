/** Per-key limits, held for every replica by the coordinator. */
export interface KeyLimits {
  /** Requests started per minute. */
  rpm?: number;
  /** Tokens per minute: estimated input tokens at the start, output tokens at the end. */
  tpm?: number;
  /** Streams open at once. */
  concurrent?: number;
}

/** A key's budget: USD it may spend, over its lifetime or per calendar `period` (UTC). */
export interface KeyBudget {
  usd: number;
  /** The window the budget resets on (UTC calendar day, ISO week from Monday, month). Default: none, a lifetime budget. */
  period?: 'day' | 'week' | 'month';
}

/** A virtual key as stored: its hash and fingerprint, never its text. */
export interface KeyRecord {
  /** `key_…`: what logs, metrics, spend rows and the admin API name it by. */
  id: string;
  /** HMAC-SHA256 of the key under the server's pepper, hex. */
  hash: string;
  /** The first 12 hex digits of the hash: to tell keys apart in a list, useless to sign in. */
  fingerprint: string;
  /** Model names the key may ask for (the client-facing names); null for any. */
  models: string[] | null;
  /** Milliseconds since the epoch after which the key is refused; null for never. */
  expiresAt: number | null;
  /** When the key was revoked; null while it is valid. */
  revokedAt: number | null;
  metadata: Record<string, unknown>;
  limits: KeyLimits;
  budget: KeyBudget | null;
  createdAt: number;
}

/** A reservation of part of a key's budget for one stream, taken before the provider is called. */
export interface Reservation {
  id: string;
  keyId: string;
  /** The start of the budget window (ms since the epoch; 0 for a lifetime budget). */
  windowStart: number;
  /** The estimate reserved, USD. */
  usd: number;
  /** The key's budget, USD: the reservation is refused when the window has no room for it. */
  limitUsd: number;
  /** When a reservation never settled (its replica crashed) is settled at its estimate by the sweep. */
  expiresAt: number;
}

/** One request as the spend log keeps it. */
export interface SpendRow {
  keyId: string;
  /** Milliseconds since the epoch when the request came in. */
  at: number;
  /** The model name the client asked for. */
  model: string;
  /** The provider that answered (or was to answer). */
  provider: string;
  /** `provider/model` of the deployment that answered. */
  deployment: string;
  inputTokens: number;
  outputTokens: number;
  cachedInputTokens: number;
  reasoningTokens: number;
  /** USD; null when no price was known (never a silent 0). */
  costUsd: number | null;
  /** True when `costUsd` is the reserved estimate, charged because no price was known for what answered. */
  costEstimated: boolean;
  latencyMs: number;
  /** `finished`, `cancelled`, `error`, `refused` or `lapsed` (a reservation settled by the sweep). */
  status: string;
  /** The tokenwire error code, or the refusal's reason. */
  errorCode: string | null;
}

/** Which spend rows to read. */
export interface SpendQuery {
  keyId?: string;
  /** From this time (ms since the epoch), inclusive. */
  from?: number;
  /** Up to this time, exclusive. */
  to?: number;
  /** Default 1,000. */
  limit?: number;
}

/** A key's budget window now: what has settled, and what is reserved by streams still open. */
export interface BudgetState {
  windowStart: number;
  spentUsd: number;
  reservedUsd: number;
  reservations: number;
}

/**
 * Where the gateway keeps its keys, budgets and spend log: `pgliteStore()` (embedded, the default)
 * or `postgresStore({ url })`, on one SQL schema and its migrations. Every method may reject when
 * the store is unreachable; the gateway then fails closed (see `GovernedAuth.failOpen`).
 */
export interface GatewayStore {
  /** Creates or upgrades the schema; safe to call from every replica at once. */
  migrate(): Promise<void>;
  /** Stores a new key (its hash, never its text). */
  createKey(record: KeyRecord): Promise<void>;
  /** The key with this hash, revoked and expired ones included; undefined when none. */
  keyByHash(hash: string): Promise<KeyRecord | undefined>;
  /** The key with this id; undefined when none. */
  keyById(id: string): Promise<KeyRecord | undefined>;
  /** Every key, oldest first. */
  listKeys(): Promise<KeyRecord[]>;
  /** Revokes a key; false when no such key is valid. */
  revokeKey(id: string, at: number): Promise<boolean>;
  /** Gives a valid key a new hash (rotation): the old text is refused from now on. */
  replaceKeyHash(id: string, hash: string, fingerprint: string): Promise<boolean>;
  /**
   * Reserves `usd` of a key's window, atomically: granted when spent + reserved + usd fits the
   * limit, or when nothing else is reserved and the window is not spent (a lone stream is never
   * refused for its estimate alone).
   */
  reserve(reservation: Reservation): Promise<boolean>;
  /**
   * Settles a reservation at `usd`, atomically and once: the reservation is removed and `usd`
   * added to its window's spend. False (nothing changed) when it was settled already.
   */
  settle(reservationId: string, usd: number): Promise<boolean>;
  /** A key's budget window: settled spend and open reservations. */
  budgetState(keyId: string, windowStart: number): Promise<BudgetState>;
  /** Settles reservations past their `expiresAt` at their estimate, with a `lapsed` spend row each; returns how many. */
  sweepReservations(now: number): Promise<number>;
  /** Appends spend rows (the gateway calls it in batches). */
  writeSpend(rows: readonly SpendRow[]): Promise<void>;
  /** Spend rows in time order, by key and time range. */
  readSpend(query: SpendQuery): Promise<SpendRow[]>;
  /** Writes what the store holds in memory, if anything (the embedded store batches settled spend). */
  flush?(): Promise<void>;
  /** Closes the connections the store made (never a client you passed). */
  close(): Promise<void>;
}
