/** Something SQL can be sent to: a whole database, or the transaction handed to a callback. */
export interface Queryable {
  /**
   * One SQL statement with `$1, $2, …` parameters. Results come back the same from both
   * backends: `bigint` and `date` as strings, `timestamptz` as `Date`, arrays as arrays.
   */
  query<T = Record<string, unknown>>(sql: string, params?: readonly unknown[]): Promise<{ rows: T[] }>;
}

export type DatabaseKind = 'pglite' | 'postgres';

/**
 * The one SQL interface of the project: PostgreSQL through a `pg` Pool, or PGlite (embedded
 * PostgreSQL) in memory or in a data directory. Write the same SQL for both.
 */
export interface Database extends Queryable {
  readonly kind: DatabaseKind;
  /**
   * Runs `fn` in one transaction (BEGIN … COMMIT, ROLLBACK if `fn` throws). Inside `fn` send
   * SQL through `tx` only: calling this database's `query`/`transaction` there throws.
   */
  transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T>;
  /**
   * A script: several SQL statements separated by semicolons, with no parameters (a library's
   * migrations, or its `BEGIN; …; COMMIT;` maintenance, as pg-boss sends them). Resolves with
   * the rows of the last statement. A script that fails inside a transaction it began leaves
   * nothing open (PGlite rolls it back in its one session; PostgreSQL's connection is dropped).
   */
  script<T = Record<string, unknown>>(sql: string): Promise<{ rows: T[] }>;
  /** Waits for work already queued, then releases connections. */
  close(): Promise<void>;
}
