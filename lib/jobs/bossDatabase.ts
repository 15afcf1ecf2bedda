import type PgBoss from 'pg-boss';
import type { Database, Queryable } from '../db/database';

/**
 * pg-boss's SQL, sent through the project's Database (pg-boss's `db` option) rather than a
 * pool of pg-boss's own: PGlite has no server to connect to (its one session lives in a worker
 * thread; a socket in front of it shares that session between clients, so SKIP LOCKED never
 * skips and transactions interleave), and on PostgreSQL the jobs then share the stack's pool,
 * its connection budget and its timeouts. The same code runs on both.
 *
 * pg-boss sends parameterised statements, and scripts with no parameters (its migrations,
 * its `BEGIN; …; COMMIT;` maintenance), which go to `Database.script`.
 *
 * Once closed it sends nothing more and fails what it is asked; `close` can wait for the
 * statements already sent, so that afterwards nothing of the queue runs on the database.
 */
export class BossDatabase implements PgBoss.Db {
  private readonly inFlight = new Set<Promise<unknown>>();
  private readonly script: (sql: string) => Promise<{ rows: unknown[] }>;
  private closed = false;

  constructor(private readonly database: Database) {
    this.script = database.script.bind(database);
  }

  executeSql(text: string, values?: unknown[]): Promise<{ rows: unknown[] }> {
    if (this.closed) return Promise.reject(new Error('The job queue is stopped: it sends no more SQL.'));
    const statement = values && values.length > 0 ? this.database.query(text, values) : this.script(text);
    this.inFlight.add(statement);
    const forget = () => this.inFlight.delete(statement);
    statement.then(forget, forget);
    return statement;
  }

  /** Sends nothing more; with `drain`, resolves once the statements already sent have answered. */
  async close(drain: boolean): Promise<void> {
    this.closed = true;
    if (drain) await Promise.allSettled([...this.inFlight]);
  }
}

/** pg-boss's `db` for one call inside the caller's transaction: the job commits or rolls back with it. */
export function transactionDb(tx: Queryable): PgBoss.Db {
  return { executeSql: (text: string, values?: unknown[]) => tx.query(text, values ?? []) };
}
