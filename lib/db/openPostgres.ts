import { Pool, type QueryResult, types } from 'pg';
import type { Database, Queryable } from './database';
import type { ResolvedDatabaseTimeouts } from './databaseTimeouts';

/** The timeouts: see DatabaseTimeouts. */
export interface PostgresOptions extends ResolvedDatabaseTimeouts {
  connectionString: string;
  poolSize: number;
  /** Connections beyond the first idle this long are closed; the first stays open. */
  idleTimeoutMs: number;
}

/** How long a connection may be silent before the OS probes it, so a dead one is dropped, not used. */
const TCP_KEEPALIVE_DELAY_MS = 10_000;

const DATE_OID = 1082;
const DATE_ARRAY_OID = 1182;
const TEXT_ARRAY_OID: number = 1009;

/**
 * `pg` parses `date` as a Date at local midnight, which shifts with the time zone; strings
 * instead, as PGlite returns them. Set per pool, never on the global `pg.types`.
 */
function getTypeParser(oid: number, format?: 'text' | 'binary'): (value: string) => unknown {
  if (oid === DATE_OID) return (value: string) => value;
  if (oid === DATE_ARRAY_OID) return types.getTypeParser(TEXT_ARRAY_OID, format);
  return types.getTypeParser(oid, format);
}

/** PostgreSQL through a `pg` Pool. */
export async function openPostgres(options: PostgresOptions): Promise<Database> {
  const pool = new Pool({
    connectionString: options.connectionString,
    max: options.poolSize,
    // One connection outlives quiet spells (courts' traffic comes in bursts); TCP keepalive
    // finds it if the server or the network dropped it meanwhile.
    min: 1,
    idleTimeoutMillis: options.idleTimeoutMs,
    keepAlive: true,
    keepAliveInitialDelayMillis: TCP_KEEPALIVE_DELAY_MS,
    // Waiting for a free connection of the pool counts too.
    connectionTimeoutMillis: options.connectTimeoutMs,
    // The server's limits go in each connection's startup packet; query_timeout is the client's.
    statement_timeout: options.statementTimeoutMs,
    idle_in_transaction_session_timeout: options.idleInTransactionTimeoutMs,
    query_timeout: options.queryTimeoutMs,
    types: { getTypeParser },
  });
  // An idle client losing its server emits 'error' on the pool; unhandled, it would end the
  // process. The next query fails with the real cause instead.
  pool.on('error', () => undefined);

  return {
    kind: 'postgres',
    async query<T>(sql: string, params: readonly unknown[] = []) {
      const { rows } = await pool.query(sql, [...params]);
      return { rows: rows as T[] };
    },
    async script<T>(sql: string) {
      // No parameters: pg sends it in the simple protocol, which runs several statements (each
      // under the pool's statement_timeout) and answers one result per statement. After a
      // failure pool.query destroys the connection, so one a script left inside its failed
      // transaction is never reused.
      const result = (await pool.query(sql)) as unknown as QueryResult | QueryResult[];
      const last = Array.isArray(result) ? result[result.length - 1] : result;
      return { rows: (last?.rows ?? []) as T[] };
    },
    async transaction<T>(fn: (tx: Queryable) => Promise<T>) {
      const client = await pool.connect();
      let open = true;
      let broken: Error | undefined;
      // Checked out, a client has no listener of the pool's: a server ending the session
      // meanwhile (idle_in_transaction_session_timeout, a restart) would otherwise be an
      // unhandled 'error' ending the process. Its next query fails with the cause instead.
      const onError = (error: Error) => {
        broken ??= error;
      };
      client.on('error', onError);
      const tx: Queryable = {
        async query<R>(sql: string, params: readonly unknown[] = []) {
          // The client goes back to the pool afterwards: a late query must not run on it.
          if (!open) throw new Error('This transaction has ended; its queries can no longer run.');
          const { rows } = await client.query(sql, [...params]);
          return { rows: rows as R[] };
        },
      };
      try {
        await client.query('BEGIN');
        const result = await fn(tx);
        await client.query('COMMIT');
        return result;
      } catch (error) {
        try {
          await client.query('ROLLBACK');
        } catch (rollbackError) {
          broken = rollbackError instanceof Error ? rollbackError : new Error(String(rollbackError));
        }
        throw error;
      } finally {
        open = false;
        client.off('error', onError);
        // A client whose rollback failed, or whose session ended, is in an unknown state: destroyed, not reused.
        client.release(broken);
      }
    },
    async close() {
      await pool.end();
    },
  };
}
