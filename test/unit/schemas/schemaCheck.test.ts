import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { operationHash } from '../../../lib/audit/auditRecord';
import { AuditLog } from '../../../lib/audit/auditLog';
import { openDatabase } from '../../../lib/db/openDatabase';
import { operationsThatMatter, schemaCheck } from '../../../bin/schemaCheck';
import { composeCandidate } from '../../../schemas/candidateSupergraph';
import { DOSSIER } from '../../../schemas/courtOperations';
import { checkSchema } from '../../../schemas/schemaCheck';
import { auditInput } from '../../support/auditHarness';
import { REPO_ROOT } from '../../support/repoRoot';

const SCHEMAS = join(REPO_ROOT, 'schemas');

/** A copy of the SDL files, their shared blocks and the committed supergraph, to change freely. */
function schemasCopy(): string {
  const dir = mkdtempSync(join(tmpdir(), 'schema-check-'));
  cpSync(SCHEMAS, dir, { recursive: true, filter: (src) => src === SCHEMAS || src.endsWith('.graphql') || src.endsWith('/shared') });
  return dir;
}

/** Rewrites one SDL file of the copy; fails the test if `from` is not in it, so an edit of the real file cannot make it vacuous. */
function edit(dir: string, file: string, from: string, to: string): void {
  const path = join(dir, file);
  const sdl = readFileSync(path, 'utf8');
  expect(sdl).toContain(from);
  writeFileSync(path, sdl.replace(from, to));
}

async function run(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const stdout: string[] = [];
  const stderr: string[] = [];
  const code = await schemaCheck(args, {}, { log: (l) => stdout.push(l), error: (l) => stderr.push(l) });
  return { code, stdout: stdout.join('\n'), stderr: stderr.join('\n') };
}

const PLATE_NUMBER = '  "Number plate (号牌号码) with the province character, e.g. 浙A12345."\n  plateNumber: String!\n';

