import { randomUUID } from 'node:crypto';
import { type Stack, startStack, type StackOptions } from '../../bin/startStack';
import { openDatabase } from '../../lib/db/openDatabase';
import type { Emulator } from '../../mocks/shared/startEmulator';

/**
 * Starts the whole stack on ephemeral ports for one test file; stops it after the file.
 * Against PostgreSQL (DATABASE_URL) each file audits into a table of its own, dropped
 * afterwards, so files running side by side never see each other's records.
 */
export function useStack(options: StackOptions = {}): () => Stack {
  let stack: Stack | undefined;
  const auditTable = process.env.DATABASE_URL ? `audit_test_${randomUUID().replace(/-/g, '').slice(0, 12)}` : undefined;
  beforeAll(async () => {
    stack = await startStack({ agencyLatencyMs: 0, agencyTimeoutMs: 2000, ...(auditTable ? { auditTable } : {}), ...options });
  });
  afterAll(async () => {
    await stack?.stop();
    if (auditTable) {
      const db = await openDatabase({ url: process.env.DATABASE_URL });
      await db.query(`DROP TABLE IF EXISTS "${auditTable}" CASCADE`);
      await db.query(`DROP FUNCTION IF EXISTS "${auditTable}_append_only"() CASCADE`);
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
