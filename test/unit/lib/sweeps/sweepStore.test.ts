import { randomBytes, randomUUID } from 'node:crypto';
import { type Database, openDatabase } from '../../../../lib/db/openDatabase';
import { type CaseSearch, SweepStore } from '../../../../lib/sweeps/sweepStore';
import { BACKENDS } from '../../../support/backends';

const COURT = '浙0106';
const at = (iso: string) => new Date(iso);

describe.each(BACKENDS)('the sweep store on $name', (backend) => {
  let db: Database;
  let prefix: string;
  let store: SweepStore;

  beforeAll(async () => {
    db = await openDatabase({ url: backend.url });
  });
  beforeEach(async () => {
    prefix = `t${randomBytes(5).toString('hex')}_`;
    store = await SweepStore.open(db, { tablePrefix: prefix });
  });
  afterEach(async () => {
    for (const table of ['case_searches', 'sweep_cases', 'sweeps']) await db.query(`DROP TABLE IF EXISTS "${prefix}${table}"`);
  });
  afterAll(async () => {
    await db.close();
  });

  const start = (requestId: string, tx = db as Parameters<SweepStore['createSweep']>[0]) =>
    store.createSweep(tx, {
      id: randomUUID(),
      court: COURT,
      officer: '浙0106-007',
      requestId,
      purpose: 'SWEEP',
      selection: { kind: 'cases', caseNumbers: ['(2025)浙0106执1001号', '(2025)浙0106执1002号'] },
      total: null,
      createdAt: at('2026-12-06T01:00:00Z'),
    });

  const search = (sweepId: string, caseNumber: string, failed: string[], when: string): CaseSearch => ({
    id: randomUUID(),
    sweepId,
    caseNumber,
    court: COURT,
    purpose: 'SWEEP',
    at: at(when),
    debtors: 1,
    agenciesAnswered: ['bank', 'vehicle'],
    agenciesFailed: failed,
    assets: [
      { kind: 'BANK_ACCOUNT', count: 2, valueFen: 18_234_567 },
      { kind: 'VEHICLE', count: 1, valueFen: null },
    ],
    auditRequestId: randomUUID(),
  });

  it('starts a sweep once per court and request id: a retry finds the first, and the selection reads back as stored', async () => {
    const first = await start('sweep-1');
    const again = await start('sweep-1');
    expect(first.created).toBe(true);
    expect(again.created).toBe(false);
    expect(again.sweep.id).toBe(first.sweep.id);
    expect(await store.sweep(first.sweep.id)).toEqual({ ...first.sweep, total: null });
    expect(first.sweep.selection).toEqual({ kind: 'cases', caseNumbers: ['(2025)浙0106执1001号', '(2025)浙0106执1002号'] });
    expect((await start('sweep-2')).sweep.id).not.toBe(first.sweep.id);
  });

  it('adds each case once, counts the total when the selection is final, and rolls back with the caller', async () => {
    const { sweep } = await start('s');
    expect(await store.addCases(db, sweep.id, ['A', 'B', 'A'], false)).toEqual(expect.arrayContaining(['A', 'B']));
    expect((await store.sweep(sweep.id))!.total).toBeNull();
    await expect(
      db.transaction(async (tx) => {
        await store.addCases(tx, sweep.id, ['C'], true);
        throw new Error('undo');
      }),
    ).rejects.toThrow('undo');
    expect(await store.caseState(sweep.id, 'C')).toBeNull();
    expect(await store.addCases(db, sweep.id, ['B', 'D'], true)).toEqual(['D']);
    expect((await store.sweep(sweep.id))!.total).toBe(3);
    expect(await store.progress(sweep.id)).toEqual({ total: 3, done: 0, failed: 0, queued: 3, agenciesFailing: [], lastFinishedAt: null });
  });

  it('moves a case on each search, keeps every search, and counts the agencies failing for cases still queued', async () => {
    const { sweep } = await start('s');
    await store.addCases(db, sweep.id, ['A', 'B', 'C'], true);
    await db.transaction((tx) => store.recordSearch(tx, search(sweep.id, 'A', [], '2026-12-06T01:01:00Z'), 'DONE'));
    await db.transaction((tx) => store.recordSearch(tx, search(sweep.id, 'B', ['realestate', 'commerce'], '2026-12-06T01:02:00Z'), 'QUEUED'));
    await db.transaction((tx) => store.recordSearch(tx, search(sweep.id, 'C', ['realestate'], '2026-12-06T01:03:00Z'), 'FAILED'));
    expect(await store.progress(sweep.id)).toEqual({
      total: 3,
      done: 1,
      failed: 1,
      queued: 1,
      // C failed for good: only B still waits, on two agencies.
      agenciesFailing: [
        { agency: 'commerce', cases: 1 },
        { agency: 'realestate', cases: 1 },
      ],
      lastFinishedAt: at('2026-12-06T01:03:00Z'),
    });
    // B's retry answers: done, and nothing fails any more.
    const retry = search(sweep.id, 'B', [], '2026-12-06T02:00:00Z');
    await db.transaction((tx) => store.recordSearch(tx, retry, 'DONE'));
    expect((await store.progress(sweep.id)).agenciesFailing).toEqual([]);
    const history = await store.searchesOf('B');
    expect(history.map((s) => s.agenciesFailed)).toEqual([[], ['realestate', 'commerce']]);
    // Money exact: integer fen back as written; an asset with no value stays null.
    expect(history[0]).toEqual(retry);
  });

  it('gives a case up with its reason, and tells one case of a sweep with what it waits on', async () => {
    const { sweep } = await start('s');
    await store.addCases(db, sweep.id, ['A', 'B'], true);
    await db.transaction((tx) => store.recordSearch(tx, search(sweep.id, 'A', ['bank:RCC'], '2026-12-06T01:01:00Z'), 'QUEUED'));
    await db.transaction((tx) => store.failCase(tx, sweep.id, 'B', 'FORBIDDEN: case closed', at('2026-12-06T01:02:00Z')));
    expect(await store.sweepCase(sweep.id, 'A')).toEqual({ caseNumber: 'A', state: 'QUEUED', agenciesFailing: ['bank:RCC'], reason: null, finishedAt: null });
    expect(await store.sweepCase(sweep.id, 'B')).toEqual({ caseNumber: 'B', state: 'FAILED', agenciesFailing: [], reason: 'FORBIDDEN: case closed', finishedAt: at('2026-12-06T01:02:00Z') });
    expect(await store.sweepCase(sweep.id, 'C')).toBeNull();
    expect(await store.progress(sweep.id)).toMatchObject({ done: 0, failed: 1, queued: 1, agenciesFailing: [{ agency: 'bank:RCC', cases: 1 }] });
  });

  it('refuses a table prefix that is not a plain name', async () => {
    await expect(SweepStore.open(db, { tablePrefix: 'x"; DROP TABLE y; --' })).rejects.toThrow(/prefix/);
  });
});
