/**
 * The error catalog (lib/errors/catalog.ts) is the contract with court software, so it is held
 * to three things: the README shows it as it is (its tables are generated: `npm run docs:errors`),
 * every code and reason the source raises is in it, and every entry of it is exercised by a test.
 * The control acts' refusals are also held to the SDL's `MeasureRefusalCode`, their other copy.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { Kind, parse } from 'graphql';
import { ACCESS_DENIED_REASONS } from '../../lib/errors/accessDenied';
import {
  type CodeDefinition,
  ERROR_CODES,
  GATEWAY_SIGNATURE_FAILURES,
  MEASURE_REFUSAL_CODES,
  QUERY_LIMITS,
  UNAUTHENTICATED_REASONS,
} from '../../lib/errors/catalog';
import { withCatalogTables } from '../../lib/errors/catalogDocs';
import { SUPERGRAPH_PATH } from '../../schemas/loadSubgraphSdl';
import { REPO_ROOT } from '../support/repoRoot';

const ROOT = REPO_ROOT;

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : path.endsWith('.ts') ? [path] : [];
  });
}

/** What ships and answers: the source an error can come from. */
const SOURCE = ['gateway', 'subgraphs', 'lib', 'schemas'].flatMap((dir) => filesUnder(join(ROOT, dir)));
const source = SOURCE.map((path) => ({ path: relative(ROOT, path), text: readFileSync(path, 'utf8') }));

/** Each capture of `pattern` in the source, with the file it is in. */
function raised(pattern: RegExp, skip: (path: string) => boolean = () => false): { path: string; value: string }[] {
  return source.filter((f) => !skip(f.path)).flatMap((f) => [...f.text.matchAll(pattern)].map((m) => ({ path: f.path, value: m[1]! })));
}

const codes = Object.entries(ERROR_CODES) as [string, CodeDefinition][];

describe('the error catalog', () => {
  it('is what the README shows (run `npm run docs:errors` after changing it)', () => {
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    expect(withCatalogTables(readme)).toBe(readme);
  });

  it("lists the control acts' refusals the SDL's MeasureRefusalCode has, with its descriptions", () => {
    const document = parse(readFileSync(SUPERGRAPH_PATH, 'utf8'));
    const enumType = document.definitions.find((d) => d.kind === Kind.ENUM_TYPE_DEFINITION && d.name.value === 'MeasureRefusalCode');
    if (enumType?.kind !== Kind.ENUM_TYPE_DEFINITION) throw new Error('the supergraph has no enum MeasureRefusalCode');
    const sdl = Object.fromEntries((enumType.values ?? []).map((v) => [v.name.value, v.description?.value.trim()]));
    expect(sdl).toEqual(MEASURE_REFUSAL_CODES);
  });

  it('derives the audit\'s "refused" from kind: the codes refused before an operation runs stay refusals', () => {
    const refusals = codes.filter(([, d]) => d.kind === 'refusal').map(([code]) => code);
    expect(refusals).toEqual(expect.arrayContaining(['UNAUTHENTICATED', 'FORBIDDEN', 'BAD_USER_INPUT', 'RATE_LIMITED', 'BAD_REQUEST', 'OPERATION_NOT_FOUND']));
    expect(refusals).not.toContain('AUDIT_UNAVAILABLE');
    expect(refusals).not.toContain('INTERNAL_SERVER_ERROR');
  });
});

describe('every code and reason the source raises is in the catalog', () => {
  const isCode = (value: string) => value in ERROR_CODES || value in MEASURE_REFUSAL_CODES;

  it('`code:` literals (bank codes in the network directory aside)', () => {
    const found = raised(/\bcode: '([A-Z][A-Z0-9_]*)'/g, (path) => path === 'subgraphs/bank/banks.ts' || path.startsWith('lib/errors/'));
    expect(found.length).toBeGreaterThan(0);
    expect(found.filter((f) => !isCode(f.value))).toEqual([]);
  });

  it('codes and reasons given to the factories', () => {
    const notIn = (catalog: object) => (f: { value: string }) => !(f.value in catalog);
    expect(raised(/\b(?:requestError|codedError|formattedError)\(\s*'([A-Z_]+)'/g).filter(notIn(ERROR_CODES))).toEqual([]);
    expect(raised(/\b(?:accessDenied|fieldDenied)\(\s*'([A-Z_]+)'/g).filter(notIn(ACCESS_DENIED_REASONS))).toEqual([]);
    expect(raised(/\bunauthenticated\(\s*'([A-Z_]+)'/g).filter(notIn(UNAUTHENTICATED_REASONS))).toEqual([]);
    expect(raised(/\blimitError\(\s*'([A-Z_]+)'/g).filter(notIn(QUERY_LIMITS))).toEqual([]);
    expect(raised(/\brefused\('([A-Z_]+)'/g, (path) => path !== 'gateway/readiness.ts').filter(notIn(UNAUTHENTICATED_REASONS))).toEqual([]);
    expect(raised(/\brefused\('([A-Z_]+)'/g, (path) => path !== 'lib/gatewaySignature.ts').filter(notIn(GATEWAY_SIGNATURE_FAILURES))).toEqual([]);
  });

  it('errors are built by the factories in lib/errors/, not by hand', () => {
    // inputErrors.ts rewrites an error Apollo Server already formatted (keeping its locations).
    const byHand = raised(/(extensions: \{ code\b)/g, (path) => path.startsWith('lib/errors/') || path === 'gateway/plugins/inputErrors.ts');
    expect(byHand.map((f) => f.path)).toEqual([]);
  });
});

describe('every catalog entry is exercised by a test', () => {
  const tests = filesUnder(join(ROOT, 'test'))
    .filter((path) => !path.endsWith('errorCatalog.test.ts'))
    .map((path) => readFileSync(path, 'utf8'))
    .join('\n');
  /** Quoted, as a test names an expected code or reason. */
  const named = (word: string) => new RegExp(`['"\`]${word}['"\`]`).test(tests);

  it.each(codes.map(([code]) => code))('%s', (code) => expect(named(code)).toBe(true));

  it.each(codes.flatMap(([code, d]) => Object.keys(d.reasons ?? {}).map((reason) => [code, reason])))('%s %s', (_code, reason) => {
    expect(named(reason)).toBe(true);
  });

  it.each(Object.keys(MEASURE_REFUSAL_CODES))('refusal.code %s', (code) => expect(named(code)).toBe(true));
});
