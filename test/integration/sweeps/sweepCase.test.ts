/**
 * A sweep's case searches through the real stack: jobs sent with the sweep in one transaction,
 * run by a worker that searches through the gateway with the court's sweep credential, each
 * search recorded with what it found (checked against the graph's own dossier), its agencies and
 * its audit record (purpose SWEEP, in the officer's name); an agency that fails is retried for
 * its part only; a case closed since the sweep began is given up with its reason.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { JWK } from 'jose';
import { DEV_AUDIENCE, DEV_ISSUER } from '../../../gateway/auth/devIssuer';
import { type JobHandler, type JobQueue, openJobQueue } from '../../../lib/jobs/jobQueue';
import { createLogger } from '../../../lib/log/logger';
import { startSweep } from '../../../lib/sweeps/startSweep';
import { SweepStore } from '../../../lib/sweeps/sweepStore';
import { DOSSIER } from '../../../schemas/courtOperations';
import { checkMoney } from '../../../schemas/identifiers/money';
import { GatewaySearch } from '../../../workers/sweep/gatewaySearch';
import { SweepCredential } from '../../../workers/sweep/sweepCredential';
import { SWEEP_CASE_QUEUE, type SweepCaseJob } from '../../../lib/sweeps/sweepJobs';
import { sweepCaseHandler } from '../../../workers/sweep/sweepCaseJob';
import { postInCase } from '../../support/courtRequest';
import { REPO_ROOT } from '../../support/repoRoot';
import { eventually } from '../../support/eventually';
import { useStack } from '../../support/stack';

const stack = useStack({ persons: 200 });
const COURT = '浙0106';
const OFFICER = '浙0106-007';

describe('sweep case searches through the gateway', () => {
  let store: SweepStore;
  let jobs: JobQueue;
  let search: GatewaySearch;
  let prefix: string;
  let schema: string;
  const credential = new SweepCredential({
    privateJwk: JSON.parse(readFileSync(join(REPO_ROOT, 'gateway/auth/dev/dev-private.jwk.json'), 'utf8')) as JWK,
    issuer: DEV_ISSUER,
    audience: DEV_AUDIENCE,
  });

  beforeEach(async () => {
    const { database, gateway } = stack();
    prefix = `t${randomBytes(5).toString('hex')}_`;
    schema = `jobs_${randomBytes(5).toString('hex')}`;
    store = await SweepStore.open(database, { tablePrefix: prefix });
    jobs = await openJobQueue(database, { logger: createLogger({ level: 'silent' }), schema, maintenanceIntervalSeconds: 1 });
    // Retries at once: the test decides what each attempt meets, not the clock.
    await jobs.defineQueue({ ...SWEEP_CASE_QUEUE, retryDelaySeconds: 0, retryBackoff: false });
    search = new GatewaySearch({ gatewayUrl: gateway.url });
  });
  afterEach(async () => {
    await jobs.stop({ graceful: true, timeoutMs: 10_000 });
    await search.close();
    const { database } = stack();
    await database.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    for (const table of ['case_searches', 'sweep_cases', 'sweeps']) await database.query(`DROP TABLE IF EXISTS "${prefix}${table}"`);
  });

  /** Starts a sweep of these cases as the court's officer (the sweep, its cases and their jobs in one transaction). */
  async function sweepOf(caseNumbers: string[]): Promise<string> {
    const started = await startSweep({ database: stack().database, store, jobs }, { court: COURT, officer: OFFICER, requestId: randomUUID(), purpose: 'SWEEP', caseNumbers });
    if (!('sweep' in started)) throw new Error(started.refusal.message);
    return started.sweep.id;
  }

  const finished = (sweepId: string) =>
    eventually('the sweep to finish', async () => {
      const p = await store.progress(sweepId);
      return p.total !== null && p.done + p.failed === p.total ? p : null;
    });

  it('searches each case once, records what the graph holds with its audit record, and gives up a closed case with its reason', async () => {
    const { population, gateway, emulators } = stack();
    const { richDebtor, debtorWithNothing, closedCase } = population.scenarios;
    const sweepId = await sweepOf([richDebtor.caseNumber, debtorWithNothing.caseNumber, closedCase.caseNumber]);
    jobs.work<SweepCaseJob>(SWEEP_CASE_QUEUE.name, { concurrency: 2, pollingIntervalSeconds: 0.5 }, sweepCaseHandler({ database: stack().database, store, search, credential }));

    expect(await finished(sweepId)).toMatchObject({ total: 3, done: 2, failed: 1, queued: 0, agenciesFailing: [] });
    // Each case searched once: one vehicle registry call per searched case (its debtors in one batch), none for the closed one.
    const vehicleCalls = emulators.vehicle!.calls.map((c) => c.path);
    const closed = await store.sweepCase(sweepId, closedCase.caseNumber);
    expect(closed).toMatchObject({ state: 'FAILED', reason: expect.stringContaining('FORBIDDEN') });

    // What the search recorded is what the graph shows the officer: the dossier, summed.
    const [rich] = await store.searchesOf(richDebtor.caseNumber);
    const dossier = await postInCase<any>(gateway.url, population, richDebtor.caseNumber, DOSSIER, { case: richDebtor.caseNumber });
    const debtors = dossier.data.case.debtors as { bankAccounts: { balance: string }[]; vehicles: unknown[]; realEstate?: unknown[] }[];
    const accounts = debtors.flatMap((d) => d.bankAccounts);
    const fen = (v: string) => (checkMoney(v) as { value: number }).value;
    expect(rich).toMatchObject({ sweepId, court: COURT, purpose: 'SWEEP', debtors: 2, agenciesFailed: [], agenciesAnswered: ['bank', 'commerce', 'realestate', 'social-insurance', 'vehicle'] });
    expect(rich!.assets.find((a) => a.kind === 'BANK_ACCOUNT')).toEqual({ kind: 'BANK_ACCOUNT', count: accounts.length, valueFen: accounts.reduce((sum, a) => sum + fen(a.balance), 0) });
    expect(rich!.assets.find((a) => a.kind === 'VEHICLE')?.count).toBe(debtors.reduce((n, d) => n + d.vehicles.length, 0));
    expect(await store.searchesOf(debtorWithNothing.caseNumber)).toEqual([expect.objectContaining({ assets: [], agenciesFailed: [] })]);

    // Audited like the officer's own search, with its purpose, under the id the search kept.
    const review = await gateway.audit.reviewOf(COURT);
    expect(review.find((r) => r.requestId === rich!.auditRequestId)).toMatchObject({ caseNumber: richDebtor.caseNumber, operationName: 'CaseSearch', outcome: 'ANSWERED', purpose: 'SWEEP', caller: { officer: OFFICER } });
    expect(vehicleCalls).toHaveLength(2);
  });

  it('retries an agency that failed for its part only, and keeps both searches', async () => {
    const { population, emulators } = stack();
    const { richDebtor } = population.scenarios;
    const vehicle = emulators.vehicle!;
    const real = sweepCaseHandler({ database: stack().database, store, search, credential });
    // The first attempt meets the vehicle registry failing; the retry finds it healed.
    const handler: JobHandler<SweepCaseJob> = async (job) => {
      vehicle.setFaults({ mode: job.attempt === 1 ? 'error500' : 'none' });
      for (const e of Object.values(emulators)) e.resetCalls();
      await real(job);
    };
    const sweepId = await sweepOf([richDebtor.caseNumber]);
    const callsPerAttempt: Record<string, number>[] = [];
    jobs.work<SweepCaseJob>(SWEEP_CASE_QUEUE.name, { concurrency: 1, pollingIntervalSeconds: 0.5 }, async (job) => {
      try {
        await handler(job);
      } finally {
        callsPerAttempt.push(Object.fromEntries(Object.entries(emulators).map(([name, e]) => [name, e.calls.length])));
      }
    });

    expect(await finished(sweepId)).toMatchObject({ total: 1, done: 1, failed: 0 });
    const [retry, first] = await store.searchesOf(richDebtor.caseNumber);
    expect(first).toMatchObject({ agenciesFailed: ['vehicle'], agenciesAnswered: ['bank', 'commerce', 'realestate', 'social-insurance'] });
    expect(retry).toMatchObject({ agenciesFailed: [], agenciesAnswered: ['vehicle'], assets: [expect.objectContaining({ kind: 'VEHICLE' })] });
    expect(retry!.auditRequestId).not.toBe(first!.auditRequestId);
    // The retry asked the vehicle registry and no other agency (the court case system for the case binding aside).
    expect(callsPerAttempt).toHaveLength(2);
    const asked = Object.entries(callsPerAttempt[1]!).filter(([name, n]) => n > 0 && name !== 'court').map(([name]) => name);
    expect(asked).toEqual(['vehicle']);
  });
});
