/**
 * The one agency registry (schemas/subgraphs.ts, stack/agencies.ts) against what reads it or
 * writes about it: every subgraph has its SDL file and its starters, and the README's "Run one
 * subgraph" table names each subgraph's port and exactly the variables its configuration reads.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { subgraphSdlPath } from '../../schemas/loadSubgraphSdl';
import { DEFAULT_SUBGRAPH_PORTS, SUBGRAPH_NAMES } from '../../schemas/subgraphs';
import { AGENCIES, SUBGRAPHS } from '../../stack/agencies';
import { SUBGRAPH_ENV } from '../../subgraphs/shared/subgraphConfig';
import { REPO_ROOT } from '../support/repoRoot';

const README = readFileSync(join(REPO_ROOT, 'README.md'), 'utf8');

/** The README's section under `## <title>`, up to the next section of that level. */
function section(title: string): string {
  const start = README.indexOf(`\n## ${title}\n`);
  expect(start).toBeGreaterThan(-1);
  const end = README.indexOf('\n## ', start + 1);
  return README.slice(start, end === -1 ? undefined : end);
}

/** The environment variables a piece of README text names in backticks. */
const variablesIn = (text: string) => new Set([...text.matchAll(/`([A-Z][A-Z0-9_]+)`/g)].map((m) => m[1]!));

describe('the subgraph registry', () => {
  it('gives every subgraph an SDL file, a starter and a configuration; every other one is an agency with emulators', () => {
    for (const name of SUBGRAPH_NAMES) {
      expect(existsSync(subgraphSdlPath(name))).toBe(true);
      expect(SUBGRAPHS[name]).toBeDefined();
    }
    expect(Object.keys(SUBGRAPHS)).toEqual(SUBGRAPH_NAMES);
    expect(Object.keys(AGENCIES)).toEqual(SUBGRAPH_NAMES.filter((name) => name !== 'audit'));
    const emulators = Object.values(AGENCIES).flatMap((agency) => Object.keys(agency.emulators));
    expect(new Set(emulators).size).toBe(emulators.length);
    expect(emulators[0]).toBe('court');
  });

  it('the audit asks the agencies by the very variables their own subgraphs read', () => {
    const agencies = new Set(Object.values(AGENCIES).flatMap((agency) => agency.subgraph.variables));
    const ownToAudit = SUBGRAPHS.audit.variables.filter((variable) => !agencies.has(variable));
    expect(ownToAudit).toEqual(['DATABASE_URL', 'AUDIT_DB']);
  });

  it("the README's \"Run one subgraph\" lists each subgraph's port and exactly the variables it reads", () => {
    const text = section('Run one subgraph');
    const rows = new Map([...text.matchAll(/^\| `([a-z-]+)` \| (\d+) \| (.*) \|$/gm)].map((m) => [m[1]!, { port: Number(m[2]), variables: variablesIn(m[3]!) }]));
    expect([...rows.keys()]).toEqual(SUBGRAPH_NAMES);
    for (const name of SUBGRAPH_NAMES) {
      expect({ name, port: rows.get(name)!.port }).toEqual({ name, port: DEFAULT_SUBGRAPH_PORTS[name] });
      expect({ name, variables: [...rows.get(name)!.variables].sort() }).toEqual({ name, variables: [...SUBGRAPHS[name].variables].sort() });
    }
    const shared = variablesIn(text.slice(text.indexOf('Every subgraph also reads')));
    for (const variable of Object.keys(SUBGRAPH_ENV)) expect({ variable, listed: shared.has(variable) }).toEqual({ variable, listed: true });
  });

  it('the README states the range of the default ports', () => {
    const ports = Object.values(DEFAULT_SUBGRAPH_PORTS);
    expect(section('Two commands')).toContain(`Subgraphs listen on ${Math.min(...ports)}–${Math.max(...ports)} as written in the`);
  });
});
