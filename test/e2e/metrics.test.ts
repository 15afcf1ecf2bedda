/**
 * /metrics through the whole stack: real traffic (a dossier, a refused request, a control act,
 * a citizen's access log), then every server's exposition is checked by `promtool check
 * metrics`, the series the traffic should have moved have moved, and no identifier of the
 * seeded population appears anywhere in any exposition.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { issueDevToken } from '../../gateway/auth/devIssuer';
import { SUBGRAPH_NAMES } from '../../schemas/subgraphs';
import { caseVariables, DOSSIER, SEAL_REAL_ESTATE, sealVariables } from '../../schemas/courtOperations';
import { postInCase } from '../support/courtRequest';
import { type Exposition, labelValues, promtoolAvailable, promtoolCheck, sampleSum, scrapeMetrics } from '../support/metricsScrape';
import { postGraphQL } from '../support/postGraphQL';
import { REPO_ROOT } from '../support/repoRoot';
import { useStack } from '../support/stack';

const stack = useStack();

/** The gateway's and every subgraph's exposition, by server name. */
async function scrapeAll(): Promise<Record<string, Exposition>> {
  const { gateway, subgraphs } = stack();
  const entries = await Promise.all([
    scrapeMetrics(gateway.url).then((e) => ['gateway', e] as const),
    ...SUBGRAPH_NAMES.map((name) => scrapeMetrics(subgraphs[name].url).then((e) => [name, e] as const)),
  ]);
  return Object.fromEntries(entries);
}

