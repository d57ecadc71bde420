import type {
  BudgetState,
  GatewayStore,
  KeyRecord,
  Reservation,
  SpendQuery,
  SpendRow,
} from './gateway-store.js';
import { MIGRATIONS } from './store-schema.js';

/** A row as a driver returns it. */
export type SqlRow = Record<string, unknown>;

/** What the SQL store needs of a driver: parameterized queries ($1, $2…) and a transaction. */
export interface SqlClient {
  query(text: string, params?: readonly unknown[]): Promise<SqlRow[]>;
  /** Runs `work` in one transaction on one connection. */
  transaction<Value>(work: (client: Pick<SqlClient, 'query'>) => Promise<Value>): Promise<Value>;
  close(): Promise<void>;
}

/** An arbitrary number: the advisory lock that serializes migrations across replicas. */
const MIGRATION_LOCK = 7_274_029;

const KEY_COLUMNS =
  'id, hash, fingerprint, models::text AS models, expires_at, revoked_at, metadata::text AS metadata, ' +
  'limits::text AS limits, budget::text AS budget, created_at';

const SPEND_COLUMNS = [
  'key_id',
  'at',
  'model',
  'provider',
  'deployment',
  'input_tokens',
  'output_tokens',
  'cached_input_tokens',
  'reasoning_tokens',
  'cost_usd',
  'cost_estimated',
  'latency_ms',
  'status',
  'error_code',
] as const;

/** Rows per INSERT of the spend log (14 parameters each, well under Postgres's 65,535). */
const SPEND_BATCH = 500;

