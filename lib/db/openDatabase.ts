import { AsyncLocalStorage } from 'node:async_hooks';
import type { Database, Queryable } from './database';
import { type DatabaseTimeouts, resolveDatabaseTimeouts } from './databaseTimeouts';
import { openPglite } from './openPglite';
import { openPostgres } from './openPostgres';
import { parseDatabaseUrl } from './parseDatabaseUrl';

export type { Database, DatabaseKind, Queryable } from './database';
export type { DatabaseTimeouts } from './databaseTimeouts';

/** Where the database is, how big its pool is, and how long it may take (DatabaseTimeouts, with their defaults). */
export interface OpenDatabaseOptions extends DatabaseTimeouts {
  /**
   * `postgres://…` for a PostgreSQL server, `pglite:///abs/dir` or `pglite:rel/dir` for a
   * PGlite data directory (created if missing). @default undefined (PGlite in memory)
   */
  url?: string;
  /** PostgreSQL only: connections in the pool. @default 10 */
  poolSize?: number;
  /**
   * PostgreSQL only: connections beyond the first that sit idle this long are closed. The
   * first is kept: a request after a quiet spell would otherwise wait for a new connection
   * (~7 ms on this project's machine) before its audit record could commit. @default 10000
   */
  idleTimeoutMs?: number;
}

const defaults = {
  poolSize: 10,
  idleTimeoutMs: 10_000,
};

/** Opens the database a URL names; see `OpenDatabaseOptions.url`. */
export async function openDatabase(options: OpenDatabaseOptions = {}): Promise<Database> {
  const location = parseDatabaseUrl(options.url);
  const timeouts = resolveDatabaseTimeouts(options);
  const backend =
    location.kind === 'postgres'
      ? await openPostgres({
          connectionString: location.connectionString,
          poolSize: options.poolSize ?? defaults.poolSize,
          idleTimeoutMs: options.idleTimeoutMs ?? defaults.idleTimeoutMs,
          ...timeouts,
        })
      : await openPglite(location.dataDir, { statementTimeoutMs: timeouts.statementTimeoutMs });
  return guarded(backend);
}

/**
 * Adds the checks both backends share: no use after close, and no use of the database itself
 * from inside one of its transactions (on PGlite that waits on itself forever; on PostgreSQL
 * it silently runs outside the transaction).
 */
function guarded(backend: Database): Database {
  const insideTransaction = new AsyncLocalStorage<true>();
  let closed = false;
  const check = (what: string): void => {
    if (closed) throw new Error(`Database.${what} called after close().`);
    if (insideTransaction.getStore()) {
      throw new Error(`Database.${what} called inside one of its own transactions: use the tx passed to the callback.`);
    }
  };
  return {
    kind: backend.kind,
    async query<T>(sql: string, params?: readonly unknown[]) {
      check('query');
      return backend.query<T>(sql, params);
    },
    async transaction<T>(fn: (tx: Queryable) => Promise<T>) {
      check('transaction');
      return backend.transaction((tx) => insideTransaction.run(true, () => fn(tx)));
    },
    async script<T>(sql: string) {
      check('script');
      return backend.script<T>(sql);
    },
    async close() {
      if (closed) return;
      closed = true;
      await backend.close();
    },
  };
}
