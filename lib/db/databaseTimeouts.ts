/**
 * How long the database may take. A database that stops answering (a hung server, a network
 * path that drops nothing but delivers nothing, a stuck PGlite worker) then fails each call
 * within a bounded time instead of holding it forever: the audit fails closed with
 * AUDIT_UNAVAILABLE, and `/readyz` reports the store unreachable.
 */
export interface DatabaseTimeouts {
  /**
   * PostgreSQL only: how long a call waits for a connection, a new one's handshake or a free
   * one of the pool's (PGlite has no connection: its one session lives in its worker).
   * @default 5000
   */
  connectTimeoutMs?: number;
  /**
   * How long one statement may run. PostgreSQL: the server cancels it (`statement_timeout`,
   * SQLSTATE 57014; a lock wait counts). PGlite (which has no timer of its own): the worker
   * must answer within it; while a statement it was sent is overdue, later ones fail at once
   * instead of queueing behind it, until it answers again. @default 10000
   */
  statementTimeoutMs?: number;
  /**
   * PostgreSQL only: how long the client waits for the server's answer to a statement
   * (`query_timeout`), for a server or a network that says nothing at all. Longer than
   * `statementTimeoutMs`, so a live server's own cancel comes first.
   * @default statementTimeoutMs + 2000
   */
  queryTimeoutMs?: number;
  /**
   * PostgreSQL only: the server ends a session whose transaction waits longer than this for
   * its next statement (`idle_in_transaction_session_timeout`), so a client that froze inside
   * a transaction does not hold its locks (the audit chain's, a measure book's) forever.
   * @default 10000
   */
  idleInTransactionTimeoutMs?: number;
}

export type ResolvedDatabaseTimeouts = Required<DatabaseTimeouts>;

export const DATABASE_TIMEOUT_DEFAULTS: Readonly<Omit<ResolvedDatabaseTimeouts, 'queryTimeoutMs'>> = {
  connectTimeoutMs: 5000,
  statementTimeoutMs: 10_000,
  idleInTransactionTimeoutMs: 10_000,
};

/** How much longer the client waits than the server lets a statement run, by default. */
export const QUERY_TIMEOUT_MARGIN_MS = 2000;

/** Given timeouts over the defaults; each must be a positive integer (there is no "no limit"). */
export function resolveDatabaseTimeouts(timeouts: DatabaseTimeouts = {}): ResolvedDatabaseTimeouts {
  const statementTimeoutMs = timeouts.statementTimeoutMs ?? DATABASE_TIMEOUT_DEFAULTS.statementTimeoutMs;
  const resolved: ResolvedDatabaseTimeouts = {
    connectTimeoutMs: timeouts.connectTimeoutMs ?? DATABASE_TIMEOUT_DEFAULTS.connectTimeoutMs,
    statementTimeoutMs,
    queryTimeoutMs: timeouts.queryTimeoutMs ?? statementTimeoutMs + QUERY_TIMEOUT_MARGIN_MS,
    idleInTransactionTimeoutMs: timeouts.idleInTransactionTimeoutMs ?? DATABASE_TIMEOUT_DEFAULTS.idleInTransactionTimeoutMs,
  };
  for (const [name, value] of Object.entries(resolved)) {
    if (!Number.isSafeInteger(value) || value < 1) throw new Error(`Database ${name} must be a positive integer (ms), got ${String(value)}.`);
  }
  return resolved;
}
