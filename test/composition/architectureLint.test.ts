import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { REPO_ROOT } from '../support/repoRoot';

/**
 * The architecture lint (`npm run lint:deps`, .dependency-cruiser.cjs) fails on a bad import and
 * passes on good ones (issue 14). It runs the repo's own config, through the same CLI, against
 * small fixture trees under os.tmpdir() laid out like the repo (gateway/, subgraphs/, lib/,
 * schemas/, mocks/, test/, bin/), never against the real source folders. The bad tree holds one
 * bad import per rule; the good tree holds only the imports the rules allow.
 */
const ROOT = REPO_ROOT;
const CONFIG = join(ROOT, '.dependency-cruiser.cjs');
const CRUISER = join(ROOT, 'node_modules', 'dependency-cruiser');
const BIN: { depcruise: string; 'depcruise-fmt': string } = JSON.parse(readFileSync(join(CRUISER, 'package.json'), 'utf8')).bin;
const FOLDERS = ['gateway', 'subgraphs', 'lib', 'schemas', 'workers', 'mocks', 'stack', 'bin', 'test'];

type Files = Record<string, string>;
interface Violation {
  rule: { name: string };
  from: string;
  to: string;
  cycle?: { name: string; dependencyTypes: string[] }[];
}
interface Cruise {
  code: number;
  report: string;
  violations: Violation[];
  rules: string[];
  cruised: string[];
}

/** Files every fixture has: the repo's tsconfig (resolution as in the repo) and a fake npm package. */
const BASE: Files = {
  'tsconfig.json': readFileSync(join(ROOT, 'tsconfig.json'), 'utf8'),
  'node_modules/fake-pkg/package.json': JSON.stringify({ name: 'fake-pkg', version: '1.0.0', main: 'index.js' }),
  'node_modules/fake-pkg/index.js': 'exports.x = 1;\n',
  'node_modules/fake-dev-pkg/package.json': JSON.stringify({ name: 'fake-dev-pkg', version: '1.0.0', main: 'index.js' }),
  'node_modules/fake-dev-pkg/index.js': 'exports.y = 1;\n',
  'package.json': JSON.stringify({ name: 'fixture', private: true, dependencies: { 'fake-pkg': '1.0.0' }, devDependencies: { 'fake-dev-pkg': '1.0.0' } }),
};

/** Allowed by every rule; both trees start from these. */
const GOOD: Files = {
  'lib/db/database.ts': `import { createHash } from 'node:crypto';\nimport { x } from 'fake-pkg';\nexport const db = createHash('sha256').update(String(x));\n`,
  'lib/audit/auditReader.ts': `import { db } from '../db/database';\nexport type Entry = { at: string };\nexport const read = () => db;\n`,
  'schemas/identifiers/index.ts': `export const check = (s: string) => s.length > 0;\n`,
  'schemas/scalars/index.ts': `import { check } from '../identifiers';\nimport type { Entry } from '../../lib/audit/auditReader';\nexport const scalar = (e: Entry) => check(e.at);\n`,
  'gateway/context.ts': `import type { Entry } from '../lib/audit/auditReader';\nimport { scalar } from '../schemas/scalars';\nexport type Ctx = { entry: Entry };\nexport const ok = scalar;\n`,
  'gateway/createGateway.ts': `import { ok, type Ctx } from './context';\nimport { read } from '../lib/audit/auditReader';\nexport const gateway = (c: Ctx) => [ok(c.entry), read()];\n`,
  'subgraphs/audit/index.ts': `import { read } from '../../lib/audit/auditReader';\nimport { check } from '../../schemas/identifiers';\nexport const audit = () => [read(), check('x')];\n`,
  'subgraphs/audit/context.ts': `export interface AuditContext { officer: string }\n`,
  'subgraphs/audit/types.ts': `export type { Entry } from '../../lib/audit/auditReader';\n`,
  'subgraphs/audit/generated/resolvers.ts': `import { x } from 'fake-pkg';\nimport type { AuditContext } from '../context';\nimport type { Entry } from '../types';\nexport type Resolvers = { x: typeof x; context: AuditContext; entry: Entry };\n`,
  'mocks/tsa/server.ts': `import { db } from '../../lib/db/database';\nimport { check } from '../../schemas/identifiers';\nexport const tsa = () => [db, check('x')];\n`,
  'stack/startStack.ts': `import { gateway } from '../gateway/createGateway';\nimport { audit } from '../subgraphs/audit';\nimport { tsa } from '../mocks/tsa/server';\nexport const stack = [gateway, audit, tsa];\n`,
  'bin/start.ts': `import { stack } from '../stack/startStack';\nexport const start = stack;\n`,
  'workers/sweep/sweepWorker.ts': `import { read } from '../../lib/audit/auditReader';\nimport { check } from '../../schemas/identifiers';\nexport const work = () => [read(), check('x')];\n`,
  'test/support/stack.ts': `import { stack } from '../../stack/startStack';\nimport { tsa } from '../../mocks/tsa/server';\nimport { y } from 'fake-dev-pkg';\nexport const harness = [stack, tsa, y];\n`,
};