/** The `GatewayStore` over any Postgres-speaking driver: the one implementation of the schema. */
export function sqlStore(client: SqlClient): GatewayStore {
  return {
    async migrate() {
      await client.transaction(async (sql) => {
        await sql.query(`SELECT pg_advisory_xact_lock(${MIGRATION_LOCK})`);
        await sql.query(
          'CREATE TABLE IF NOT EXISTS tokenwire_migrations (version integer PRIMARY KEY, applied_at bigint NOT NULL)',
        );
        const rows = await sql.query('SELECT coalesce(max(version), 0) AS version FROM tokenwire_migrations');
        const applied = Number(rows[0]?.version ?? 0);
        for (let index = applied; index < MIGRATIONS.length; index++) {
          for (const statement of (MIGRATIONS[index] as string).split(/;\s*\n/)) {
            if (statement.trim() !== '') await sql.query(statement);
          }
          await sql.query('INSERT INTO tokenwire_migrations (version, applied_at) VALUES ($1, $2)', [
            index + 1,
            Date.now(),
          ]);
        }
      });
    },
    async createKey(record) {
      await client.query(
        `INSERT INTO tokenwire_keys (id, hash, fingerprint, models, expires_at, revoked_at, metadata, limits, budget, created_at)
         VALUES ($1, $2, $3, $4::text::jsonb, $5, $6, $7::text::jsonb, $8::text::jsonb, $9::text::jsonb, $10)`,
        [
          record.id,
          record.hash,
          record.fingerprint,
          record.models === null ? null : JSON.stringify(record.models),
          record.expiresAt,
          record.revokedAt,
          JSON.stringify(record.metadata),
          JSON.stringify(record.limits),
          record.budget === null ? null : JSON.stringify(record.budget),
          record.createdAt,
        ],
      );
    },
    async keyByHash(hash) {
      const rows = await client.query(`SELECT ${KEY_COLUMNS} FROM tokenwire_keys WHERE hash = $1`, [hash]);
      return rows[0] === undefined ? undefined : keyOf(rows[0]);
    },
    async keyById(id) {
      const rows = await client.query(`SELECT ${KEY_COLUMNS} FROM tokenwire_keys WHERE id = $1`, [id]);
      return rows[0] === undefined ? undefined : keyOf(rows[0]);
    },
    async listKeys() {
      const rows = await client.query(`SELECT ${KEY_COLUMNS} FROM tokenwire_keys ORDER BY created_at, id`);
      return rows.map(keyOf);
    },
    async revokeKey(id, at) {
      const rows = await client.query(
        'UPDATE tokenwire_keys SET revoked_at = $2 WHERE id = $1 AND revoked_at IS NULL RETURNING id',
        [id, at],
      );
      return rows.length > 0;
    },
    async replaceKeyHash(id, hash, fingerprint) {
      const rows = await client.query(
        'UPDATE tokenwire_keys SET hash = $2, fingerprint = $3 WHERE id = $1 AND revoked_at IS NULL RETURNING id',
        [id, hash, fingerprint],
      );
      return rows.length > 0;
    },
    reserve: (reservation) => reserve(client, reservation),
    async settle(reservationId, usd) {
      // Deleting the reservation is what makes the settlement happen once: a second settle deletes nothing.
      const rows = await client.query(
        `WITH settled AS (DELETE FROM tokenwire_reservations WHERE id = $1 RETURNING key_id, window_start, usd)
         UPDATE tokenwire_budget_windows AS w
            SET reserved_usd = w.reserved_usd - settled.usd, spent_usd = w.spent_usd + $2::numeric
           FROM settled WHERE w.key_id = settled.key_id AND w.window_start = settled.window_start
         RETURNING w.key_id`,
        [reservationId, usdText(usd)],
      );
      return rows.length > 0;
    },
    async budgetState(keyId, windowStart) {
      const rows = await client.query(
        `SELECT coalesce((SELECT spent_usd::text FROM tokenwire_budget_windows WHERE key_id = $1 AND window_start = $2), '0') AS spent,
                coalesce((SELECT reserved_usd::text FROM tokenwire_budget_windows WHERE key_id = $1 AND window_start = $2), '0') AS reserved,
                (SELECT count(*) FROM tokenwire_reservations WHERE key_id = $1 AND window_start = $2) AS reservations`,
        [keyId, windowStart],
      );
      const row = rows[0] ?? {};
      const state: BudgetState = {
        windowStart,
        spentUsd: Number(row.spent ?? 0),
        reservedUsd: Number(row.reserved ?? 0),
        reservations: Number(row.reservations ?? 0),
      };
      return state;
    },
    sweepReservations: (now) => sweep(client, now),
    async writeSpend(rows) {
      for (let start = 0; start < rows.length; start += SPEND_BATCH) {
        await insertSpend(client, rows.slice(start, start + SPEND_BATCH));
      }
    },
    readSpend: (query) => readSpend(client, query),
    close: () => client.close(),
  };
}

async function reserve(client: SqlClient, reservation: Reservation): Promise<boolean> {
  // One statement: the window's row is created, or updated only when the reservation fits. The row
  // lock of ON CONFLICT serializes replicas reserving at once; the WHERE is re-checked under it.
  const rows = await client.query(
    `WITH window_row AS (
       INSERT INTO tokenwire_budget_windows AS w (key_id, window_start, spent_usd, reserved_usd)
       VALUES ($2, $3, 0, $4::numeric)
       ON CONFLICT (key_id, window_start) DO UPDATE SET reserved_usd = w.reserved_usd + $4::numeric
         WHERE w.spent_usd + w.reserved_usd + $4::numeric <= $5::numeric
            OR (w.reserved_usd = 0 AND w.spent_usd < $5::numeric)
       RETURNING key_id, window_start)
     INSERT INTO tokenwire_reservations (id, key_id, window_start, usd, expires_at)
     SELECT $1, key_id, window_start, $4::numeric, $6 FROM window_row RETURNING id`,
    [
      reservation.id,
      reservation.keyId,
      reservation.windowStart,
      usdText(reservation.usd),
      usdText(reservation.limitUsd),
      reservation.expiresAt,
    ],
  );
  return rows.length > 0;
}

