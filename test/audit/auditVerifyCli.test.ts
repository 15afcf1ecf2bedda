import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { auditVerify } from '../../bin/auditVerify';
import { AuditLog } from '../../gateway/audit/auditLog';
import { type Database, openDatabase } from '../../lib/db/openDatabase';
import { type Backend, BACKENDS } from '../support/backends';
import { auditInput, dropAuditTable, tamper, uniqueTable } from './auditHarness';

const ROOT = resolve(__dirname, '../..');

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
 * One database per backend holding an intact table and a tampered one. A PGlite data
 * directory is closed before the command opens it: one process at a time may own it.
 */
describe.each(BACKENDS)('audit:verify on $name', (backend: Backend) => {
  const intact = uniqueTable();
  const tampered = uniqueTable();
  let dir = '';
  let env: NodeJS.ProcessEnv = {};

  async function open(): Promise<Database> {
    return openDatabase({ url: backend.url ?? `pglite://${encodeURI(dir)}` });
  }

  beforeAll(async () => {
    if (backend.name === 'pglite') {
      dir = mkdtempSync(join(tmpdir(), 'audit-verify-'));
      env = { AUDIT_DB: dir };
    } else {
      env = { DATABASE_URL: backend.url };
    }
    const db = await open();
    try {
      for (const table of [intact, tampered]) {
        const log = await AuditLog.open(db, { table });
        for (let i = 1; i <= 3; i += 1) await log.append(auditInput({ requestId: `req-${i}` }));
      }
      await tamper(db, tampered, `UPDATE "${tampered}" SET case_number = NULL WHERE id = 2`);
    } finally {
      await db.close();
    }
  }, 60_000);

  afterAll(async () => {
    if (backend.name === 'pglite') {
      rmSync(dir, { recursive: true, force: true });
      return;
    }
    const db = await open();
    await dropAuditTable(db, intact);
    await dropAuditTable(db, tampered);
    await db.close();
  });

  it('prints "audit chain OK" and exits 0 for an intact chain', async () => {
    expect(await verifyWith({ ...env, AUDIT_TABLE: intact })).toEqual({ code: 0, stdout: ['audit chain OK: 3 records'], stderr: [] });
  });

  it('names the first broken record and exits 1', async () => {
    expect(await verifyWith({ ...env, AUDIT_TABLE: tampered })).toEqual({
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

  it('as a command: prints the broken record and exits 1', async () => {
    const result = await spawnVerify({ ...env, AUDIT_TABLE: tampered });
    expect(result).toEqual({ code: 1, stdout: 'audit chain BROKEN at record 2: HASH_MISMATCH\n', stderr: '' });
  }, 60_000);
});
