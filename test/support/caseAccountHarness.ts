import { randomBytes } from 'node:crypto';
import { type Database, openDatabase } from '../../lib/db/openDatabase';
import { CaseAccount } from '../../mocks/court/caseAccount';
import type { Backend } from './backends';

export { BACKENDS } from './backends';

/** A fixed moment every receipt is stamped with, so whole receipts can be asserted. */
export const RECEIVED_AT = '2025-03-01T08:00:00.000Z';
export const clock = (): Date => new Date(RECEIVED_AT);

export interface AccountFixture {
  db: () => Database;
  /** A second Database on PostgreSQL (another pool: another replica); the same one on PGlite. */
  otherDb: () => Database;
  account: () => CaseAccount;
  /** Another CaseAccount over the same table, on `otherDb`. */
  replica: () => Promise<CaseAccount>;
  table: () => string;
}

/**
 * One database per backend for a describe block; per test a fresh table (ids start at 1),
 * unique so files running side by side on PostgreSQL never meet, dropped after the test.
 */
export function useCaseAccount(backend: Backend): AccountFixture {
  let db: Database | undefined;
  let otherDb: Database | undefined;
  let account: CaseAccount | undefined;
  let table = '';
  beforeAll(async () => {
    db = await openDatabase({ url: backend.url });
    otherDb = backend.name === 'postgres' ? await openDatabase({ url: backend.url }) : db;
  });
  beforeEach(async () => {
    table = `case_receipts_test_${randomBytes(8).toString('hex')}`;
    account = await CaseAccount.open(db!, { table, clock });
  });
  afterEach(async () => {
    if (db && table) await db.query(`DROP TABLE IF EXISTS "${table}"`);
  });
  afterAll(async () => {
    if (otherDb && otherDb !== db) await otherDb.close();
    await db?.close();
  });
  return {
    db: () => db!,
    otherDb: () => otherDb!,
    account: () => account!,
    replica: () => CaseAccount.open(otherDb!, { table, clock }),
    table: () => table,
  };
}
