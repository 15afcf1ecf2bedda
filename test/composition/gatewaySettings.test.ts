/**
 * The README's "Gateway configuration" table is the one list of the gateway's settings (issue 15),
 * so it is held to the schemas that read them: one row for every variable their `.shape` names and
 * for the `SUBGRAPH_URL_<NAME>` pattern, none for anything else, and the defaults the code applies.
 */
import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { DEFAULT_CHECKPOINT_INTERVAL_MS } from '../../lib/audit/checkpoints/auditCheckpointer';
import { DATABASE_TIMEOUT_DEFAULTS, QUERY_TIMEOUT_MARGIN_MS } from '../../lib/db/databaseTimeouts';
import { SUBGRAPH_NAMES } from '../../schemas/subgraphs';
import { checkpointEnvSchema } from '../../gateway/audit/checkpointConfig';
import { authEnvSchema } from '../../gateway/auth/authConfig';
import { DEV_AUDIENCE, DEV_ISSUER, DEV_JWKS_PATH } from '../../gateway/auth/devIssuer';
import { gatewayEnvSchema, logLevelFromEnv, subgraphUrlVariable } from '../../gateway/config';
import { REPO_ROOT } from '../support/repoRoot';

const README = readFileSync(join(REPO_ROOT, 'README.md'), 'utf8');

/** The schemas loadGatewayConfig validates the environment with. */
const SCHEMAS = [gatewayEnvSchema, authEnvSchema, checkpointEnvSchema];

/** The per-subgraph URL overrides are read by name (subgraphUrlVariable), not by a schema key. */
const SUBGRAPH_URL_PATTERN = 'SUBGRAPH_URL_<NAME>';

/** The README's section under `## <title>`, up to the next section of that level. */
function section(title: string): string {
  const start = README.indexOf(`\n## ${title}\n`);
  if (start === -1) throw new Error(`the README has no section "## ${title}"`);
  const end = README.indexOf('\n## ', start + 1);
  return README.slice(start, end === -1 ? undefined : end);
}

const text = section('Gateway configuration');
/** The table's lines below its header: one per variable. */
const tableLines = text.split('\n').filter((line) => line.startsWith('| `'));
const ROW = /^\| `([A-Z][A-Z0-9_]*(?:<NAME>)?)` \| (.*?) \| .* \|$/;
/** The settings table's rows by variable, each with its Default cell. */
const rows = new Map(tableLines.flatMap((line) => {
  const m = ROW.exec(line);
  return m ? [[m[1]!, m[2]!] as const] : [];
}));

/** What the schemas read, plus the documented pattern. */
const read = new Set([...SCHEMAS.flatMap((schema) => Object.keys(schema.shape)), SUBGRAPH_URL_PATTERN]);

/** Defaults the code applies after validation, so no schema `.default()` states them. */
const APPLIED_DEFAULTS: Record<string, string> = {
  JWKS_PATH: relative(REPO_ROOT, DEV_JWKS_PATH),
  TOKEN_ISSUER: DEV_ISSUER,
  TOKEN_AUDIENCE: DEV_AUDIENCE,
  DATABASE_CONNECT_TIMEOUT_MS: String(DATABASE_TIMEOUT_DEFAULTS.connectTimeoutMs),
  DATABASE_STATEMENT_TIMEOUT_MS: String(DATABASE_TIMEOUT_DEFAULTS.statementTimeoutMs),
  DATABASE_QUERY_TIMEOUT_MS: String(QUERY_TIMEOUT_MARGIN_MS),
  DATABASE_IDLE_IN_TRANSACTION_TIMEOUT_MS: String(DATABASE_TIMEOUT_DEFAULTS.idleInTransactionTimeoutMs),
  AUDIT_CHECKPOINT_INTERVAL_MS: String(DEFAULT_CHECKPOINT_INTERVAL_MS),
  LOG_LEVEL: logLevelFromEnv({}),
};

/** The schemas' own defaults that are a single value (lists and switches are described in words). */
function schemaDefaults(): Record<string, string> {
  const found: Record<string, string> = {};
  for (const schema of SCHEMAS) {
    for (const [name, value] of Object.entries(schema.parse({}) as Record<string, unknown>)) {
      if (typeof value === 'number') found[name] = String(value);
      // Paths are resolved against the module; the README names them from the checkout's root.
      if (typeof value === 'string') found[name] = value.startsWith(REPO_ROOT) ? relative(REPO_ROOT, value) : value;
    }
  }
  return found;
}

describe("the README's gateway settings table", () => {
  it('is one table of Variable, Default and What it does, every line of it a row', () => {
    expect(text).toContain('\n| Variable | Default | What it does |\n|---|---|---|\n');
    // A malformed line would otherwise slip past the checks of names below.
    expect(tableLines.filter((line) => !ROW.test(line))).toEqual([]);
  });

  it('has a row for every variable the gateway reads', () => {
    expect([...read].filter((name) => !rows.has(name))).toEqual([]);
  });

  it('has no row for a variable the gateway does not read', () => {
    expect([...rows.keys()].filter((name) => !read.has(name))).toEqual([]);
  });

  it('names each variable once', () => {
    expect(rows.size).toBe(tableLines.length);
  });

  it('documents the subgraph URL pattern the gateway reads for every subgraph', () => {
    const prefix = SUBGRAPH_URL_PATTERN.replace('<NAME>', '');
    for (const name of SUBGRAPH_NAMES) expect(subgraphUrlVariable(name)).toMatch(new RegExp(`^${prefix}[A-Z0-9_]+$`));
    expect(rows.get(SUBGRAPH_URL_PATTERN)).toBeDefined();
  });

  it('states the defaults the code applies', () => {
    const expected = { ...schemaDefaults(), ...APPLIED_DEFAULTS };
    const misstated = Object.entries(expected)
      .filter(([name, value]) => !(rows.get(name) ?? '').includes(`\`${value}\``))
      .map(([name, value]) => ({ name, expected: value, stated: rows.get(name) }));
    expect(misstated).toEqual([]);
    // LOG_LEVEL's default follows NODE_ENV; the cell states both.
    expect(rows.get('LOG_LEVEL')).toContain(`\`${logLevelFromEnv({ NODE_ENV: 'test' })}\``);
  });
});