async function sweep(client: SqlClient, now: number): Promise<number> {
  const rows = await client.query(
    `WITH lapsed AS (DELETE FROM tokenwire_reservations WHERE expires_at < $1 RETURNING key_id, window_start, usd),
     charged AS (
       UPDATE tokenwire_budget_windows AS w
          SET reserved_usd = w.reserved_usd - lapsed.usd, spent_usd = w.spent_usd + lapsed.usd
         FROM lapsed WHERE w.key_id = lapsed.key_id AND w.window_start = lapsed.window_start
       RETURNING w.key_id)
     INSERT INTO tokenwire_spend (key_id, at, model, provider, deployment, input_tokens, output_tokens,
       cached_input_tokens, reasoning_tokens, cost_usd, cost_estimated, latency_ms, status, error_code)
     SELECT key_id, $1, '', '', '', 0, 0, 0, 0, usd, true, 0, 'lapsed', 'reservation_lapsed' FROM lapsed
     RETURNING id`,
    [now],
  );
  return rows.length;
}

async function insertSpend(client: SqlClient, rows: readonly SpendRow[]): Promise<void> {
  if (rows.length === 0) return;
  const params: unknown[] = [];
  const tuples: string[] = [];
  for (const row of rows) {
    const base = params.length;
    tuples.push(`(${SPEND_COLUMNS.map((_, index) => `$${base + index + 1}`).join(', ')})`);
    params.push(
      row.keyId,
      row.at,
      row.model,
      row.provider,
      row.deployment,
      row.inputTokens,
      row.outputTokens,
      row.cachedInputTokens,
      row.reasoningTokens,
      row.costUsd === null ? null : usdText(row.costUsd),
      row.costEstimated,
      row.latencyMs,
      row.status,
      row.errorCode,
    );
  }
  await client.query(
    `INSERT INTO tokenwire_spend (${SPEND_COLUMNS.join(', ')}) VALUES ${tuples.join(', ')}`,
    params,
  );
}

async function readSpend(client: SqlClient, query: SpendQuery): Promise<SpendRow[]> {
  const rows = await client.query(
    `SELECT key_id, at, model, provider, deployment, input_tokens, output_tokens, cached_input_tokens,
            reasoning_tokens, cost_usd::text AS cost_usd, cost_estimated, latency_ms, status, error_code
       FROM tokenwire_spend
      WHERE ($1::text IS NULL OR key_id = $1) AND ($2::bigint IS NULL OR at >= $2) AND ($3::bigint IS NULL OR at < $3)
      ORDER BY at, id LIMIT $4`,
    [query.keyId ?? null, query.from ?? null, query.to ?? null, query.limit ?? 1000],
  );
  return rows.map((row) => ({
    keyId: String(row.key_id),
    at: Number(row.at),
    model: String(row.model),
    provider: String(row.provider),
    deployment: String(row.deployment),
    inputTokens: Number(row.input_tokens),
    outputTokens: Number(row.output_tokens),
    cachedInputTokens: Number(row.cached_input_tokens),
    reasoningTokens: Number(row.reasoning_tokens),
    costUsd: row.cost_usd === null ? null : Number(row.cost_usd),
    costEstimated: row.cost_estimated === true,
    latencyMs: Number(row.latency_ms),
    status: String(row.status),
    errorCode: row.error_code === null ? null : String(row.error_code),
  }));
}

function keyOf(row: SqlRow): KeyRecord {
  const json = (value: unknown) => (value === null || value === undefined ? null : JSON.parse(String(value)));
  return {
    id: String(row.id),
    hash: String(row.hash),
    fingerprint: String(row.fingerprint),
    models: json(row.models),
    expiresAt: row.expires_at === null ? null : Number(row.expires_at),
    revokedAt: row.revoked_at === null ? null : Number(row.revoked_at),
    metadata: json(row.metadata) ?? {},
    limits: json(row.limits) ?? {},
    budget: json(row.budget),
    createdAt: Number(row.created_at),
  };
}

/** USD as exact decimal text for a `numeric` parameter (a double's shortest form, no exponent). */
function usdText(usd: number): string {
  if (!Number.isFinite(usd) || usd < 0) return '0';
  const text = String(usd);
  return text.includes('e') ? usd.toFixed(12) : text;
}
