import { randomUUID } from 'node:crypto';
import { type Stack, startStack, type StackOptions } from '../../stack/startStack';
import { openDatabase } from '../../lib/db/openDatabase';
import type { Emulator } from '../../mocks/shared/startEmulator';
import { PATIENT_AGENCY_TIMEOUT_MS } from './agencyLimits';

/**
 * Starts the whole stack on ephemeral ports for one test file; stops it after the file.
 * Against PostgreSQL (DATABASE_URL) each file audits into a table of its own and the agencies
 * keep their books in tables of their own, all dropped afterwards, so files running side by
 * side never see each other's records.
 */
export function useStack(options: StackOptions = {}): () => Stack {
  let stack: Stack | undefined;
  const tag = randomUUID().replace(/-/g, '').slice(0, 10);
  const onPostgres = Boolean(process.env.DATABASE_URL);
  const auditTable = onPostgres ? `audit_test_${tag}` : undefined;
  const agencyTablePrefix = onPostgres ? `t${tag}_` : undefined;
  beforeAll(async () => {
    stack = await startStack({
      agencyLatencyMs: 0,
      // A hang guard, not a speed budget; fault tests that need a short limit set their own.
      agencyTimeoutMs: PATIENT_AGENCY_TIMEOUT_MS,
      // Likewise the gateway's wait for the case: queued behind a narrow pool on a busy machine it can pass 5 s.
      caseLookupTimeoutMs: PATIENT_AGENCY_TIMEOUT_MS,
      // Rate budgets of its own in a shared Redis: no file (or earlier run) spends another's.
      rateLimitKeyPrefix: `test:rate:${tag}`,
      ...(auditTable ? { auditTable, agencyTablePrefix } : {}),
      ...options,
    });
  });
  afterAll(async () => {
    await stack?.stop();
    if (auditTable) {
      const db = await openDatabase({ url: process.env.DATABASE_URL });
      await db.query(`DROP TABLE IF EXISTS "${auditTable}" CASCADE`);
      await db.query(`DROP FUNCTION IF EXISTS "${auditTable}_append_only"() CASCADE`);
      const { rows } = await db.query<{ tablename: string }>(`SELECT tablename FROM pg_tables WHERE starts_with(tablename, $1)`, [agencyTablePrefix]);
      for (const { tablename } of rows) await db.query(`DROP TABLE IF EXISTS "${tablename}" CASCADE`);
      await db.close();
    }
  });
  beforeEach(() => {
    for (const e of Object.values(stack!.emulators)) {
      e.resetCalls();
      e.setFaults({ mode: 'none', extraLatencyMs: 0 });
    }
  });
  return () => stack!;
}

/** Calls that reached each emulator since the last reset, by emulator name. */
export function callCounts(emulators: Record<string, Emulator>): Record<string, number> {
  return Object.fromEntries(Object.entries(emulators).map(([name, e]) => [name, e.calls.length]));
}
