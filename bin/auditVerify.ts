/**
 * `npm run audit:verify`: checks the audit log's hash chain and names the first broken record.
 *
 *   DATABASE_URL=postgres://user@host/db npm run audit:verify   # a PostgreSQL server
 *   AUDIT_DB=/path/to/pglite-dir npm run audit:verify           # a PGlite data directory
 *
 * `AUDIT_TABLE` names another table (default `audit_log`). Exit code 0: intact; 1: broken;
 * 2: nothing to check (no database named, no such directory or table, cannot connect).
 * Read-only: creates and changes nothing.
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { AuditLog } from '../gateway/audit/auditLog';
import { openDatabase } from '../lib/db/openDatabase';

export interface AuditVerifyOutput {
  log(line: string): void;
  error(line: string): void;
}

const HOW_TO_NAME_A_DATABASE =
  'Name the audit database: DATABASE_URL=postgres://user@host:5432/db for a PostgreSQL server, ' +
  'or AUDIT_DB=<directory> for a PGlite data directory.';

/** Runs the check and returns the exit code; lines go to `out`. */
export async function auditVerify(env: NodeJS.ProcessEnv, out: AuditVerifyOutput): Promise<number> {
  let url: string;
  if (env.DATABASE_URL) {
    url = env.DATABASE_URL;
  } else if (env.AUDIT_DB) {
    const dir = resolve(env.AUDIT_DB);
    // PGlite would create an empty database there and call it intact.
    if (!existsSync(dir)) {
      out.error(`No PGlite database at ${dir} (AUDIT_DB).`);
      return 2;
    }
    url = `pglite://${encodeURI(dir)}`;
  } else {
    out.error(HOW_TO_NAME_A_DATABASE);
    return 2;
  }

  let db: Awaited<ReturnType<typeof openDatabase>> | undefined;
  try {
    db = await openDatabase({ url });
    const log = await AuditLog.open(db, { table: env.AUDIT_TABLE || undefined, create: false });
    const result = await log.verify();
    if (result.ok) {
      out.log(`audit chain OK: ${result.count} records`);
      return 0;
    }
    out.log(`audit chain BROKEN at record ${result.firstBroken.id}: ${result.firstBroken.reason}`);
    return 1;
  } catch (error) {
    out.error(`audit verify could not run: ${error instanceof Error ? error.message : String(error)}`);
    return 2;
  } finally {
    await db?.close();
  }
}

if (require.main === module) {
  void auditVerify(process.env, console).then((code) => {
    process.exitCode = code;
  });
}
