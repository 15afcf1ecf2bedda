import { createHash } from 'node:crypto';

/**
 * A signed 64-bit PostgreSQL advisory lock key for a named thing (a table, a row's key):
 * the same parts always give the same key, in every process sharing the database.
 */
export function advisoryLockKey(...parts: string[]): string {
  const digest = createHash('sha256').update(['court-asset-graph', ...parts].join('/')).digest();
  return digest.readBigInt64BE(0).toString();
}
