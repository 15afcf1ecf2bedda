import { randomBytes } from 'node:crypto';
import { type Database, openDatabase } from '../../../../lib/db/openDatabase';
import { COMMERCE_CONTROL_PREFIX, DEREGISTERED_RETURN_REASON, startCommerceEmulator, stakeKey } from '../../../../mocks/commerce/server';
import { createPopulation, type Population } from '../../../../mocks/population';
import type { Emulator } from '../../../../mocks/shared/startEmulator';
import { shareholdingId } from '../../../../subgraphs/commerce/shareholdingId';
import { TestClock } from '../../../support/testClock';

const base = createPopulation({ persons: 40 });
const { richDebtor, subsidiary } = base.scenarios;
/** A deregistered company (the subsidiary) and one whose licence was revoked (the rich debtor's). */
const population: Population = {
  ...base,
  companies: base.companies.map((c) =>
    c.creditCode === subsidiary.creditCode ? { ...c, status: 'CANCELLED' } : c.creditCode === richDebtor.companyCreditCode ? { ...c, status: 'REVOKED' } : c,
  ),
};
const stakeIn = (company: string) => base.shareholdings.find((s) => s.companyCreditCode === company)!;
const CASE = '(2025)浙0106执1001号';

describe('the commerce registry’s control interface', () => {
  let db: Database;
  let table: string;
  let emulator: Emulator;

  beforeAll(async () => {
    db = await openDatabase({ url: process.env.DATABASE_URL || undefined });
    table = `commerce_test_${randomBytes(6).toString('hex')}`;
    emulator = await startCommerceEmulator(population, { control: { database: db, table, clock: new TestClock('2026-03-02T00:00:00.000Z').now } });
  });
  afterAll(async () => {
    await emulator.close();
    await db.query(`DROP TABLE IF EXISTS "${table}", "${table}_events", "${table}_deductions" CASCADE`);
    await db.close();
  });

  async function post(path: string, body: unknown): Promise<{ status: number; body: any }> {
    const response = await fetch(emulator.url + path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    return { status: response.status, body: await response.json() };
  }
  const freeze = (assetKey: string, requestId: string, overrides: Record<string, unknown> = {}) =>
    post(`${COMMERCE_CONTROL_PREFIX}/submit`, {
      requestId,
      caseNumber: CASE,
      courtCode: '浙0106',
      documentNumber: `${CASE}之一`,
      kind: 'FREEZE',
      assetKind: 'EQUITY',
      assetKey,
      termDays: 1095,
      ...overrides,
    });

  it('keys a stake as the subgraph’s Shareholding id does: company credit code and investor id', () => {
    const stake = stakeIn(richDebtor.companyCreditCode);
    expect(stakeKey(stake.companyCreditCode, stake.id)).toBe(shareholdingId(stake.companyCreditCode, stake.id));
  });

  it('refuses a stake it does not hold (404 ASSET_NOT_FOUND), a holder without the company, and anything but an equity freeze', async () => {
    const stake = stakeIn(richDebtor.companyCreditCode);
    const unknown = `${richDebtor.companyCreditCode}:SH99999999`;
    expect(await freeze(unknown, 'r1')).toEqual({ status: 404, body: { code: 'ASSET_NOT_FOUND', message: `no shareholding ${unknown} in the registry`, details: {} } });
    expect((await freeze(stake.id, 'r2')).body.code).toBe('ASSET_NOT_FOUND');
    expect((await freeze(stakeKey(stake.companyCreditCode, stake.id), 'r3', { kind: 'SEAL' })).body.code).toBe('NOT_SUPPORTED');
    expect((await freeze(stakeKey(stake.companyCreditCode, stake.id), 'r4', { termDays: 1096 })).body).toMatchObject({ code: 'TERM_TOO_LONG', details: { limitDays: 1095 } });
  });

  it('returns (回退) a freeze in a deregistered company, and freezes one in a company whose licence was revoked', async () => {
    const deregistered = stakeIn(subsidiary.creditCode);
    const returned = await freeze(stakeKey(deregistered.companyCreditCode, deregistered.id), 'r5');
    expect(returned.body.measure).toMatchObject({ status: 'RETURNED', returnReason: DEREGISTERED_RETURN_REASON });
    const revoked = stakeIn(richDebtor.companyCreditCode);
    const key = stakeKey(revoked.companyCreditCode, revoked.id);
    expect((await freeze(key, 'r6')).body.measure).toMatchObject({ status: 'ACTIVE', assetKind: 'EQUITY', kind: 'FREEZE', assetKey: key });
    const published = await post(`${COMMERCE_CONTROL_PREFIX}/measures`, { assetKeys: [key] });
    expect(published.body.measures.map((m: { requestId: string; status: string }) => [m.requestId, m.status])).toEqual([['r6', 'ACTIVE']]);
  });
});
