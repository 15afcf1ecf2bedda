import { randomBytes } from 'node:crypto';
import type { AuditRecordInput } from '../../lib/audit/auditRecord';
import { operationHash } from '../../lib/audit/auditRecord';
import { type Database, openDatabase } from '../../lib/db/openDatabase';

import type { Backend } from './backends';

export { BACKENDS } from './backends';

/** A table nobody else uses, so runs on a shared server never collide. */
export function uniqueTable(): string {
  return `audit_test_${randomBytes(8).toString('hex')}`;
}

/** Drops a test table and its guard function (tables made by AuditLog.open). */
export async function dropAuditTable(db: Database, table: string): Promise<void> {
  await db.query(`DROP TABLE IF EXISTS "${table}"`);
  await db.query(`DROP FUNCTION IF EXISTS "${table}_append_only"()`);
}

/**
 * One database per backend for a describe block, and a fresh table name per test that is
 * dropped after it. Returns accessors for the current database and table.
 */
export function useAuditDatabase(backend: Backend): { db: () => Database; table: () => string } {
  let db: Database | undefined;
  let table = '';
  beforeAll(async () => {
    db = await openDatabase({ url: backend.url });
  });
  beforeEach(() => {
    table = uniqueTable();
  });
  afterEach(async () => {
    if (db) await dropAuditTable(db, table);
  });
  afterAll(async () => {
    await db?.close();
  });
  return { db: () => db!, table: () => table };
}

/** Changes stored rows behind the guard's back, as someone with the table owner's rights could. */
export async function tamper(db: Database, table: string, sql: string, params: unknown[] = []): Promise<void> {
  await db.transaction(async (tx) => {
    await tx.query(`ALTER TABLE "${table}" DISABLE TRIGGER USER`);
    await tx.query(sql, params);
    await tx.query(`ALTER TABLE "${table}" ENABLE TRIGGER USER`);
  });
}

export const DEBTOR = '330106197504189356';
export const OTHER_PERSON = '11010519491231002X';
export const COMPANY = '91330106MA4X00001R';
export const CASE = '(2024)浙0106执1234号';

/** A plausible record: a court officer's dossier query on one debtor, answered. */
export function auditInput(overrides: Partial<AuditRecordInput> = {}): AuditRecordInput {
  return {
    at: '2024-05-06T07:08:09.123Z',
    requestId: 'req-1',
    caller: { kind: 'court', court: '0106', officer: 'officer-7' },
    caseNumber: CASE,
    subjects: [DEBTOR],
    operationName: 'Dossier',
    operationHash: operationHash('query Dossier { person(idNumber: "330106197504189356") { vehicles { vin } } }'),
    fields: ['Query.person', 'Person.vehicles'],
    agencies: ['court', 'vehicle'],
    outcome: 'ANSWERED',
    errorCodes: [],
    latencyMs: 42,
    ...overrides,
  };
}