describe('/metrics of the gateway and of every subgraph, after real traffic', () => {
  let before: Record<string, Exposition>;
  let after: Record<string, Exposition>;
  const moved = (server: string, name: string, labels: Record<string, string> = {}) => sampleSum(after[server]!, name, labels) - sampleSum(before[server]!, name, labels);

  beforeAll(async () => {
    const { gateway, population } = stack();
    before = await scrapeAll();
    const rich = population.scenarios.richDebtor;
    const dossier = await postInCase(gateway.url, population, rich.caseNumber, DOSSIER, caseVariables(rich.caseNumber));
    expect(dossier.errors).toBeUndefined();
    // Refused before anything is asked: no token.
    const refused = await postGraphQL(gateway.url, DOSSIER, caseVariables(rich.caseNumber));
    expect(refused.status).toBe(401);
    const house = population.scenarios.contestedHouse;
    const sealed = await postInCase(
      gateway.url,
      population,
      house.caseNumbers[0],
      SEAL_REAL_ESTATE,
      sealVariables({ requestId: 'metrics-1', unitNumber: house.unitNumber, documentNumber: `${house.caseNumbers[0]}之一`, termDays: 1095 }),
      { roles: ['control'] },
    );
    expect(sealed.data?.sealRealEstate?.refusal).toBeNull();
    const citizen = await issueDevToken({ kind: 'citizen', idNumber: rich.idNumber });
    const log = await postGraphQL(gateway.url, '{ accessLog { requestId } }', undefined, { authorization: `Bearer ${citizen}` });
    expect(log.errors).toBeUndefined();
    const courts = await postInCase(gateway.url, population, rich.caseNumber, '{ courts { code } }');
    expect(courts.errors).toBeUndefined();
    after = await scrapeAll();
  });

  it('every exposition passes promtool check metrics', () => {
    if (!promtoolAvailable()) {
      // CI installs it (.ci/run: Debian's package prometheus); a developer without it is told, not failed.
      if (process.env.CI === 'true') throw new Error('promtool is missing: install the Debian package prometheus (.ci/run does).');
      console.warn('Skipping promtool check metrics: promtool is not installed (apt-get install prometheus).');
      return;
    }
    for (const [server, exposition] of Object.entries(after)) {
      expect({ server, ...promtoolCheck(exposition.text) }).toEqual({ server, status: 0, output: '' });
    }
  });

  it("the gateway counted the dossier, the refusal and the seal by their documented names, and each subgraph's calls", () => {
    expect(moved('gateway', 'cag_gateway_requests_total', { operation: 'Dossier', type: 'query', outcome: 'ok' })).toBe(1);
    expect(moved('gateway', 'cag_gateway_requests_total', { operation: 'Dossier', type: 'query', outcome: 'refused' })).toBe(1);
    expect(moved('gateway', 'cag_gateway_requests_total', { operation: 'Seal', type: 'mutation', outcome: 'ok' })).toBe(1);
    expect(moved('gateway', 'cag_gateway_requests_total', { operation: 'none', type: 'query', outcome: 'ok' })).toBe(2);
    expect(moved('gateway', 'cag_gateway_request_duration_seconds_count', { operation: 'Dossier' })).toBe(2);
    expect(moved('gateway', 'cag_gateway_errors_total', { code: 'UNAUTHENTICATED' })).toBe(1);
    for (const subgraph of SUBGRAPH_NAMES) {
      expect({ subgraph, moved: moved('gateway', 'cag_gateway_subgraph_calls_total', { subgraph, outcome: 'ok' }) > 0 }).toEqual({ subgraph, moved: true });
    }
    expect(moved('gateway', 'cag_audit_batch_records_sum', { outcome: 'ok' })).toBeGreaterThanOrEqual(5);
    expect(moved('gateway', 'cag_audit_write_duration_seconds_count', { outcome: 'ok' })).toBeGreaterThan(0);
  });

  it('each subgraph counted its agency calls, the bank subgraph per bank, with breakers and pools', () => {
    for (const subgraph of SUBGRAPH_NAMES) {
      expect({ subgraph, moved: moved(subgraph, 'cag_agency_calls_total', { outcome: 'ok' }) > 0 }).toEqual({ subgraph, moved: true });
    }
    for (const provider of ['NCB', 'HZCB', 'RCC', 'WEB']) {
      expect({ provider, moved: moved('bank', 'cag_agency_calls_total', { agency: 'bank', provider, call: 'read', outcome: 'ok' }) > 0 }).toEqual({ provider, moved: true });
      expect({ provider, closed: sampleSum(after.bank!, 'cag_agency_breaker_state', { provider, state: 'closed' }) }).toEqual({ provider, closed: 1 });
      expect({ provider, max: sampleSum(after.bank!, 'cag_agency_pool_max_connections', { provider }) }).toEqual({ provider, max: 16 });
    }
    expect(moved('realestate', 'cag_control_acts_total', { act: 'submit', kind: 'SEAL', status: 'ACTIVE' })).toBe(1);
  });

  it('carries no identifier of the seeded population in any label or anywhere else', () => {
    const { population } = stack();
    const identifiers = [
      ...population.persons.map((p) => p.idNumber),
      ...population.companies.map((c) => c.creditCode),
      ...population.bankAccounts.map((a) => a.accountNumber),
      ...population.vehicles.map((v) => v.vin),
      ...population.realEstate.map((u) => u.unitNumber),
      ...population.cases.map((c) => c.caseNumber),
    ];
    for (const [server, exposition] of Object.entries(after)) {
      const values = [...labelValues(exposition)];
      const inLabels = identifiers.filter((id) => values.some((value) => value.includes(id)));
      expect({ server, inLabels }).toEqual({ server, inLabels: [] });
    }
    // The very identifiers of the traffic, searched in the whole text (names, help, values).
    const { richDebtor, contestedHouse } = population.scenarios;
    const used = [richDebtor.idNumber, richDebtor.caseNumber, richDebtor.companyCreditCode, contestedHouse.unitNumber, ...contestedHouse.caseNumbers, 'metrics-1'];
    for (const [server, exposition] of Object.entries(after)) {
      expect({ server, found: used.filter((id) => exposition.text.includes(id)) }).toEqual({ server, found: [] });
    }
  });

  it("the README's Metrics table names exactly the series the servers expose (beside the process's own)", () => {
    const readme = readFileSync(join(REPO_ROOT, 'README.md'), 'utf8');
    const section = readme.slice(readme.indexOf('## Metrics'), readme.indexOf('\n## ', readme.indexOf('## Metrics') + 1));
    const documented = new Set([...section.matchAll(/^\| `(cag_[a-z_]+)` \|/gm)].map((m) => m[1]!));
    const exposed = new Set(
      Object.values(after).flatMap((e) => [...e.declared].filter((name) => !name.startsWith('cag_process_') && !name.startsWith('cag_nodejs_'))),
    );
    expect([...documented].sort()).toEqual([...exposed].sort());
  });
});
