import { requireNodeRuntime } from '@tokenwire/core/internal';
import type { GatewayStore } from './gateway-store.js';
import { importOptional } from './optional-import.js';
import { singleProcessStore } from './single-process-store.js';
import { type SqlClient, type SqlRow, sqlStore } from './sql-store.js';

/** The part of a PGlite instance (`@electric-sql/pglite`) the store uses. */
export interface PGliteLike {
  /** A parameterized query. */
  query(text: string, params?: unknown[]): Promise<{ rows: unknown[] }>;
  /** Runs `work` in a transaction. */
  transaction<Value>(work: (tx: { query: PGliteLike['query'] }) => Promise<Value>): Promise<Value>;
  /** Closes the database. */
  close(): Promise<void>;
}

/** Options of `pgliteStore`: a data folder (or none: in memory), or your own PGlite instance. */
export interface PGliteStoreOptions {
  /**
   * A folder to keep the database in (Node, Bun and Deno: it needs a file system; on Workers and in
   * browsers it is refused with a `configuration` error), or PGlite's own `memory://` / `idb://…`.
   * Default none: in memory, gone when the process ends.
   */
  dataDir?: string;
  /** Your PGlite instance (the store never closes it); `dataDir` is then ignored. */
  client?: PGliteLike;
}

/**
 * The embedded store: Postgres compiled to WebAssembly (`@electric-sql/pglite`, an optional peer
 * dependency, imported on first use), in memory or in `dataDir`. Nothing to start; one process.
 * The schema is migrated on first use. Only one process opens it, so keys are cached and budgets
 * decided in memory (no query on the request path); settled spend is written every second.
 *
 * @example
 * createGateway({ tokenwire, auth: { masterKey, store: pgliteStore({ dataDir: './gateway-data' }) } });
 */
export function pgliteStore(options: PGliteStoreOptions = {}): GatewayStore {
  if (
    options.client === undefined &&
    options.dataDir !== undefined &&
    !/^(memory|idb):\/\//.test(options.dataDir)
  )
    requireNodeRuntime(
      'pgliteStore({ dataDir }) (a database in a folder)',
      'leave dataDir out for an in-memory store, or pass postgresStore({ url }) to keep keys and spend',
    );
  let opened: Promise<PGliteLike> | undefined;
  const owned = options.client === undefined;
  const open = (): Promise<PGliteLike> => {
    opened ??= options.client !== undefined ? Promise.resolve(options.client) : createPGlite(options.dataDir);
    return opened;
  };
  const client: SqlClient = {
    async query(text, params) {
      const result = await (await open()).query(text, params === undefined ? undefined : [...params]);
      return result.rows as SqlRow[];
    },
    async transaction(work) {
      return (await open()).transaction((tx) =>
        work({
          query: async (text, params) =>
            (await tx.query(text, params === undefined ? undefined : [...params])).rows as SqlRow[],
        }),
      );
    },
    async close() {
      if (owned && opened !== undefined) await (await opened).close();
    },
  };
  return singleProcessStore(sqlStore(client));
}

async function createPGlite(dataDir: string | undefined): Promise<PGliteLike> {
  let module: { PGlite: { create(dataDir?: string): Promise<unknown> } };
  try {
    module = (await importOptional('@electric-sql/pglite')) as unknown as typeof module;
  } catch {
    throw new Error(
      "The gateway's embedded store needs @electric-sql/pglite: run `pnpm add @electric-sql/pglite` " +
        '(or pass auth.store: postgresStore({ url })).',
    );
  }
  return (await module.PGlite.create(dataDir)) as PGliteLike;
}
