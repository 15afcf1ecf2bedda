import { AuditLog } from '../../../lib/audit/auditLog';
import { GENESIS_HASH } from '../../../lib/audit/auditRecord';
import { type Database, openDatabase, type Queryable } from '../../../lib/db/openDatabase';
import { auditInput, BACKENDS, dropAuditTable, uniqueTable } from '../../support/auditHarness';

/**
 * A database that counts commits (transactions and statements run on their own) and can hold
 * or fail the audit INSERT, so a test sees how appends were grouped and what a failing write
 * does to the appends in it.
 */
function instrumented(db: Database) {
  const state = {
    commits: 0,
    /** INSERTs arriving from now on to refuse (each refused one writes nothing). */
    failInserts: 0,
    /** While set, an INSERT waits for it (its write stays open). */
    hold: undefined as Promise<void> | undefined,
    /** Called when an INSERT arrives, before it waits or fails. */
    onInsert: undefined as (() => void) | undefined,
  };
  const intercept = async (sql: string): Promise<void> => {
    if (!/\bINSERT INTO\b/.test(sql)) return;
    // Decided as the INSERT arrives, before it is held.
    const fail = state.failInserts > 0;
    if (fail) state.failInserts -= 1;
    state.onInsert?.();
    if (state.hold) await state.hold;
    if (fail) throw new Error('could not extend file: No space left on device');
  };
  const database: Database = {
    kind: db.kind,
    async query<T>(sql: string, params?: readonly unknown[]) {
      state.commits += 1;
      await intercept(sql);
      return db.query<T>(sql, params);
    },
    transaction<T>(fn: (tx: Queryable) => Promise<T>) {
      state.commits += 1;
      return db.transaction((tx) =>
        fn({
          async query<R>(sql: string, params?: readonly unknown[]) {
            await intercept(sql);
            return tx.query<R>(sql, params);
          },
        }),
      );
    },
    script: <T>(sql: string) => db.script<T>(sql),
    close: () => db.close(),
  };
  return { database, state };
}

const requests = (n: number, prefix = 'req') => Array.from({ length: n }, (_, i) => auditInput({ requestId: `${prefix}-${i}` }));

