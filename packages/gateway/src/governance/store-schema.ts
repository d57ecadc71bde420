/**
 * The gateway's SQL schema, as migrations applied in order (PGlite and Postgres alike). Each runs
 * once, recorded in `tokenwire_migrations`; an advisory lock keeps replicas from racing. Times are
 * milliseconds since the epoch (`bigint`), money is `numeric` (exact sums, no float drift).
 */
export const MIGRATIONS: readonly string[] = [
  `CREATE TABLE IF NOT EXISTS tokenwire_keys (
    id text PRIMARY KEY,
    hash text NOT NULL UNIQUE,
    fingerprint text NOT NULL,
    models jsonb,
    expires_at bigint,
    revoked_at bigint,
    metadata jsonb NOT NULL DEFAULT '{}'::jsonb,
    limits jsonb NOT NULL DEFAULT '{}'::jsonb,
    budget jsonb,
    created_at bigint NOT NULL
  );
  CREATE TABLE IF NOT EXISTS tokenwire_budget_windows (
    key_id text NOT NULL REFERENCES tokenwire_keys(id),
    window_start bigint NOT NULL,
    spent_usd numeric NOT NULL DEFAULT 0,
    reserved_usd numeric NOT NULL DEFAULT 0,
    PRIMARY KEY (key_id, window_start)
  );
  CREATE TABLE IF NOT EXISTS tokenwire_reservations (
    id text PRIMARY KEY,
    key_id text NOT NULL,
    window_start bigint NOT NULL,
    usd numeric NOT NULL,
    expires_at bigint NOT NULL
  );
  CREATE INDEX IF NOT EXISTS tokenwire_reservations_expiry ON tokenwire_reservations (expires_at);
  CREATE TABLE IF NOT EXISTS tokenwire_spend (
    id bigserial PRIMARY KEY,
    key_id text NOT NULL,
    at bigint NOT NULL,
    model text NOT NULL,
    provider text NOT NULL,
    deployment text NOT NULL,
    input_tokens integer NOT NULL,
    output_tokens integer NOT NULL,
    cached_input_tokens integer NOT NULL,
    reasoning_tokens integer NOT NULL,
    cost_usd numeric,
    cost_estimated boolean NOT NULL DEFAULT false,
    latency_ms double precision NOT NULL,
    status text NOT NULL,
    error_code text
  );
  CREATE INDEX IF NOT EXISTS tokenwire_spend_key_at ON tokenwire_spend (key_id, at);`,
];