/** One bad import per rule (and a type-only cycle next to a value cycle), with what each must report. */
const BAD: Files = {
  ...GOOD,
  // no-circular, type-only: a type cycle still ties the two modules.
  'gateway/audit/requestAudit.ts': `import type { Ctx } from '../context';\nexport type RequestAudit = { ctx: Ctx };\n`,
  'gateway/context.ts': `import type { Entry } from '../lib/audit/auditReader';\nimport type { RequestAudit } from './audit/requestAudit';\nimport { scalar } from '../schemas/scalars';\nexport type Ctx = { entry: Entry; audit?: RequestAudit };\nexport const ok = scalar;\n`,
  // no-circular, values.
  'subgraphs/bank/freezes.ts': `import { resolvers } from './resolvers';\nexport const freezes = () => resolvers;\n`,
  'subgraphs/bank/resolvers.ts': `import { freezes } from './freezes';\nexport const resolvers = { freezes };\n`,
  // subgraphs-not-to-gateway (type-only counts too).
  'subgraphs/audit/resolvers.ts': `import type { Ctx } from '../../gateway/context';\nexport const resolve = (c: Ctx) => c;\n`,
  // gateway-not-to-subgraphs
  'gateway/transport/subgraphTransport.ts': `import { audit } from '../../subgraphs/audit';\nexport const transport = audit;\n`,
  // mocks-not-to-gateway-or-subgraphs
  'mocks/tsa/tsaCertificates.ts': `import { gateway } from '../../gateway/createGateway';\nexport const certs = gateway;\n`,
  'mocks/bank/server.ts': `import { audit } from '../../subgraphs/audit';\nexport const bank = audit;\n`,
  // production-not-to-mocks-or-harnesses
  'gateway/audit/checkpointTimestamp.ts': `import { tsa } from '../../mocks/tsa/server';\nexport const stamp = tsa;\n`,
  'subgraphs/court/index.ts': `import { harness } from '../../test/support/stack';\nexport const court = harness;\n`,
  // mocks-not-to-harnesses
  'mocks/court/server.ts': `import { stack } from '../../stack/startStack';\nexport const court = stack;\n`,
  // lib-imports-only-lib
  'lib/log/maskIdentifiers.ts': `import { check } from '../../schemas/identifiers';\nexport const mask = check;\n`,
  // schemas-imports-only-schemas-or-lib
  'schemas/composeSupergraph.ts': `import type { Ctx } from '../gateway/context';\nexport const compose = (c: Ctx) => c;\n`,
  // generated-imports-only-context-and-types: another subgraph's types are not its own.
  'subgraphs/bank/generated/resolvers.ts': `import type { Entry } from '../../audit/types';\nexport type Resolvers = { entry: Entry };\n`,
  // shipped-not-to-dev-dependencies: the image installs no development dependency.
  'bin/token.ts': `import { y } from 'fake-dev-pkg';\nexport const token = y;\n`,
  // workers-meet-the-gateway-over-http
  'workers/sweep/caseSearch.ts': `import { gateway } from '../../gateway/createGateway';\nexport const search = gateway;\n`,
  // not-to-unresolvable
  'gateway/readiness.ts': `import { gone } from './movedAway';\nexport const ready = gone;\n`,
};

const EXPECTED_BAD: [rule: string, from: string, to: string][] = [
  ['gateway-not-to-subgraphs', 'gateway/transport/subgraphTransport.ts', 'subgraphs/audit/index.ts'],
  ['generated-imports-only-context-and-types', 'subgraphs/bank/generated/resolvers.ts', 'subgraphs/audit/types.ts'],
  ['lib-imports-only-lib', 'lib/log/maskIdentifiers.ts', 'schemas/identifiers/index.ts'],
  ['mocks-not-to-gateway-or-subgraphs', 'mocks/bank/server.ts', 'subgraphs/audit/index.ts'],
  ['mocks-not-to-gateway-or-subgraphs', 'mocks/tsa/tsaCertificates.ts', 'gateway/createGateway.ts'],
  ['mocks-not-to-harnesses', 'mocks/court/server.ts', 'stack/startStack.ts'],
  // A cycle is reported once, from whichever member the cruise met first: named here by its members.
  ['no-circular', 'gateway/audit/requestAudit.ts', 'gateway/context.ts'],
  ['no-circular', 'subgraphs/bank/freezes.ts', 'subgraphs/bank/resolvers.ts'],
  ['not-to-unresolvable', 'gateway/readiness.ts', './movedAway'],
  ['production-not-to-mocks-or-harnesses', 'gateway/audit/checkpointTimestamp.ts', 'mocks/tsa/server.ts'],
  ['production-not-to-mocks-or-harnesses', 'subgraphs/court/index.ts', 'test/support/stack.ts'],
  ['schemas-imports-only-schemas-or-lib', 'schemas/composeSupergraph.ts', 'gateway/context.ts'],
  ['shipped-not-to-dev-dependencies', 'bin/token.ts', 'node_modules/fake-dev-pkg/index.js'],
  ['subgraphs-not-to-gateway', 'subgraphs/audit/resolvers.ts', 'gateway/context.ts'],
  ['workers-meet-the-gateway-over-http', 'workers/sweep/caseSearch.ts', 'gateway/createGateway.ts'],
];

