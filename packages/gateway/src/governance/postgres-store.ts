import { registerSecret } from '@tokenwire/core';
import type { GatewayStore } from './gateway-store.js';
import { importOptional } from './optional-import.js';
import { type SqlClient, type SqlRow, sqlStore } from './sql-store.js';

/** The part of a `postgres` (postgres.js) client the store uses. */
export interface PostgresLike {
  /** A parameterized query. */
  unsafe(text: string, params?: unknown[]): PromiseLike<unknown>;
  /** Runs `work` in a transaction on one connection. */
  begin<Value>(work: (sql: Pick<PostgresLike, 'unsafe'>) => Promise<Value>): PromiseLike<unknown>;
  /** Closes the pool. */
  end(options?: { timeout?: number }): PromiseLike<void>;
}

/** Options of `postgresStore`: a URL (the store makes and owns the client) or your own client. */
export type PostgresStoreOptions =
  | {
      /** `postgres://user:password@host:port/database`. */
      url: string;
      /** Connections in the pool. Default 10. */
      max?: number;
      /**
       * The longest wait for a connection, in seconds, before a query fails (the gateway then
       * fails closed). Default 2.
       */
      connectTimeoutSeconds?: number;
      client?: never;
    }
  | {
      /** A `postgres()` client; the store never ends it. */
      client: PostgresLike;
      url?: never;
    };

/**
 * The store on Postgres, through the `postgres` driver (an optional peer dependency, imported on
 * first use): the same schema and migrations as the embedded store, shared by every replica.
 *
 * @example
 * const store = postgresStore({ url: process.env.DATABASE_URL ?? 'postgres://localhost/tokenwire' });
 */
export function postgresStore(options: PostgresStoreOptions): GatewayStore {
  if (options.url !== undefined) registerUrlPassword(options.url);
  let opened: Promise<PostgresLike> | undefined;
  const open = (): Promise<PostgresLike> => {
    opened ??= options.client !== undefined ? Promise.resolve(options.client) : connect(options);
    return opened;
  };
  const client: SqlClient = {
    async query(text, params) {
      return (await (await open()).unsafe(text, params === undefined ? undefined : [...params])) as SqlRow[];
    },
    async transaction(work) {
      const sql = await open();
      let value: unknown;
      await sql.begin(async (tx) => {
        value = await work({
          query: async (text, params) =>
            (await tx.unsafe(text, params === undefined ? undefined : [...params])) as SqlRow[],
        });
      });
      return value as never;
    },
    async close() {
      if (options.client === undefined && opened !== undefined) await (await opened).end({ timeout: 1 });
    },
  };
  return sqlStore(client);
}

async function connect(options: { url: string; max?: number; connectTimeoutSeconds?: number }) {
  let module: { default: (url: string, options: Record<string, unknown>) => PostgresLike };
  try {
    module = (await importOptional('postgres')) as unknown as typeof module;
  } catch {
    throw new Error('postgresStore needs the postgres driver: run `pnpm add postgres`.');
  }
  return module.default(options.url, {
    max: options.max ?? 10,
    connect_timeout: options.connectTimeoutSeconds ?? 2,
    onnotice: () => {}, // "relation already exists, skipping" from the migrations
    socket: (socketOptions: SocketOptions) =>
      noDelaySocket(socketOptions, (options.connectTimeoutSeconds ?? 2) * 1000),
  });
}

/** The URL's password is a secret: redacted from every error and log line, as API keys are. */
function registerUrlPassword(url: string): void {
  try {
    const password = decodeURIComponent(new URL(url).password);
    if (password.length >= 8) registerSecret(password);
  } catch {
    // not a URL: the driver will say so
  }
}

/** What postgres.js passes its `socket` option: the URL's hosts and ports, or a Unix socket path. */
interface SocketOptions {
  host: string[];
  port: number[];
  path?: string | false;
}

/**
 * The driver's connections without Nagle's algorithm: postgres.js pipelines queries on a
 * connection, and on a plain `net.Socket` a second query waits for the first one's delayed ACK
 * (up to 40 ms on Linux). Tries each host of the URL in turn, as the driver does.
 */
async function noDelaySocket(options: SocketOptions, timeoutMs: number): Promise<unknown> {
  const net = (await importOptional('node:net')) as typeof import('node:net');
  let failure: unknown;
  for (let index = 0; index < options.host.length; index++) {
    const socket =
      typeof options.path === 'string' && options.path !== ''
        ? net.connect({ path: options.path })
        : net.connect({
            host: options.host[index] as string,
            port: options.port[index] ?? 5432,
            noDelay: true,
          });
    try {
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new Error(`connect timed out after ${timeoutMs} ms`)),
          timeoutMs,
        );
        socket
          .once('connect', () => {
            clearTimeout(timer);
            resolve();
          })
          .once('error', (error) => {
            clearTimeout(timer);
            reject(error);
          });
      });
      return socket;
    } catch (error) {
      failure = error;
      socket.destroy();
    }
  }
  throw failure;
}
