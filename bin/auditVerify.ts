/**
 * `npm run audit:verify`: checks the audit log's hash chain, then the chain against its
 * signed checkpoints, and names what is wrong.
 *
 *   DATABASE_URL=postgres://user@host/db npm run audit:verify   # a PostgreSQL server
 *   AUDIT_DB=/path/to/pglite-dir npm run audit:verify           # a PGlite data directory
 *
 * with, to check the checkpoints (lib/audit/checkpoints/):
 *   AUDIT_CHECKPOINT_DIR          the directory the gateways append checkpoints in
 *   AUDIT_CHECKPOINT_PUBLIC_KEYS  a JWKS (or one JWK) file with the checkpoint keys' public halves
 *   AUDIT_TSA_CERTS               optional: PEM certificates of the TSA's CA; time-stamps must chain to one
 *
 * `AUDIT_TABLE` names another table (default `audit_log`). Read-only: creates and changes nothing.
 *
 * Exit codes (when several apply, the first in this order):
 *   1  the chain is broken: a record changed, missing or out of chain (`audit chain BROKEN at record N: …`)
 *   3  a cut tail: the log ends before a checkpoint's head (`audit chain CUT: the log ends at record N but checkpoint of <time> covers M records`)
 *   4  a rewrite: a record's hash differs from a checkpoint's (`audit chain REWRITTEN: record N's hash differs from what checkpoint of <time> signed`)
 *   5  a bad checkpoint: forged or altered (signature), unknown key, another table's, a time-stamp that does not match (`audit checkpoint BAD: …`)
 *   6  the chain is intact but not anchored: no checkpoints named, or none of its records covered yet
 *   0  intact and anchored (`audit chain OK: N records, anchored up to record M by checkpoint of <time>`), or empty
 *
 * Requests cut off (an intent with no outcome: the gateway stopped, or answered 503 without its
 * outcome) are counted on a line of their own, `audit: N requests cut off, …`; they change no code.
 *   2  nothing could be checked (no database named, no such directory or table, cannot connect, no public keys,
 *      a PGlite directory another process holds: lib/db/dataDirLock.ts)
 */
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { JWK } from 'jose';
import type { VerifyResult } from '../lib/audit/auditChain';
import { AuditLog } from '../lib/audit/auditLog';
import { checkpointPublicKeys, type CheckpointPublicKeys } from '../lib/audit/checkpoints/checkpointSignature';
import { certificatesFromPem } from '../lib/audit/checkpoints/checkpointTimestamp';
import { type AnchorReport, checkAnchors, type CheckpointRef } from '../lib/audit/checkpoints/checkpointVerification';
import { openDatabase } from '../lib/db/openDatabase';

export interface AuditVerifyOutput {
  log(line: string): void;
  error(line: string): void;
}

export const EXIT = { OK: 0, BROKEN: 1, CANNOT_RUN: 2, CUT: 3, REWRITTEN: 4, BAD_CHECKPOINT: 5, NOT_ANCHORED: 6 } as const;

/** Bad checkpoint lines printed one by one; the rest are counted. */
const BAD_LINES_SHOWN = 20;
/** Requests cut off (an intent without an outcome): counted up to this many, the first few named. */
const CUT_OFF_COUNTED = 10_000;
const CUT_OFF_NAMED = 5;

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
      return EXIT.CANNOT_RUN;
    }
    url = `pglite://${encodeURI(dir)}`;
  } else {
    out.error(HOW_TO_NAME_A_DATABASE);
    return EXIT.CANNOT_RUN;
  }

  let anchors: { dir: string; keys: CheckpointPublicKeys; tsaCerts: ReturnType<typeof certificatesFromPem> } | undefined;
  if (env.AUDIT_CHECKPOINT_DIR) {
    const dir = resolve(env.AUDIT_CHECKPOINT_DIR);
    try {
      anchors = { dir, ...readTrust(env, dir) };
    } catch (error) {
      out.error(error instanceof Error ? error.message : String(error));
      return EXIT.CANNOT_RUN;
    }
  }

  let db: Awaited<ReturnType<typeof openDatabase>> | undefined;
  try {
    db = await openDatabase({ url });
    const log = await AuditLog.open(db, { table: env.AUDIT_TABLE || undefined, create: false });
    const chain = await log.verify();
    const report = anchors ? await checkAnchors({ log, chain, ...anchors }) : undefined;
    const code = printed(chain, report, anchors?.dir, out);
    // Not a defect of the log (exit code unchanged), but what a reader must know of it.
    const cutOff = await log.unfinished({ limit: CUT_OFF_COUNTED });
    if (cutOff.length > 0) {
      const named = cutOff.slice(0, CUT_OFF_NAMED).map((e) => `${e.requestId} (record ${e.id}, ${e.at})`);
      const count = cutOff.length === CUT_OFF_COUNTED ? `${CUT_OFF_COUNTED} or more requests` : cutOff.length === 1 ? '1 request' : `${cutOff.length} requests`;
      out.log(
        `audit: ${count} cut off, an intent with no outcome (agencies may have been asked, nothing was answered): ${named.join(', ')}${cutOff.length > CUT_OFF_NAMED ? ', …' : ''}`,
      );
    }
    return code;
  } catch (error) {
    out.error(`audit verify could not run: ${error instanceof Error ? error.message : String(error)}`);
    return EXIT.CANNOT_RUN;
  } finally {
    await db?.close();
  }
}

