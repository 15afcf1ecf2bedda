import { randomBytes } from 'node:crypto';
import { type Database, openDatabase } from '../../lib/db/openDatabase';
import { MeasureBook } from '../../mocks/shared/measures/measureBook';
import type { Measure, MeasureRequest } from '../../mocks/shared/measures/measureTypes';
import { DAY_MS, plus, TestClock } from './testClock';

export { DAY_MS, plus, TestClock };

import type { Backend } from './backends';

export { BACKENDS } from './backends';

export const T0 = '2025-03-01T08:00:00.000Z';

export interface BookFixture {
  db: () => Database;
  /** A second Database on PostgreSQL (another pool: another replica); the same one on PGlite. */
  otherDb: () => Database;
  book: () => MeasureBook;
  clock: () => TestClock;
  table: () => string;
}

/**
 * One database per backend for a describe block; per test a fresh clock at T0 and a fresh
 * table (its ids start at 1), dropped after the test.
 */
export function useMeasureBook(backend: Backend): BookFixture {
  let db: Database | undefined;
  let otherDb: Database | undefined;
  let book: MeasureBook | undefined;
  let clock = new TestClock(T0);
  let table = '';
  beforeAll(async () => {
    db = await openDatabase({ url: backend.url });
    otherDb = backend.name === 'postgres' ? await openDatabase({ url: backend.url }) : db;
  });
  beforeEach(async () => {
    clock = new TestClock(T0);
    table = `measure_test_${randomBytes(8).toString('hex')}`;
    book = await MeasureBook.open(db!, { table, clock: clock.now });
  });
  afterEach(async () => {
    if (db && table) await db.query(`DROP TABLE IF EXISTS "${table}", "${table}_events", "${table}_deductions" CASCADE`);
  });
  afterAll(async () => {
    if (otherDb && otherDb !== db) await otherDb.close();
    await db?.close();
  });
  return { db: () => db!, otherDb: () => otherDb!, book: () => book!, clock: () => clock, table: () => table };
}

export const HOUSE = '330106-0001-0203';
export const CASE_A = '(2025)浙0106执101号';
export const CASE_B = '(2025)浙0108执202号';
export const CASE_C = '(2025)浙0106执303号';

export function sealRequest(overrides: Partial<MeasureRequest> = {}): MeasureRequest {
  return {
    requestId: 'req-a',
    assetKind: 'REAL_ESTATE',
    assetKey: HOUSE,
    caseNumber: CASE_A,
    courtCode: '0106',
    documentNumber: '(2025)浙0106执101号之一',
    kind: 'SEAL',
    termDays: 1095,
    ...overrides,
  };
}

/** The whole row a request makes, before anything else happens to it. */
export function row(id: string, input: MeasureRequest, rest: Partial<Measure> & Pick<Measure, 'status' | 'servedAt'>): Measure {
  return {
    id,
    requestId: input.requestId,
    assetKind: input.assetKind,
    assetKey: input.assetKey,
    caseNumber: input.caseNumber,
    courtCode: input.courtCode,
    documentNumber: input.documentNumber,
    kind: input.kind,
    amountFen: input.amountFen ?? null,
    partyKey: input.partyKey ?? null,
    queuePosition: null,
    dueAt: null,
    termDays: input.termDays,
    termStart: null,
    termEnd: null,
    endedAt: null,
    renewals: 0,
    returnReason: null,
    amountControlledFen: input.assetKind === 'DEPOSIT' && rest.status !== 'WAITING' ? (input.amountFen ?? null) : null,
    amountDeductedFen: 0,
    // What the agency found on the asset is asserted in its own test.
    prior: expect.any(Array) as unknown as Measure['prior'],
    ...rest,
  };
}

export function active(id: string, input: MeasureRequest, servedAt: string, termStart = servedAt, rest: Partial<Measure> = {}): Measure {
  return row(id, input, { status: 'ACTIVE', servedAt, termStart, termEnd: plus(termStart, input.termDays * DAY_MS), ...rest });
}

export function waiting(id: string, input: MeasureRequest, servedAt: string, queuePosition: number): Measure {
  return row(id, input, { status: 'WAITING', servedAt, queuePosition });
}
