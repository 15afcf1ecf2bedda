import { spawn } from 'node:child_process';
import { appendFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { auditVerify } from '../../../bin/auditVerify';
import { AuditCheckpointer } from '../../../lib/audit/checkpoints/auditCheckpointer';
import { AuditLog } from '../../../lib/audit/auditLog';
import { generateCheckpointKeyPair, loadCheckpointKey, type CheckpointKey, writeCheckpointKeyPair } from '../../../lib/audit/checkpoints/checkpointKey';
import { signCheckpoint } from '../../../lib/audit/checkpoints/checkpointSignature';
import { CheckpointFile } from '../../../lib/audit/checkpoints/checkpointStore';
import { type Database, openDatabase } from '../../../lib/db/openDatabase';
import { type Backend, BACKENDS } from '../../support/backends';
import { auditInput, dropAuditTable, tamper, uniqueTable } from '../../support/auditHarness';
import { REPO_ROOT } from '../../support/repoRoot';

const ROOT = REPO_ROOT;

/** Runs auditVerify in process and collects what it prints. */
async function verifyWith(env: NodeJS.ProcessEnv): Promise<{ code: number; stdout: string[]; stderr: string[] }> {
  const stdout: string[] = [];
  const stderr: string[] = [];
  const code = await auditVerify(env, { log: (l) => stdout.push(l), error: (l) => stderr.push(l) });
  return { code, stdout, stderr };
}

/** Runs the real command, as `npm run audit:verify` does. */
function spawnVerify(env: NodeJS.ProcessEnv): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((done, fail) => {
    const child = spawn(join(ROOT, 'node_modules/.bin/tsx'), ['bin/auditVerify.ts'], {
      cwd: ROOT,
      env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', fail);
    child.on('close', (code) => done({ code, stdout, stderr }));
  });
}

/** The times the checkpoints of a scenario state, in order. */
const T1 = '2025-03-01T08:00:00.000Z';
const T2 = '2025-03-01T08:00:10.000Z';

/** Appends records 1..n (request ids `req-1`..), the same text every time: the same chain. */
async function appendRecords(log: AuditLog, from: number, to: number, tag = ''): Promise<void> {
  for (let i = from; i <= to; i += 1) await log.append(auditInput({ requestId: `req-${i}${tag}` }));
}

/** Checkpoints the log's head as the gateway does, stating time `at`, into the test's file. */
async function checkpointAt(log: AuditLog, key: CheckpointKey, dir: string, at: string): Promise<void> {
  const file = await CheckpointFile.open(dir, log.table, { instance: 'test' });
  try {
    await new AuditCheckpointer({ log, key, store: file, now: () => new Date(at), schedule: () => () => {} }).checkpoint();
  } finally {
    await file.close();
  }
}

describe('audit:verify without a database named', () => {
  it('explains what to set and exits 2', async () => {
    expect(await verifyWith({})).toEqual({
      code: 2,
      stdout: [],
      stderr: [
        'Name the audit database: DATABASE_URL=postgres://user@host:5432/db for a PostgreSQL server, ' +
          'or AUDIT_DB=<directory> for a PGlite data directory.',
      ],
    });
  });

  it('refuses an AUDIT_DB directory that does not exist, rather than create an empty database', async () => {
    const missing = join(tmpdir(), 'no-such-audit-db');
    expect(await verifyWith({ AUDIT_DB: missing })).toEqual({ code: 2, stdout: [], stderr: [`No PGlite database at ${missing} (AUDIT_DB).`] });
  });
});

/**
 * One database per backend holding a table per scenario, built in beforeAll: tampering is
 * done in SQL behind the guard's back, as the table's owner could. A PGlite data directory is
 * closed before the command opens it: one process at a time may own it.
 */
describe.each(BACKENDS)('audit:verify on $name', (backend: Backend) => {
  const tables = {
    intact: uniqueTable(),
    tampered: uniqueTable(),
    anchored: uniqueTable(),
    cut: uniqueTable(),
    rewritten: uniqueTable(),
    rewriteScratch: uniqueTable(),
    forged: uniqueTable(),
    empty: uniqueTable(),
    cutOff: uniqueTable(),
  };
  let root = '';
  let dbDir = '';
  let checkpointDir = '';
  let publicKeys = '';
  let key: CheckpointKey;
  let env: NodeJS.ProcessEnv = {};
  /** What today's chain check (AuditLog.verify) said of each tampered table: it cannot see the tampering. */
  const chainCheck: Record<string, unknown> = {};
  const anchoredEnv = (table: string): NodeJS.ProcessEnv => ({ ...env, AUDIT_TABLE: table, AUDIT_CHECKPOINT_DIR: checkpointDir, AUDIT_CHECKPOINT_PUBLIC_KEYS: publicKeys });

  async function open(): Promise<Database> {
    return openDatabase({ url: backend.url ?? `pglite://${encodeURI(dbDir)}` });
  }

  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), 'audit-verify-'));
    dbDir = join(root, 'db');
    checkpointDir = join(root, 'checkpoints');
    const written = await writeCheckpointKeyPair(join(root, 'key'));
    publicKeys = written.publicKeysFile;
    key = await loadCheckpointKey({ kind: 'file', path: written.privateKeyFile });
    env = backend.name === 'pglite' ? { AUDIT_DB: dbDir } : { DATABASE_URL: backend.url };
    const db = await open();
    try {
      const logOf = (table: string) => AuditLog.open(db, { table });

      for (const table of [tables.intact, tables.tampered]) await appendRecords(await logOf(table), 1, 3);
      await tamper(db, tables.tampered, `UPDATE "${tables.tampered}" SET case_number = NULL WHERE id = 2`);
      await logOf(tables.empty);

      // Cut off: one request's intent and outcome, another's intent alone (the gateway stopped).
      const cutOff = await logOf(tables.cutOff);
      await cutOff.append(auditInput({ requestId: 'req-done', outcome: 'INTENT' }));
      await cutOff.append(auditInput({ requestId: 'req-done' }));
      await cutOff.append(auditInput({ requestId: 'req-cut', outcome: 'INTENT' }));

      // Anchored at 5, then two more records the next checkpoint will cover.
      const anchored = await logOf(tables.anchored);
      await appendRecords(anchored, 1, 5);
      await checkpointAt(anchored, key, checkpointDir, T1);
      await appendRecords(anchored, 6, 7);

      // Cut: checkpoints at 4 and 10, then the newest three records deleted.
      const cut = await logOf(tables.cut);
      await appendRecords(cut, 1, 4);
      await checkpointAt(cut, key, checkpointDir, T1);
      await appendRecords(cut, 5, 10);
      await checkpointAt(cut, key, checkpointDir, T2);
      await tamper(db, tables.cut, `DELETE FROM "${tables.cut}" WHERE id > 7`);
      chainCheck.cut = await cut.verify();

      // Rewritten: checkpoints at 4 and 10, then records 6..10 replaced by others, the chain
      // recomputed from record 5's hash on (built in a scratch table with the same first five).
      const rewritten = await logOf(tables.rewritten);
      await appendRecords(rewritten, 1, 4);
      await checkpointAt(rewritten, key, checkpointDir, T1);
      await appendRecords(rewritten, 5, 10);
      await checkpointAt(rewritten, key, checkpointDir, T2);
      const scratch = await logOf(tables.rewriteScratch);
      await appendRecords(scratch, 1, 5);
      await appendRecords(scratch, 6, 10, '-rewritten');
      await tamper(db, tables.rewritten, `DELETE FROM "${tables.rewritten}" WHERE id >= 6`);
      await tamper(db, tables.rewritten, `INSERT INTO "${tables.rewritten}" SELECT * FROM "${tables.rewriteScratch}" WHERE id >= 6`);
      chainCheck.rewritten = await rewritten.verify();

      // Forged: a valid checkpoint, then one signed by another key under the same kid, then a
      // valid one whose claims were edited (its head moved to record 2), then an unknown key's.
      const forged = await logOf(tables.forged);
      await appendRecords(forged, 1, 3);
      await checkpointAt(forged, key, checkpointDir, T1);
      const impostor = await impostorKey(key.kid);
      const file = join(checkpointDir, `${tables.forged}.test.jsonl`);
      const head = (await forged.chainHead())!;
      const line = (checkpoint: string) => appendFileSync(file, `${JSON.stringify({ checkpoint })}\n`);
      line(await signCheckpoint({ table: tables.forged, at: T2, headId: head.id, headHash: head.hash }, impostor));
      const [header, , signature] = (await signCheckpoint({ table: tables.forged, at: T2, headId: 3, headHash: head.hash }, key)).split('.');
      const edited = Buffer.from(JSON.stringify({ v: 1, table: tables.forged, at: T2, count: 2, headId: 2, headHash: head.hash, keyId: key.kid })).toString('base64url');
      line(`${header}.${edited}.${signature}`);
      line(await signCheckpoint({ table: tables.forged, at: T2, headId: head.id, headHash: head.hash }, await loadCheckpointKey({ kind: 'jwk', json: JSON.stringify((await generateCheckpointKeyPair()).privateJwk) })));
    } finally {
      await db.close();
    }
  });

  afterAll(async () => {
    if (backend.name === 'postgres') {
      const db = await open();
      for (const table of Object.values(tables)) await dropAuditTable(db, table);
      await db.close();
    }
    rmSync(root, { recursive: true, force: true });
  });

  it('says an intact chain with no checkpoints named is not anchored, and exits 6', async () => {
    expect(await verifyWith({ ...env, AUDIT_TABLE: tables.intact })).toEqual({
      code: 6,
      stdout: ['audit chain OK: 3 records, NOT anchored: no checkpoints named (AUDIT_CHECKPOINT_DIR, AUDIT_CHECKPOINT_PUBLIC_KEYS)'],
      stderr: [],
    });
  });

  it('says an intact chain none of whose checkpoints is in the directory is not anchored', async () => {
    expect(await verifyWith(anchoredEnv(tables.intact))).toEqual({
      code: 6,
      stdout: [`audit chain OK: 3 records, NOT anchored: no valid checkpoint of this chain in ${checkpointDir}`],
      stderr: [],
    });
  });

  it('says how far an intact chain is anchored, and exits 0', async () => {
    expect(await verifyWith(anchoredEnv(tables.anchored))).toEqual({
      code: 0,
      stdout: [`audit chain OK: 7 records, anchored up to record 5 by checkpoint of ${T1}`],
      stderr: [],
    });
  });

  it('an empty log has nothing to anchor', async () => {
    expect(await verifyWith(anchoredEnv(tables.empty))).toEqual({ code: 0, stdout: ['audit chain OK: 0 records, nothing to anchor'], stderr: [] });
  });

  it('counts the requests cut off, an intent with no outcome, and names them; the code is the chain\'s', async () => {
    expect(await verifyWith({ ...env, AUDIT_TABLE: tables.cutOff })).toEqual({
      code: 6,
      stdout: [
        'audit chain OK: 3 records, NOT anchored: no checkpoints named (AUDIT_CHECKPOINT_DIR, AUDIT_CHECKPOINT_PUBLIC_KEYS)',
        `audit: 1 request cut off, an intent with no outcome (agencies may have been asked, nothing was answered): req-cut (record 3, ${auditInput().at})`,
      ],
      stderr: [],
    });
  });

  it('names a cut tail that the chain alone passes, and exits 3', async () => {
    expect(chainCheck.cut).toEqual({ ok: true, count: 7 });
    expect(await verifyWith(anchoredEnv(tables.cut))).toEqual({
      code: 3,
      stdout: [`audit chain CUT: the log ends at record 7 but checkpoint of ${T2} covers 10 records`],
      stderr: [],
    });
  });

  it('names a rewrite that the chain alone passes, and where it starts, and exits 4', async () => {
    expect(chainCheck.rewritten).toEqual({ ok: true, count: 10 });
    expect(await verifyWith(anchoredEnv(tables.rewritten))).toEqual({
      code: 4,
      stdout: [`audit chain REWRITTEN: record 10's hash differs from what checkpoint of ${T2} signed (records up to 4 match checkpoint of ${T1}: the rewrite starts after record 4)`],
      stderr: [],
    });
  });

  it('names forged and altered checkpoints, keeps the valid one, and exits 5', async () => {
    const file = `${tables.forged}.test.jsonl`;
    expect(await verifyWith(anchoredEnv(tables.forged))).toEqual({
      code: 5,
      stdout: [
        `audit checkpoint BAD: ${file} line 2: the signature does not verify with key ${key.kid}`,
        `audit checkpoint BAD: ${file} line 3: the signature does not verify with key ${key.kid}`,
        expect.stringMatching(new RegExp(`^audit checkpoint BAD: ${file} line 4: no public key with kid [\\w-]{43}$`)),
        `audit chain OK: 3 records, anchored up to record 3 by checkpoint of ${T1}`,
      ],
      stderr: [],
    });
  });

  it('names the first broken record and exits 1', async () => {
    expect(await verifyWith({ ...env, AUDIT_TABLE: tables.tampered })).toEqual({
      code: 1,
      stdout: ['audit chain BROKEN at record 2: HASH_MISMATCH'],
      stderr: [],
    });
  });

  it('says so when the table does not exist, and creates nothing', async () => {
    const absent = uniqueTable();
    expect(await verifyWith({ ...env, AUDIT_TABLE: absent })).toEqual({
      code: 2,
      stdout: [],
      stderr: [`audit verify could not run: There is no audit table "${absent}" in this database.`],
    });
  });

  it('needs the public keys when checkpoints are named', async () => {
    expect(await verifyWith({ ...anchoredEnv(tables.anchored), AUDIT_CHECKPOINT_PUBLIC_KEYS: '' })).toEqual({
      code: 2,
      stdout: [],
      stderr: ['Name the checkpoint keys: AUDIT_CHECKPOINT_PUBLIC_KEYS=<a JWKS file with their public halves>.'],
    });
  });

  it('as a command: prints the broken record and exits 1', async () => {
    const result = await spawnVerify({ ...env, AUDIT_TABLE: tables.tampered });
    expect(result).toEqual({ code: 1, stdout: 'audit chain BROKEN at record 2: HASH_MISMATCH\n', stderr: '' });
  });

  it('as a command: names the cut tail and exits 3', async () => {
    const result = await spawnVerify(anchoredEnv(tables.cut));
    expect(result).toEqual({ code: 3, stdout: `audit chain CUT: the log ends at record 7 but checkpoint of ${T2} covers 10 records\n`, stderr: '' });
  });
});

/** Another Ed25519 key that claims the kid of the real one. */
async function impostorKey(kid: string): Promise<CheckpointKey> {
  const { privateJwk } = await generateCheckpointKeyPair();
  return loadCheckpointKey({ kind: 'jwk', json: JSON.stringify({ ...privateJwk, kid }) });
}