describe.each(BACKENDS)('audit group commit on $name', (backend) => {
  let db: Database;
  let table: string;

  beforeAll(async () => {
    db = await openDatabase({ url: backend.url });
  });
  beforeEach(() => {
    table = uniqueTable();
  });
  afterEach(async () => {
    await dropAuditTable(db, table);
  });
  afterAll(async () => {
    await db.close();
  });

  it('many concurrent appends make one chain in call order, in fewer commits than records', async () => {
    const { database, state } = instrumented(db);
    const log = await AuditLog.open(database, { table });
    state.commits = 0;

    const results = await Promise.all(requests(300).map((r) => log.append(r)));

    expect(results.map((r) => r.id)).toEqual(Array.from({ length: 300 }, (_, i) => i + 1));
    expect(results[0]!.prevHash).toBe(GENESIS_HASH);
    for (let i = 1; i < results.length; i += 1) expect(results[i]!.prevHash).toBe(results[i - 1]!.hash);
    // 300 records, at most 200 a commit: the first under the lock, the second chained on it.
    expect(state.commits).toBe(2);
    expect(await log.verify()).toEqual({ ok: true, count: 300 });
    const { rows } = await db.query<{ request_id: string }>(`SELECT request_id FROM "${table}" ORDER BY id`);
    expect(rows.map((r) => r.request_id)).toEqual(requests(300).map((r) => r.requestId));
  });

  it('appends arriving while a write is in flight wait and go together in the next one', async () => {
    const { database, state } = instrumented(db);
    const log = await AuditLog.open(database, { table });
    state.commits = 0;
    let release!: () => void;
    state.hold = new Promise((resolve) => (release = resolve));
    const inFlight = new Promise<void>((resolve) => (state.onInsert = resolve));

    const first = log.append(auditInput({ requestId: 'first' }));
    await inFlight;
    // Requests finishing one by one, each in a later turn, while the first is being written.
    const later: Promise<unknown>[] = [];
    for (let i = 0; i < 25; i += 1) {
      later.push(log.append(auditInput({ requestId: `later-${i}` })));
      await new Promise((resolve) => setImmediate(resolve));
    }
    state.hold = undefined;
    release();
    await Promise.all([first, ...later]);

    expect(state.commits).toBe(2);
    expect(await log.verify()).toEqual({ ok: true, count: 26 });
  });

  it('maxBatchSize bounds the records of one commit; 1 writes each on its own', async () => {
    const { database, state } = instrumented(db);
    const batched = await AuditLog.open(database, { table, maxBatchSize: 7 });
    state.commits = 0;
    await Promise.all(requests(20).map((r) => batched.append(r)));
    expect(state.commits).toBe(3);

    const single = await AuditLog.open(database, { table, maxBatchSize: 1 });
    state.commits = 0;
    await Promise.all(requests(5, 'single').map((r) => single.append(r)));
    expect(state.commits).toBe(5);
    expect(await single.verify()).toEqual({ ok: true, count: 25 });
    await expect(AuditLog.open(database, { table, maxBatchSize: 0 })).rejects.toThrow('maxBatchSize');
    await expect(AuditLog.open(database, { table, maxBatchSize: 1001 })).rejects.toThrow('maxBatchSize');
  });

  it('a write that fails fails every append in it, writes none of them, and the next one chains on', async () => {
    const { database, state } = instrumented(db);
    const log = await AuditLog.open(database, { table });
    state.failInserts = 1;

    const outcomes = await Promise.allSettled(requests(10).map((r) => log.append(r)));

    expect(outcomes.every((o) => o.status === 'rejected')).toBe(true);
    for (const o of outcomes) expect((o as PromiseRejectedResult).reason).toEqual(new Error('could not extend file: No space left on device'));
    expect(await log.verify()).toEqual({ ok: true, count: 0 });
    await expect(log.append(auditInput({ requestId: 'after' }))).resolves.toMatchObject({ id: 1, prevHash: GENESIS_HASH });
    expect(await log.verify()).toEqual({ ok: true, count: 1 });
  });

  it('a failing batch leaves the batch before it committed and fails only its own waiters', async () => {
    const { database, state } = instrumented(db);
    const log = await AuditLog.open(database, { table });
    let release!: () => void;
    state.hold = new Promise((resolve) => (release = resolve));
    const inFlight = new Promise<void>((resolve) => (state.onInsert = resolve));

    const first = log.append(auditInput({ requestId: 'committed' }));
    await inFlight;
    state.onInsert = undefined;
    const second = requests(5, 'lost').map((r) => log.append(r));
    await new Promise((resolve) => setImmediate(resolve));
    state.hold = undefined;
    // Refuse the next INSERT to arrive: the second batch's (the first one's has arrived already).
    state.failInserts = 1;
    release();

    await expect(first).resolves.toMatchObject({ id: 1 });
    const outcomes = await Promise.allSettled(second);
    expect(outcomes.map((o) => o.status)).toEqual(Array(5).fill('rejected'));
    expect(await log.verify()).toEqual({ ok: true, count: 1 });
    const { rows } = await db.query<{ request_id: string }>(`SELECT request_id FROM "${table}"`);
    expect(rows).toEqual([{ request_id: 'committed' }]);
  });

  it('an invalid record is refused alone and never joins a batch', async () => {
    const log = await AuditLog.open(db, { table });
    const outcomes = await Promise.allSettled([
      log.append(auditInput({ requestId: 'ok-1' })),
      log.append(auditInput({ requestId: 'bad', latencyMs: -1 })),
      log.append(auditInput({ requestId: 'ok-2' })),
    ]);
    expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(await log.verify()).toEqual({ ok: true, count: 2 });
  });

  it('a writer another got in front of finds out from the unique constraints and writes again under the lock', async () => {
    const a = await AuditLog.open(db, { table });
    const b = await AuditLog.open(db, { table });
    const first = await a.append(auditInput({ requestId: 'a-1' }));
    const second = await b.append(auditInput({ requestId: 'b-1' }));
    // a still believes record 1 is the last: its INSERT of id 2 is refused, then done again after record 2.
    const third = await a.append(auditInput({ requestId: 'a-2' }));
    expect([first.id, second.id, third.id]).toEqual([1, 2, 3]);
    expect(second.prevHash).toBe(first.hash);
    expect(third.prevHash).toBe(second.hash);
    expect(await a.verify()).toEqual({ ok: true, count: 3 });
  });

  it('two replicas appending in batches at once keep one valid chain', async () => {
    // PostgreSQL: two pools, as two gateway processes; PGlite (one process owns it): two logs on one database.
    const other = backend.name === 'postgres' ? await openDatabase({ url: backend.url }) : db;
    try {
      const counted = [instrumented(db), instrumented(other)];
      const replicas = [await AuditLog.open(counted[0]!.database, { table }), await AuditLog.open(counted[1]!.database, { table })];
      for (const c of counted) c.state.commits = 0;
      const waves = [];
      for (let wave = 0; wave < 5; wave += 1) {
        waves.push(...requests(40, `w${wave}`).map((r, i) => replicas[i % 2]!.append(r)));
        await new Promise((resolve) => setTimeout(resolve, 2));
      }
      const results = await Promise.all(waves);

      expect(results.map((r) => r.id).sort((a, b) => a - b)).toEqual(Array.from({ length: 200 }, (_, i) => i + 1));
      const byId = new Map(results.map((r) => [r.id, r]));
      for (let id = 2; id <= 200; id += 1) expect(byId.get(id)!.prevHash).toBe(byId.get(id - 1)!.hash);
      expect(counted[0]!.state.commits + counted[1]!.state.commits).toBeLessThan(200);
      expect(await replicas[0]!.verify()).toEqual({ ok: true, count: 200 });
      expect(await replicas[1]!.verify()).toEqual({ ok: true, count: 200 });
    } finally {
      if (other !== db) await other.close();
    }
  });
});
