/**
 * The query plans of the documented court operations are built at start-up, without executing
 * anything, and the gateway finds them: the first court to send one does not wait for the
 * planner. This file is also the alarm for gateway/queryPlans/warmQueryPlans.ts, which copies
 * how ApolloGateway keys its plan cache (not a public API): if an upgrade changes the key, the
 * "finds the warmed plan" test fails here.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RunningGateway } from '../../../gateway/createGateway';
import { CASE_PROGRESS, CASE_SEARCH, caseVariables, COURT_OPERATIONS, DOSSIER, PERSONS_SWEEP, SEAL_REAL_ESTATE, sweepVariables } from '../../../schemas/courtOperations';
import { officerHeaders } from '../../support/courtRequest';
import { callCounts, useStack } from '../../support/stack';
import { startExtraGateway } from '../../support/extraGateway';
import { REPO_ROOT } from '../../support/repoRoot';

const stack = useStack({ persons: 100 });

interface Sent {
  ms: number;
  body: { data?: any; errors?: unknown[]; extensions?: { __queryPlanExperimental?: string } };
}

/** The Dossier as a court's software sends it, optionally asking gateway-js (development only) to show its plan. */
async function sendDossier(gateway: RunningGateway, options: { operationName?: string; showPlan?: boolean } = {}): Promise<Sent> {
  const { population: pop } = stack();
  const kase = pop.scenarios.richDebtor.caseNumber;
  const started = performance.now();
  const response = await fetch(gateway.url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(await officerHeaders(pop, kase)),
      ...(options.showPlan ? { 'apollo-query-plan-experimental': '1' } : {}),
    },
    body: JSON.stringify({ query: DOSSIER, variables: caseVariables(kase), ...(options.operationName ? { operationName: options.operationName } : {}) }),
  });
  const body = (await response.json()) as Sent['body'];
  return { ms: performance.now() - started, body };
}

describe('query plans warm at start-up', () => {
  it('plans every documented court operation of the court graph', () => {
    expect(stack().gateway.warmUp).toMatchObject({ warmed: ['Dossier', 'Sweep', 'CaseSearch', 'CaseProgress', 'Seal'], skipped: [] });
    expect(COURT_OPERATIONS).toEqual([DOSSIER, PERSONS_SWEEP, CASE_SEARCH, CASE_PROGRESS, SEAL_REAL_ESTATE]);
  });

  it('warms the Dossier and the Seal exactly as README.md prints them (a plan is found by the exact text)', () => {
    const readme = readFileSync(join(REPO_ROOT, 'README.md'), 'utf8');
    expect(readme).toContain(`\`\`\`graphql\n${DOSSIER}\n\`\`\``);
    expect(readme).toContain(`\`\`\`graphql\n${SEAL_REAL_ESTATE}\n\`\`\``);
  });

  describe('a fresh warm gateway and a fresh cold one', () => {
    let warm: RunningGateway;
    let cold: RunningGateway;

    beforeAll(async () => {
      // The subgraphs and agencies answer the Dossier once first, so neither gateway pays their first-call costs.
      expect((await sendDossier(stack().gateway)).body.errors).toBeUndefined();
      for (const e of Object.values(stack().emulators)) e.resetCalls();
      warm = await startExtraGateway(stack());
      cold = await startExtraGateway(stack(), { warmOperations: [] });
    });

    afterAll(async () => {
      await warm?.stop();
      await cold?.stop();
    });

    it('warming executes nothing: no agency called, nothing audited', async () => {
      expect(warm.warmUp.warmed).toHaveLength(COURT_OPERATIONS.length);
      expect(Object.values(callCounts(stack().emulators)).every((n) => n === 0)).toBe(true);
      await expect(warm.audit.verify()).resolves.toEqual({ ok: true, count: 0 });
      // Named operations are stored with and without their name: 5 operations, 10 keys.
      expect(warm.stats().queryPlans).toMatchObject({ stored: 10, size: 10, hits: 0, misses: 0 });
    });

    it('the gateway finds the warmed plan, with and without the operation name, and plans nothing itself', async () => {
      const named = await sendDossier(warm, { operationName: 'Dossier' });
      const unnamed = await sendDossier(warm);
      expect(named.body.errors).toBeUndefined();
      expect(unnamed.body).toEqual(named.body);
      const plans = warm.stats().queryPlans;
      if (plans.stored !== 10 || plans.misses !== 0) {
        throw new Error(
          'ApolloGateway did not find the warmed query plan: its plan-cache key is no longer what ' +
            'gateway/queryPlans/warmQueryPlans.ts#planStoreKey computes (check ApolloGateway#executor in @apollo/gateway).',
        );
      }
      expect(plans).toMatchObject({ hits: 2, misses: 0, stored: 10 });
    });

    it('the warmed plan is the plan the gateway would have built, and the answers are the same', async () => {
      const fromWarm = await sendDossier(warm, { showPlan: true });
      const fromCold = await sendDossier(cold, { showPlan: true });
      expect(fromWarm.body.extensions?.__queryPlanExperimental).toEqual(expect.stringContaining('Fetch(service: "court")'));
      expect(fromWarm.body.extensions?.__queryPlanExperimental).toEqual(fromCold.body.extensions?.__queryPlanExperimental);
      expect(fromWarm.body.data).toEqual(fromCold.body.data);
      expect(cold.stats().queryPlans).toMatchObject({ misses: 1, stored: 1 });
    });

    it('first request: cold plans (measured), warm does not', async () => {
      // Another text than the Dossier above, so both gateways meet it for the first time.
      const { population: pop } = stack();
      const kase = pop.scenarios.richDebtor.caseNumber;
      const headers = { 'content-type': 'application/json', ...(await officerHeaders(pop, kase)) };
      const sweep = async (gateway: RunningGateway) => {
        const started = performance.now();
        const response = await fetch(gateway.url, { method: 'POST', headers, body: JSON.stringify({ query: PERSONS_SWEEP, variables: sweepVariables([pop.scenarios.richDebtor.idNumber]) }) });
        const body = (await response.json()) as Sent['body'];
        expect(body.errors).toBeUndefined();
        return performance.now() - started;
      };
      const coldMisses = cold.stats().queryPlans.misses;
      const coldFirst = await sweep(cold);
      const coldSecond = await sweep(cold);
      const warmFirst = await sweep(warm);
      const warmSecond = await sweep(warm);
      expect(cold.stats().queryPlans.misses).toBe(coldMisses + 1);
      expect(warm.stats().queryPlans.misses).toBe(0);
      console.log(
        `First Sweep request: cold ${coldFirst.toFixed(0)} ms (then ${coldSecond.toFixed(0)} ms), warm ${warmFirst.toFixed(0)} ms (then ${warmSecond.toFixed(0)} ms); ` +
          `start-up warm-up of ${warm.warmUp.warmed.length} operations: ${warm.warmUp.ms.toFixed(0)} ms. ` +
          '(In one process the planner code is already compiled by earlier plans; a fresh process pays more.)',
      );
    });
  });

  it('skips, without failing, operations another supergraph cannot run', () => {
    const report = stack().gateway.warmQueryPlans(['query Nope { notAField }', 'not graphql', DOSSIER]);
    expect(report.warmed).toEqual(['Dossier']);
    expect(report.skipped).toEqual([
      { operation: 'Nope', reason: expect.stringContaining('notAField') },
      { operation: '(anonymous)', reason: expect.stringContaining('Syntax Error') },
    ]);
  });
});