function writeTree(name: string, files: Files): string {
  const dir = mkdtempSync(join(tmpdir(), `cag-arch-lint-${name}-`));
  for (const [path, text] of Object.entries({ ...BASE, ...files })) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  return dir;
}

/** `node <bin> args` in `dir`: its exit code and output, whatever the code. */
function run(dir: string, bin: string, args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [join(CRUISER, bin), ...args], { cwd: dir, maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : -1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

/**
 * The lint as `npm run lint:deps` runs it (same CLI, same config) in `dir`. The cruise is written
 * as JSON (what the assertions read), then put through the default `err` reporter, whose exit
 * code is the one `npm test` sees (the JSON reporter always exits 0).
 */
async function cruise(dir: string): Promise<Cruise> {
  const json = join(dir, 'cruise.json');
  const cruised = await run(dir, BIN.depcruise, [...FOLDERS, '--config', CONFIG, '--output-type', 'json', '--output-to', json]);
  if (cruised.code !== 0) throw new Error(`depcruise failed (${cruised.code}): ${cruised.stderr}`);
  const reported = await run(dir, BIN['depcruise-fmt'], ['--exit-code', json]);
  const result = JSON.parse(readFileSync(json, 'utf8'));
  return {
    code: reported.code,
    report: reported.stdout,
    violations: result.summary.violations,
    rules: result.summary.ruleSetUsed.forbidden.map((r: { name: string }) => r.name),
    cruised: result.modules.map((m: { source: string }) => m.source),
  };
}

/** Each violation as [rule, from, to]; a cycle as [rule, ...its members in order of name]. */
const triples = (vs: Violation[]) =>
  vs
    .map((v) => (v.cycle ? [v.rule.name, ...cycleOf(v)] : [v.rule.name, v.from, v.to]))
    .sort((a, b) => a.join().localeCompare(b.join()));
const cycleOf = (v: Violation) => [...new Set([v.from, ...(v.cycle ?? []).map((step) => step.name)])].sort();

describe('the architecture lint (.dependency-cruiser.cjs, npm run lint:deps)', () => {
  let good: Cruise;
  let bad: Cruise;
  const dirs: string[] = [];

  beforeAll(async () => {
    dirs.push(writeTree('good', GOOD), writeTree('bad', BAD));
    [good, bad] = await Promise.all(dirs.map(cruise)) as [Cruise, Cruise];
  });
  afterAll(() => dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

  it('passes a tree with only allowed imports (lib, schemas, npm and Node built-ins below; harnesses above)', () => {
    expect(good.violations).toEqual([]);
    expect(good.code).toBe(0);
    expect(good.report).toContain('no dependency violations found');
    // Every fixture file was read, and the npm import resolved into node_modules (no rule fired on it).
    for (const path of Object.keys(GOOD)) expect(good.cruised).toContain(path);
    expect(good.cruised).toContain('node_modules/fake-pkg/index.js');
  });

  it('fails a tree with one bad import per rule, and names each rule at its import', () => {
    expect(triples(bad.violations)).toEqual(EXPECTED_BAD);
    // What `npm test` sees: a failing exit code and each violation named in the report (the
    // reporter may name a cycle once per edge, so the code counts at least one per violation).
    expect(bad.code).toBeGreaterThanOrEqual(EXPECTED_BAD.length);
    for (const [rule, from, to] of EXPECTED_BAD) {
      const named = rule === 'no-circular' ? [from, to].map((m) => `error ${rule}: ${m} → `) : [`error ${rule}: ${from} → ${to}`];
      expect(named.some((line) => bad.report.includes(line))).toBe(true);
    }
  });

  it('has a bad import in the fixture for every rule in the config', () => {
    expect([...new Set(bad.violations.map((v) => v.rule.name))].sort()).toEqual([...bad.rules].sort());
  });

  it('counts a type-only cycle as a cycle', () => {
    const typeCycle = bad.violations.find((v) => v.rule.name === 'no-circular' && v.from.startsWith('gateway/'));
    expect(typeCycle && cycleOf(typeCycle)).toEqual(['gateway/audit/requestAudit.ts', 'gateway/context.ts']);
    expect(typeCycle?.cycle?.every((step) => step.dependencyTypes.includes('type-only'))).toBe(true);
  });
});