function readTrust(env: NodeJS.ProcessEnv, dir: string): { keys: CheckpointPublicKeys; tsaCerts: ReturnType<typeof certificatesFromPem> } {
  if (!existsSync(dir)) throw new Error(`No checkpoint directory at ${dir} (AUDIT_CHECKPOINT_DIR).`);
  const keysFile = env.AUDIT_CHECKPOINT_PUBLIC_KEYS;
  if (!keysFile) throw new Error('Name the checkpoint keys: AUDIT_CHECKPOINT_PUBLIC_KEYS=<a JWKS file with their public halves>.');
  let jwks: { keys: JWK[] };
  try {
    const json = JSON.parse(readFileSync(resolve(keysFile), 'utf8')) as { keys?: JWK[] } & JWK;
    jwks = Array.isArray(json.keys) ? { keys: json.keys } : { keys: [json] };
    // Only public halves belong here; a private key would still verify, but is not to be spread.
    jwks = { keys: jwks.keys.map(({ d: _d, ...publicHalf }) => publicHalf) };
  } catch (error) {
    throw new Error(`The checkpoint keys (AUDIT_CHECKPOINT_PUBLIC_KEYS=${keysFile}) could not be read: ${error instanceof Error ? error.message : String(error)}`);
  }
  const tsaCerts = env.AUDIT_TSA_CERTS ? certificatesFromPem(readFileSync(resolve(env.AUDIT_TSA_CERTS), 'utf8')) : [];
  if (env.AUDIT_TSA_CERTS && tsaCerts.length === 0) throw new Error(`No certificate in ${env.AUDIT_TSA_CERTS} (AUDIT_TSA_CERTS).`);
  return { keys: checkpointPublicKeys(jwks), tsaCerts };
}

/** Prints the findings, worst first, and returns the exit code. */
function printed(chain: VerifyResult, report: AnchorReport | undefined, dir: string | undefined, out: AuditVerifyOutput): number {
  const codes: number[] = [];
  if (!chain.ok) {
    out.log(`audit chain BROKEN at record ${chain.firstBroken.id}: ${chain.firstBroken.reason}`);
    codes.push(EXIT.BROKEN);
    if (report && report.pastBreak > 0) out.log(`${report.pastBreak} checkpoint(s) cover records past the break: not compared`);
  }
  if (report) {
    for (const file of report.unfinished) out.log(`audit checkpoint file ${file} ends in an unfinished line (a crash while writing?): left out`);
    for (const bad of report.bad.slice(0, BAD_LINES_SHOWN)) out.log(`audit checkpoint BAD: ${bad.file} line ${bad.line}: ${bad.reason}`);
    if (report.bad.length > BAD_LINES_SHOWN) out.log(`audit checkpoint BAD: ${report.bad.length - BAD_LINES_SHOWN} more`);
    if (report.bad.length > 0) codes.push(EXIT.BAD_CHECKPOINT);
    if (report.rewrite) {
      const { checkpoint, lastMatching } = report.rewrite;
      const since = lastMatching
        ? `records up to ${lastMatching.headId} match checkpoint of ${lastMatching.at}: the rewrite starts after record ${lastMatching.headId}`
        : 'no checkpoint before it matches';
      out.log(`audit chain REWRITTEN: record ${checkpoint.headId}'s hash differs from what checkpoint of ${checkpoint.at} signed (${since})`);
      codes.push(EXIT.REWRITTEN);
    }
    if (report.cut) {
      out.log(`audit chain CUT: the log ends at record ${chain.count} but checkpoint of ${report.cut.at} covers ${report.cut.headId} records`);
      codes.push(EXIT.CUT);
    }
  }
  if (chain.ok && !report?.rewrite && !report?.cut) {
    if (chain.count === 0) {
      out.log('audit chain OK: 0 records, nothing to anchor');
    } else if (report?.anchor) {
      out.log(`audit chain OK: ${chain.count} records, anchored up to record ${report.anchor.headId} by checkpoint of ${report.anchor.at}${stampOf(report.anchor)}`);
    } else {
      out.log(`audit chain OK: ${chain.count} records, NOT anchored: ${dir ? `no valid checkpoint of this chain in ${dir}` : 'no checkpoints named (AUDIT_CHECKPOINT_DIR, AUDIT_CHECKPOINT_PUBLIC_KEYS)'}`);
      codes.push(EXIT.NOT_ANCHORED);
    }
  }
  const order: number[] = [EXIT.BROKEN, EXIT.CUT, EXIT.REWRITTEN, EXIT.BAD_CHECKPOINT, EXIT.NOT_ANCHORED];
  return order.find((code) => codes.includes(code)) ?? EXIT.OK;
}

function stampOf(ref: CheckpointRef): string {
  return ref.stamped ? `, time-stamped ${ref.stamped.genTime.toISOString()} by ${ref.stamped.tsa}` : '';
}

if (require.main === module) {
  void auditVerify(process.env, console).then((code) => {
    process.exitCode = code;
  });
}
