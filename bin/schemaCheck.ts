/**
 * `npm run schema:check [-- --dir <dir>] [--against <supergraph>] [--audit-db <url or dir>]`:
 * what a change to the subgraph SDL files does to courts, before it is proposed
 * (schemas/schemaCheck.ts says how).
 *
 *   --dir       the subgraph SDL files (default schemas/)
 *   --against   the supergraph to compare with (default <dir>/supergraph.graphql, the committed one;
 *               after `npm run compose` has rewritten it, e.g. `git show main:schemas/supergraph.graphql`)
 *   --audit-db  an audit log (postgres://… or a PGlite directory, with the gateway stopped): its
 *               operations are checked too (`AUDIT_TABLE` names another table)
 *
 * Exit codes: 0 no breaking change and every operation valid; 1 a breaking change, an invalid
 * operation, or a candidate that does not compose; 2 nothing could be checked (bad arguments, no
 * such file, an audit log that cannot be read).
 */
import { existsSync } from 'node:fs';
import { relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { EXAMPLE_OPERATIONS } from '../examples/exampleOperations';
import { AuditStore, DEFAULT_TABLE } from '../lib/audit/auditStore';
import { openDatabase } from '../lib/db/openDatabase';
import type { RecordedOperation } from '../schemas/auditedOperations';
import { COURT_OPERATIONS } from '../schemas/courtOperations';
import type { CourtOperation } from '../schemas/operationValidation';
import { checkSchema, type SchemaCheckReport } from '../schemas/schemaCheck';

export interface SchemaCheckOutput {
  log(line: string): void;
  error(line: string): void;
}

export const EXIT = { OK: 0, FAILED: 1, CANNOT_RUN: 2 } as const;

/** The operations that must stay valid: the documented ones and every example's. */
export function operationsThatMatter(): CourtOperation[] {
  return [
    ...COURT_OPERATIONS.map((text) => ({ source: 'schemas/courtOperations.ts', text })),
    ...Object.entries(EXAMPLE_OPERATIONS).flatMap(([source, texts]) => texts.map((text) => ({ source, text }))),
  ];
}

/** Runs the check and returns the exit code; the report goes to `out`. */
export async function schemaCheck(args: readonly string[], env: NodeJS.ProcessEnv, out: SchemaCheckOutput): Promise<number> {
  let values: { dir?: string; against?: string; 'audit-db'?: string };
  try {
    ({ values } = parseArgs({ args: [...args], options: { dir: { type: 'string' }, against: { type: 'string' }, 'audit-db': { type: 'string' } } }));
  } catch (error) {
    out.error(`${(error as Error).message}\nusage: npm run schema:check [-- --dir <dir>] [--against <supergraph>] [--audit-db <url or dir>]`);
    return EXIT.CANNOT_RUN;
  }
  try {
    const recorded = values['audit-db'] === undefined ? undefined : await readRecordedOperations(values['audit-db'], env.AUDIT_TABLE ?? DEFAULT_TABLE);
    const report = await checkSchema({
      ...(values.dir === undefined ? {} : { dir: resolve(values.dir) }),
      ...(values.against === undefined ? {} : { against: resolve(values.against) }),
      operations: operationsThatMatter(),
      ...(recorded === undefined ? {} : { recorded }),
    });
    for (const line of reportLines(report)) out.log(line);
    return report.passed ? EXIT.OK : EXIT.FAILED;
  } catch (error) {
    out.error(error instanceof Error ? error.message : String(error));
    return EXIT.CANNOT_RUN;
  }
}

/**
 * The audit log's operations, one per name and text: the log holds each request's operation name
 * and the sha256 of its text, not the text, and the coordinates it reached. Read only.
 */
export async function readRecordedOperations(location: string, table: string): Promise<RecordedOperation[]> {
  let url = location;
  if (!/^(postgres|postgresql|pglite):/.test(location)) {
    const dir = resolve(location);
    // PGlite would create an empty database there and find nothing to check.
    if (!existsSync(dir)) throw new Error(`No PGlite database at ${dir} (--audit-db).`);
    url = `pglite://${encodeURI(dir)}`;
  }
  const db = await openDatabase({ url, poolSize: 1 });
  try {
    const store = new AuditStore(db, table);
    await store.install({ create: false });
    // An intent and its final record are one request: counted by request id.
    const { rows } = await db.query<{ name: string | null; hash: string; requests: number; fields: string[] }>(
      `SELECT operation_name AS name, operation_hash AS hash, count(DISTINCT request_id)::int AS requests,
              coalesce(array_agg(DISTINCT reached.field) FILTER (WHERE reached.field IS NOT NULL), '{}') AS fields
       FROM "${store.table}" LEFT JOIN LATERAL unnest(fields) AS reached(field) ON true
       GROUP BY operation_name, operation_hash
       ORDER BY requests DESC, operation_name`,
    );
    return rows;
  } finally {
    await db.close();
  }
}

const LEVEL_LABELS = { breaking: 'BREAKING ', dangerous: 'dangerous', safe: 'safe     ' } as const;

export function reportLines(report: SchemaCheckReport): string[] {
  const lines = [`schema check: ${shown(report.dir)}/*.graphql against ${shown(report.against)}`];
  if (report.compositionErrors.length > 0) {
    lines.push('composition FAILED:', ...report.compositionErrors.map((m) => `  - ${m.replace(/\n/g, '\n    ')}`), 'result: FAILED (the candidate does not compose)');
    return lines;
  }
  lines.push(...changeLines(report), ...operationLines(report), ...auditLines(report));
  const breaking = report.changes.filter((c) => c.level === 'breaking').length;
  const invalid = report.operations.filter((o) => o.errors.length > 0).length;
  const gone = (report.audited ?? []).filter((a) => a.missingFields.length > 0).length;
  const problems = [
    breaking > 0 ? `${breaking} breaking change${breaking === 1 ? '' : 's'}` : '',
    invalid > 0 ? `${invalid} invalid operation${invalid === 1 ? '' : 's'}` : '',
    gone > 0 ? `${gone} audited operation${gone === 1 ? '' : 's'} reaching fields that are gone` : '',
  ].filter(Boolean);
  lines.push(report.passed ? 'result: OK' : `result: FAILED (${problems.join(', ')})`);
  return lines;
}

function changeLines(report: SchemaCheckReport): string[] {
  if (report.changes.length === 0) return ['API schema: no changes'];
  const counts = (['breaking', 'dangerous', 'safe'] as const).map((level) => `${report.changes.filter((c) => c.level === level).length} ${level}`);
  const lines = [`API schema: ${report.changes.length} change${report.changes.length === 1 ? '' : 's'} (${counts.join(', ')})`];
  const groups = new Map<string, typeof report.changes>();
  for (const change of report.changes) {
    const key = change.subgraphs.length > 0 ? change.subgraphs.join(' + ') : '(subgraph not known)';
    groups.set(key, [...(groups.get(key) ?? []), change]);
  }
  for (const [subgraphs, changes] of groups) {
    lines.push(`  ${subgraphs}:`);
    for (const c of changes) lines.push(`    ${LEVEL_LABELS[c.level]}  ${c.path ?? '(schema)'}  ${c.message}`);
  }
  return lines;
}

function operationLines(report: SchemaCheckReport): string[] {
  const invalid = report.operations.filter((o) => o.errors.length > 0);
  const lines = [`operations: ${report.operations.length} checked, ${report.operations.length - invalid.length} valid`];
  for (const o of invalid) {
    lines.push(`  INVALID ${o.name} (${o.source})`);
    for (const e of o.errors) lines.push(`    ${e.message}${e.locations.length > 0 ? ` (at ${e.locations.join(', ')})` : ''}`);
  }
  return lines;
}

function auditLines(report: SchemaCheckReport): string[] {
  if (report.audited === undefined) return [];
  const audited = report.audited;
  const requests = audited.reduce((n, a) => n + a.requests, 0);
  const byText = audited.filter((a) => a.known === 'text');
  const lines = [
    `audit log: ${audited.length} distinct operations in ${requests} requests, ${byText.length} of them a text checked above ` +
      '(the log keeps names and hashes, not texts: the others are checked by the fields their requests reached)',
  ];
  const named = (a: (typeof audited)[number]) => `${a.name ?? '(anonymous)'} (hash ${a.hash.slice(0, 12)}, ${a.requests} request${a.requests === 1 ? '' : 's'})`;
  const otherText = audited.filter((a) => a.known === 'name');
  const unknown = audited.filter((a) => a.known === 'unknown');
  if (otherText.length > 0) lines.push(`  under a documented name with another text: ${otherText.map(named).join(', ')}`);
  if (unknown.length > 0) lines.push(`  unknown names: ${unknown.map(named).join(', ')}`);
  for (const a of audited.filter((x) => x.missingFields.length > 0)) {
    lines.push(`  INVALID ${named(a)}${a.sameAs ? `, the text of ${a.sameAs}` : ''}: reached ${a.missingFields.join(', ')}, which the candidate no longer has`);
  }
  return lines;
}

function shown(path: string): string {
  const rel = relative(process.cwd(), path);
  return rel === '' ? '.' : rel.startsWith('..') ? path : rel;
}

if (require.main === module) {
  void schemaCheck(process.argv.slice(2), process.env, console).then((code) => {
    process.exitCode = code;
  });
}
