import { randomBytes } from 'node:crypto';
import { AuditLog } from '../../../lib/audit/auditLog';
import { canonicalAuditRecord, chainHash, GENESIS_HASH, normaliseAuditRecord } from '../../../lib/audit/auditRecord';
import { type Database, openDatabase } from '../../../lib/db/openDatabase';
import { auditInput, BACKENDS, CASE, COMPANY, DEBTOR, OTHER_PERSON, tamper, useAuditDatabase } from '../../support/auditHarness';

describe.each(BACKENDS)('AuditLog on $name', (backend) => {
  const { db, table } = useAuditDatabase(backend);

  async function logWith(n: number, verifyPageSize?: number): Promise<AuditLog> {
    const log = await AuditLog.open(db(), { table: table(), verifyPageSize });
    for (let i = 1; i <= n; i += 1) await log.append(auditInput({ requestId: `req-${i}` }));
    return log;
  }

  it('chains appends from the genesis hash and verifies them', async () => {
    const log = await AuditLog.open(db(), { table: table() });
    expect(await log.verify()).toEqual({ ok: true, count: 0 });
    const first = await log.append(auditInput({ requestId: 'req-1' }));
    const second = await log.append(auditInput({ requestId: 'req-2' }));
    expect(first).toEqual({ id: 1, prevHash: GENESIS_HASH, hash: expect.stringMatching(/^[0-9a-f]{64}$/) });
    expect(second).toEqual({ id: 2, prevHash: first.hash, hash: expect.stringMatching(/^[0-9a-f]{64}$/) });
    expect(await log.verify()).toEqual({ ok: true, count: 2 });
  });

  it('opens an existing log again without changing it', async () => {
    const log = await logWith(3);
    const again = await AuditLog.open(db(), { table: table() });
    expect(await again.append(auditInput())).toMatchObject({ id: 4 });
    expect(await log.verify()).toEqual({ ok: true, count: 4 });
  });

  it('verifies page by page', async () => {
    const log = await logWith(7, 3);
    expect(await log.verify()).toEqual({ ok: true, count: 7 });
  });

  it('names the record whose field was changed: HASH_MISMATCH', async () => {
    const log = await logWith(5, 2);
    await tamper(db(), table(), `UPDATE "${table()}" SET officer = 'someone-else' WHERE id = 3`);
    expect(await log.verify()).toEqual({ ok: false, count: 2, firstBroken: { id: 3, reason: 'HASH_MISMATCH' } });
  });

  it('notices a time changed by less than a millisecond', async () => {
    const log = await logWith(3);
    await tamper(db(), table(), `UPDATE "${table()}" SET at = at + interval '1 microsecond' WHERE id = 2`);
    expect(await log.verify()).toEqual({ ok: false, count: 1, firstBroken: { id: 2, reason: 'HASH_MISMATCH' } });
  });

  it('names the record after one rewritten with a recomputed hash: CHAIN_BROKEN', async () => {
    const log = await AuditLog.open(db(), { table: table() });
    const first = await log.append(auditInput({ requestId: 'req-1' }));
    await log.append(auditInput({ requestId: 'req-2' }));
    await log.append(auditInput({ requestId: 'req-3' }));
    // A forger changes record 2 and gives it the hash its new content would have.
    const forged = normaliseAuditRecord(auditInput({ requestId: 'req-2', caller: { kind: 'court', court: '0106', officer: 'forger' } }));
    const forgedHash = chainHash(first.hash, canonicalAuditRecord(forged));
    await tamper(db(), table(), `UPDATE "${table()}" SET officer = 'forger', hash = $1 WHERE id = 2`, [forgedHash]);
    expect(await log.verify()).toEqual({ ok: false, count: 2, firstBroken: { id: 3, reason: 'CHAIN_BROKEN' } });
  });

  it('names a record that does not link to its predecessor: CHAIN_BROKEN', async () => {
    const log = await logWith(4);
    await tamper(db(), table(), `UPDATE "${table()}" SET prev_hash = repeat('b', 64) WHERE id = 3`);
    expect(await log.verify()).toEqual({ ok: false, count: 2, firstBroken: { id: 3, reason: 'CHAIN_BROKEN' } });
  });

  it('names a deleted record: GAP', async () => {
    const log = await logWith(5, 2);
    await tamper(db(), table(), `DELETE FROM "${table()}" WHERE id = 3`);
    expect(await log.verify()).toEqual({ ok: false, count: 2, firstBroken: { id: 3, reason: 'GAP' } });
  });

  it('names a deleted first record: GAP at 1', async () => {
    const log = await logWith(3);
    await tamper(db(), table(), `DELETE FROM "${table()}" WHERE id = 1`);
    expect(await log.verify()).toEqual({ ok: false, count: 0, firstBroken: { id: 1, reason: 'GAP' } });
  });

  it.each([
    ['UPDATE', (t: string) => `UPDATE "${t}" SET outcome = 'REFUSED'`],
    ['DELETE', (t: string) => `DELETE FROM "${t}" WHERE id = 1`],
    ['TRUNCATE', (t: string) => `TRUNCATE "${t}"`],
  ])('refuses %s with an error and keeps the chain', async (op, sql) => {
    const log = await logWith(2);
    await expect(db().query(sql(table()))).rejects.toMatchObject({
      message: `audit log ${table()} is append-only: ${op} refused`,
      code: '42501',
    });
    expect(await log.verify()).toEqual({ ok: true, count: 2 });
  });

  it('refuses even a DELETE that matches no row', async () => {
    await logWith(1);
    await expect(db().query(`DELETE FROM "${table()}" WHERE id = 999`)).rejects.toThrow(`audit log ${table()} is append-only: DELETE refused`);
  });

  it('lists who reached a subject, newest first, up to a time', async () => {
    const log = await AuditLog.open(db(), { table: table() });
    await log.append(auditInput({ requestId: 'a', at: '2024-05-01T00:00:00.000Z', subjects: [DEBTOR] }));
    await log.append(auditInput({ requestId: 'b', at: '2024-05-02T00:00:00.000Z', subjects: [OTHER_PERSON] }));
    await log.append(auditInput({ requestId: 'c', at: '2024-05-03T00:00:00.000Z', subjects: [COMPANY, DEBTOR] }));
    await log.append(auditInput({ requestId: 'd', at: '2024-05-04T00:00:00.000Z', subjects: [DEBTOR] }));

    const all = await log.accessesOf(DEBTOR);
    expect(all.map((e) => e.requestId)).toEqual(['d', 'c', 'a']);
    expect(all[1]).toEqual({
      ...(await log.reviewOf('0106')).find((e) => e.requestId === 'c'),
      id: 3,
      at: '2024-05-03T00:00:00.000Z',
      caller: { kind: 'court', court: '0106', officer: 'officer-7', idNumber: null },
      caseNumber: CASE,
      subjects: [DEBTOR, COMPANY],
    });
    expect((await log.accessesOf(DEBTOR, { until: '2024-05-03T00:00:00.000Z' })).map((e) => e.requestId)).toEqual(['c', 'a']);
    expect((await log.accessesOf(DEBTOR, { limit: 1 })).map((e) => e.requestId)).toEqual(['d']);
    expect(await log.accessesOf('nobody')).toEqual([]);
  });

  it('reviews one court, oldest first, within a time range', async () => {
    const log = await AuditLog.open(db(), { table: table() });
    await log.append(auditInput({ requestId: 'a', at: '2024-05-01T00:00:00.000Z' }));
    await log.append(auditInput({ requestId: 'b', at: '2024-05-02T00:00:00.000Z', caller: { kind: 'court', court: '0200', officer: 'x' } }));
    await log.append(auditInput({ requestId: 'c', at: '2024-05-03T00:00:00.000Z', caller: { kind: 'supervisor-as-court', court: '0106', officer: 's' } }));
    await log.append(auditInput({ requestId: 'd', at: '2024-05-04T00:00:00.000Z', caller: { kind: 'citizen', idNumber: DEBTOR } }));

    expect((await log.reviewOf('0106')).map((e) => e.requestId)).toEqual(['a', 'c']);
    expect((await log.reviewOf('0106', { from: new Date('2024-05-02T00:00:00Z'), to: '2024-05-04T00:00:00Z' })).map((e) => e.requestId)).toEqual(['c']);
    expect((await log.reviewOf('0106', { to: '2024-05-03T00:00:00Z' })).map((e) => e.requestId)).toEqual(['a']);
  });

  it('shows one entry per request: the final record where there is one, else the intent as UNFINISHED', async () => {
    const log = await AuditLog.open(db(), { table: table() });
    const intent = (requestId: string, at: string) => auditInput({ requestId, at, outcome: 'INTENT', agencies: [], latencyMs: 1 });
    await log.append(intent('done', '2024-05-01T00:00:00.000Z'));
    await log.append(intent('cut-off', '2024-05-02T00:00:00.000Z'));
    await log.append(auditInput({ requestId: 'refused', at: '2024-05-03T00:00:00.000Z', outcome: 'REFUSED', errorCodes: ['FORBIDDEN'], agencies: [] }));
    await log.append(auditInput({ requestId: 'done', at: '2024-05-01T00:00:00.000Z' }));

    const accesses = await log.accessesOf(DEBTOR);
    expect(accesses.map((e) => [e.requestId, e.outcome, e.id])).toEqual([
      ['done', 'ANSWERED', 4],
      ['refused', 'REFUSED', 3],
      ['cut-off', 'UNFINISHED', 2],
    ]);
    expect((await log.reviewOf('0106')).map((e) => [e.requestId, e.outcome])).toEqual([
      ['cut-off', 'UNFINISHED'],
      ['refused', 'REFUSED'],
      ['done', 'ANSWERED'],
    ]);
    expect((await log.accessesInCases([CASE], ['Person.vehicles'])).map((e) => e.requestId)).toEqual(['done', 'refused', 'cut-off']);
    expect((await log.unfinished()).map((e) => [e.requestId, e.outcome, e.agencies])).toEqual([['cut-off', 'UNFINISHED', []]]);
    // Intents are records of the one chain.
    expect(await log.verify()).toEqual({ ok: true, count: 4 });
  });

  it('lets a log made before intents take them, without touching a stored row', async () => {
    const log = await logWith(3);
    // The table as an older gateway made it: outcomes without INTENT, no index by request.
    await db().query(`ALTER TABLE "${table()}" DROP CONSTRAINT "${table()}_outcome_check",
      ADD CONSTRAINT "${table()}_outcome_check" CHECK (outcome IN ('ANSWERED', 'PARTIAL', 'REFUSED', 'FAILED'))`);
    await db().query(`DROP INDEX "${table()}_request_id"`);
    await expect(log.append(auditInput({ outcome: 'INTENT' }))).rejects.toMatchObject({ code: '23514' });
    const rowsBefore = (await db().query(`SELECT * FROM "${table()}" ORDER BY id`)).rows;

    const upgraded = await AuditLog.open(db(), { table: table() });
    expect((await db().query(`SELECT * FROM "${table()}" ORDER BY id`)).rows).toEqual(rowsBefore);
    expect(await upgraded.append(auditInput({ requestId: 'req-4', outcome: 'INTENT' }))).toMatchObject({ id: 4 });
    await expect(upgraded.append(auditInput({ outcome: 'MAYBE' as never }))).rejects.toThrow('Invalid audit record');
    await expect(db().query(`INSERT INTO "${table()}" SELECT 99, at, request_id, caller_kind, court, officer, citizen_id, case_number, subjects,
      operation_name, operation_hash, fields, agencies, 'MAYBE', error_codes, latency_ms, 'p', 'h' FROM "${table()}" WHERE id = 1`)).rejects.toMatchObject({ code: '23514' });
    expect(await upgraded.verify()).toEqual({ ok: true, count: 4 });
    const { rows } = await db().query<{ found: string | null }>('SELECT to_regclass($1)::text AS found', [`"${table()}_request_id"`]);
    expect(rows[0]!.found).not.toBeNull();
    // Opened again, it is current: nothing more to change.
    await AuditLog.open(db(), { table: table() });
    expect((await db().query(`SELECT count(*)::int AS n FROM pg_constraint WHERE conrelid = $1::regclass AND contype = 'c' AND conname LIKE '%outcome%'`, [`"${table()}"`])).rows).toEqual([{ n: 1 }]);
  });

  it("stores a search's purpose and reads it back, null for an officer's own request", async () => {
    const log = await AuditLog.open(db(), { table: table() });
    await log.append(auditInput({ requestId: 'own', at: '2024-05-01T00:00:00.000Z' }));
    await log.append(auditInput({ requestId: 'sweep', at: '2024-05-02T00:00:00.000Z', purpose: 'SWEEP' }));
    await log.append(auditInput({ requestId: 'follow-up', at: '2024-05-03T00:00:00.000Z', caller: { kind: 'supervisor-as-court', court: '0106', officer: 's' }, purpose: 'FOLLOW_UP', outcome: 'INTENT', agencies: [] }));

    expect((await log.accessesOf(DEBTOR)).map((e) => [e.requestId, e.purpose])).toEqual([['follow-up', 'FOLLOW_UP'], ['sweep', 'SWEEP'], ['own', null]]);
    expect((await log.reviewOf('0106')).map((e) => [e.requestId, e.purpose])).toEqual([['own', null], ['sweep', 'SWEEP'], ['follow-up', 'FOLLOW_UP']]);
    expect((await log.accessesInCases([CASE], ['Person.vehicles'])).map((e) => e.purpose)).toEqual(['FOLLOW_UP', 'SWEEP', null]);
    expect((await log.unfinished()).map((e) => [e.requestId, e.purpose])).toEqual([['follow-up', 'FOLLOW_UP']]);
    expect((await db().query(`SELECT request_id, purpose FROM "${table()}" ORDER BY id`)).rows).toEqual([
      { request_id: 'own', purpose: null },
      { request_id: 'sweep', purpose: 'SWEEP' },
      { request_id: 'follow-up', purpose: 'FOLLOW_UP' },
    ]);
    expect(await log.verify()).toEqual({ ok: true, count: 3 });
  });

  it.each([
    ['given to a record without one', `SET purpose = 'SWEEP' WHERE id = 2`],
    ['changed', `SET purpose = 'FOLLOW_UP' WHERE id = 3`],
    ['removed', `SET purpose = NULL WHERE id = 3`],
  ])('names the record whose purpose was %s: HASH_MISMATCH', async (_, change) => {
    const log = await AuditLog.open(db(), { table: table() });
    await log.append(auditInput({ requestId: 'req-1' }));
    await log.append(auditInput({ requestId: 'req-2' }));
    await log.append(auditInput({ requestId: 'req-3', purpose: 'SWEEP' }));
    expect(await log.verify()).toEqual({ ok: true, count: 3 });
    await tamper(db(), table(), `UPDATE "${table()}" ${change}`);
    const id = Number(/id = (\d)/.exec(change)![1]);
    expect(await log.verify()).toEqual({ ok: false, count: id - 1, firstBroken: { id, reason: 'HASH_MISMATCH' } });
  });

  it('gives a log made before purposes the column, without touching a stored row; read-only, reads it as it is', async () => {
    const log = await logWith(2);
    // The table as an older gateway made it: no purpose column.
    await db().query(`ALTER TABLE "${table()}" DROP COLUMN purpose`);
    const rowsBefore = (await db().query(`SELECT * FROM "${table()}" ORDER BY id`)).rows;

    // A read-only tool changes nothing and reads every purpose as null; the chain still verifies.
    const readOnly = await AuditLog.open(db(), { table: table(), create: false });
    expect(await readOnly.verify()).toEqual({ ok: true, count: 2 });
    expect((await readOnly.accessesOf(DEBTOR)).map((e) => e.purpose)).toEqual([null, null]);
    expect((await db().query(`SELECT * FROM "${table()}" ORDER BY id`)).rows).toEqual(rowsBefore);
    await expect(log.append(auditInput({ requestId: 'req-3', purpose: 'SWEEP' }))).rejects.toMatchObject({ code: '42703' });

    const upgraded = await AuditLog.open(db(), { table: table() });
    expect((await db().query(`SELECT * FROM "${table()}" ORDER BY id`)).rows).toEqual(rowsBefore.map((row) => ({ ...row, purpose: null })));
    expect(await upgraded.append(auditInput({ requestId: 'req-3', purpose: 'SWEEP' }))).toMatchObject({ id: 3 });
    expect(await upgraded.verify()).toEqual({ ok: true, count: 3 });
    expect((await upgraded.accessesOf(DEBTOR)).map((e) => e.purpose)).toEqual(['SWEEP', null, null]);
    // Opened again, it is current: one purpose column, and the chain as it was.
    await AuditLog.open(db(), { table: table() });
    expect((await db().query(`SELECT count(*)::int AS n FROM pg_attribute WHERE attrelid = $1::regclass AND attname = 'purpose' AND NOT attisdropped`, [`"${table()}"`])).rows).toEqual([{ n: 1 }]);
    expect(await upgraded.verify()).toEqual({ ok: true, count: 3 });
  });

  it('refuses a table name that is not a plain identifier', async () => {
    await expect(AuditLog.open(db(), { table: 'audit; DROP TABLE x' })).rejects.toThrow(
      'Audit table name "audit; DROP TABLE x" is not allowed: use lowercase letters, digits and _, at most 48 characters.',
    );
  });

  it('with create: false, opens only a table that exists and changes nothing', async () => {
    await expect(AuditLog.open(db(), { table: table(), create: false })).rejects.toThrow(
      `There is no audit table "${table()}" in this database.`,
    );
    expect((await db().query('SELECT to_regclass($1)::text AS found', [table()])).rows).toEqual([{ found: null }]);
    await logWith(1);
    const readOnly = await AuditLog.open(db(), { table: table(), create: false });
    expect(await readOnly.verify()).toEqual({ ok: true, count: 1 });
  });
});

