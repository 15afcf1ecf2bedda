import { AuditLog } from '../../../lib/audit/auditLog';
import { type Database, openDatabase } from '../../../lib/db/openDatabase';
import { auditInput, BACKENDS, dropAuditTable, uniqueTable } from '../../support/auditHarness';

/**
 * Two gateway replicas: on PostgreSQL two Database objects (two pg Pools, so two sets of
 * server sessions); on PGlite, which one process owns, two AuditLog instances on one database.
 */
describe.each(BACKENDS)('concurrent appends on $name', (backend) => {
  let first: Database;
  let second: Database;
  let table: string;

  beforeAll(async () => {
    first = await openDatabase({ url: backend.url });
    second = backend.name === 'postgres' ? await openDatabase({ url: backend.url }) : first;
  });
  beforeEach(() => {
    table = uniqueTable();
  });
  afterEach(async () => {
    await dropAuditTable(first, table);
  });
  afterAll(async () => {
    await first.close();
    if (second !== first) await second.close();
  });

  it('two replicas opening one new table at once both succeed', async () => {
    const [a, b] = await Promise.all([AuditLog.open(first, { table }), AuditLog.open(second, { table })]);
    await a.append(auditInput());
    await b.append(auditInput());
    expect(await a.verify()).toEqual({ ok: true, count: 2 });
  });

  it('50 appends from two replicas at once make one valid chain', async () => {
    const replicas = [await AuditLog.open(first, { table }), await AuditLog.open(second, { table })];
    const results = await Promise.all(
      Array.from({ length: 50 }, (_, i) => replicas[i % 2]!.append(auditInput({ requestId: `req-${i}` }))),
    );

    expect(results.map((r) => r.id).sort((x, y) => x - y)).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
    expect(new Set(results.map((r) => r.prevHash)).size).toBe(50);
    const byId = new Map(results.map((r) => [r.id, r]));
    for (let id = 2; id <= 50; id += 1) expect(byId.get(id)!.prevHash).toBe(byId.get(id - 1)!.hash);

    const { rows } = await first.query<{ n: string; distinct_prev: string }>(
      `SELECT count(*) AS n, count(DISTINCT prev_hash) AS distinct_prev FROM "${table}"`,
    );
    expect(rows).toEqual([{ n: '50', distinct_prev: '50' }]);
    expect(await replicas[0]!.verify()).toEqual({ ok: true, count: 50 });
    expect(await replicas[1]!.verify()).toEqual({ ok: true, count: 50 });
  });
});