describe('schema check on a copy of schemas/', () => {
  let dir: string;
  beforeEach(() => {
    dir = schemasCopy();
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('reports no changes for the files the committed supergraph was composed from, and exits 0', async () => {
    const { code, stdout } = await run(['--dir', dir]);
    expect(stdout).toContain('API schema: no changes');
    expect(stdout).toContain(`operations: ${operationsThatMatter().length} checked, ${operationsThatMatter().length} valid`);
    expect(code).toBe(0);
  });

  it('lays a field removed from vehicle.graphql to vehicle as breaking, names the Dossier invalid, and exits 1', async () => {
    edit(dir, 'vehicle.graphql', PLATE_NUMBER, '');
    const report = await checkSchema({ dir, operations: operationsThatMatter() });
    expect(report.changes).toEqual([
      expect.objectContaining({ level: 'breaking', type: 'FIELD_REMOVED', path: 'Vehicle.plateNumber', subgraphs: ['vehicle'] }),
    ]);
    const dossier = report.operations.find((o) => o.text === DOSSIER);
    expect(dossier?.errors).toEqual([{ message: 'Cannot query field "plateNumber" on type "Vehicle".', locations: ['10:24'] }]);
    expect(report.passed).toBe(false);

    const { code, stdout } = await run(['--dir', dir]);
    expect(stdout).toMatch(/vehicle:\n\s+BREAKING\s+Vehicle\.plateNumber\s+Field 'plateNumber' was removed from object type 'Vehicle'/);
    expect(stdout).toContain('INVALID Dossier (schemas/courtOperations.ts)');
    expect(code).toBe(1);
  });

  it('lays a nullable field added in bank.graphql to bank as safe, and exits 0', async () => {
    edit(dir, 'bank.graphql', 'type Person @key(fields: "idNumber") {\n  idNumber: IdNumber!\n', 'type Person @key(fields: "idNumber") {\n  idNumber: IdNumber!\n  "Another name the bank knows the person by."\n  alias: String\n');
    const report = await checkSchema({ dir, operations: operationsThatMatter() });
    expect(report.changes.map((c) => [c.level, c.path, c.subgraphs])).toEqual([
      ['safe', 'Person.alias', ['bank']],
      ['safe', 'Person.alias', ['bank']], // its description
    ]);
    expect((await run(['--dir', dir])).code).toBe(0);
  });

  it('lays a change to a shared SDL block to every subgraph that carries it', async () => {
    edit(dir, 'shared/controlMeasures.graphql', '  RETURNED\n  "Released', '  RETURNED\n  "Set aside by a higher court."\n  VOIDED\n  "Released');
    const report = await checkSchema({ dir, operations: operationsThatMatter() });
    const added = report.changes.find((c) => c.type === 'ENUM_VALUE_ADDED');
    expect(added).toMatchObject({ level: 'dangerous', path: 'MeasureStatus.VOIDED' });
    expect([...added!.subgraphs].sort()).toEqual(['bank', 'commerce', 'realestate', 'social-insurance', 'vehicle']);
  });

  it('fails with composition\'s own message when the files do not compose', async () => {
    edit(dir, 'bank.graphql', 'type Person @key(fields: "idNumber") {\n  idNumber: IdNumber!', 'type Person @key(fields: "idNumber") {\n  idNumber: Int!');
    const { code, stdout } = await run(['--dir', dir]);
    expect(stdout).toContain('composition FAILED');
    expect(stdout).toContain('Type of field "Person.idNumber" is incompatible across subgraphs: it has type "Int!" in subgraph "bank"');
    expect(code).toBe(1);
  });

  it('holds the candidate against the supergraph --against names, once npm run compose has rewritten the committed one', async () => {
    const older = join(dir, 'older.graphql');
    cpSync(join(dir, 'supergraph.graphql'), older);
    edit(dir, 'vehicle.graphql', PLATE_NUMBER, '');
    const composed = composeCandidate(dir);
    if (!composed.ok) throw new Error(composed.messages.join('\n'));
    writeFileSync(join(dir, 'supergraph.graphql'), composed.supergraphSdl);

    expect((await checkSchema({ dir, operations: [] })).changes).toEqual([]);
    expect((await checkSchema({ dir, against: older, operations: [] })).changes.map((c) => c.path)).toEqual(['Vehicle.plateNumber']);
    expect((await run(['--dir', dir, '--against', join(dir, 'missing.graphql')])).code).toBe(2);
  });
});

describe('schema check with an audit log', () => {
  let dir: string;
  let auditDir: string;
  beforeAll(async () => {
    dir = schemasCopy();
    auditDir = mkdtempSync(join(tmpdir(), 'schema-check-audit-'));
    const db = await openDatabase({ url: `pglite://${encodeURI(auditDir)}` });
    const log = await AuditLog.open(db);
    await log.append(auditInput({ requestId: 'r1', operationName: 'Dossier', operationHash: operationHash(DOSSIER), fields: ['Query.case', 'Vehicle.plateNumber'] }));
    await log.append(auditInput({ requestId: 'r2', operationName: 'Dossier', operationHash: operationHash(DOSSIER), fields: ['Query.case'] }));
    await log.append(auditInput({ requestId: 'r3', operationName: 'Plates', operationHash: operationHash('query Plates { x }'), fields: ['Query.person', 'Vehicle.plateNumber', 'Person.__typename'] }));
    await log.append(auditInput({ requestId: 'r4', operationName: 'Dossier', operationHash: operationHash('query Dossier { y }'), fields: ['Query.person'] }));
    await db.close();
  });
  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
    rmSync(auditDir, { recursive: true, force: true });
  });

  it('knows a recorded operation by its text hash, names unknown ones, and passes while the fields they reached remain', async () => {
    const { code, stdout } = await run(['--dir', dir, '--audit-db', auditDir]);
    expect(stdout).toContain('audit log: 3 distinct operations in 4 requests, 1 of them a text checked above');
    expect(stdout).toMatch(/under a documented name with another text: Dossier \(hash [0-9a-f]{12}, 1 request\)/);
    expect(stdout).toMatch(/unknown names: Plates \(hash [0-9a-f]{12}, 1 request\)/);
    expect(code).toBe(0);
  });

  it('fails every recorded operation whose requests reached a field the candidate removes', async () => {
    edit(dir, 'vehicle.graphql', PLATE_NUMBER, '');
    const { code, stdout } = await run(['--dir', dir, '--audit-db', auditDir]);
    expect(stdout).toMatch(/INVALID Dossier \(hash [0-9a-f]{12}, 2 requests\), the text of Dossier \(schemas\/courtOperations\.ts\): reached Vehicle\.plateNumber/);
    expect(stdout).toMatch(/INVALID Plates \(hash [0-9a-f]{12}, 1 request\): reached Vehicle\.plateNumber, which/);
    expect(code).toBe(1);
  });

  it('cannot run on an audit directory that does not exist', async () => {
    const { code, stderr } = await run(['--dir', dir, '--audit-db', join(auditDir, 'nothing-here')]);
    expect(stderr).toContain('No PGlite database at');
    expect(code).toBe(2);
  });
});