const postgres = BACKENDS.find((b) => b.name === 'postgres');

/** Production grants the gateway's role SELECT and INSERT only; the table owner installs the log. */
(postgres ? describe : describe.skip)('AuditLog for a PostgreSQL role that may only SELECT and INSERT', () => {
  const { db: owner, table } = useAuditDatabase(postgres ?? BACKENDS[0]!);
  const role = `audit_writer_${randomBytes(6).toString('hex')}`;
  const password = randomBytes(12).toString('hex');
  let writer: Database | undefined;

  afterEach(async () => {
    await writer?.close();
    await owner().query(`DROP TABLE IF EXISTS "${table()}"`);
    await owner().query(`DROP ROLE IF EXISTS "${role}"`);
  });

  it('opens the installed log, appends, and can neither change rows nor switch the guard off', async () => {
    const installed = await AuditLog.open(owner(), { table: table() });
    await installed.append(auditInput({ requestId: 'by-owner' }));
    await owner().query(`CREATE ROLE "${role}" LOGIN PASSWORD '${password}'`);
    await owner().query(`GRANT SELECT, INSERT ON "${table()}" TO "${role}"`);
    const url = new URL(postgres!.url!);
    url.username = role;
    url.password = password;
    writer = await openDatabase({ url: url.toString() });

    const log = await AuditLog.open(writer, { table: table() });
    expect(await log.append(auditInput({ requestId: 'by-gateway' }))).toMatchObject({ id: 2 });
    await expect(writer.query(`UPDATE "${table()}" SET outcome = 'REFUSED'`)).rejects.toMatchObject({ code: '42501' });
    await expect(writer.query(`ALTER TABLE "${table()}" DISABLE TRIGGER USER`)).rejects.toThrow(`must be owner of table ${table()}`);
    expect(await log.verify()).toEqual({ ok: true, count: 2 });
  });
});
