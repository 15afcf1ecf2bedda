import { randomUUID } from 'node:crypto';
import type { Database } from '../../lib/db/database';
import { REFUSAL_CODES } from '../../lib/errors/catalog';
import type { JobHandler } from '../../lib/jobs/jobQueue';
import { SWEEP_CASE_QUEUE, type SweepCaseJob } from '../../lib/sweeps/sweepJobs';
import type { SweepCaseState, SweepStore } from '../../lib/sweeps/sweepStore';
import { CASE_SEARCH_AGENCIES, type CaseSearchAgency } from '../../schemas/courtOperations';
import type { GatewaySearch } from './gatewaySearch';
import type { SweepCredential } from './sweepCredential';
import { summariseSearch, UnrecordableSearch } from './searchSummary';

/** Thrown after a search was recorded with agencies still failing, so the engine retries it later. */
export class AgenciesFailing extends Error {
  constructor(caseNumber: string, agencies: readonly string[]) {
    super(`Case ${caseNumber}: ${agencies.join(', ')} did not answer; retried later for those only.`);
    this.name = 'AgenciesFailing';
  }
}

export interface SweepCaseDeps {
  database: Database;
  store: SweepStore;
  search: GatewaySearch;
  credential: SweepCredential;
  /** @default the wall clock */
  now?: () => Date;
  /** Retries before a case is given up on (the queue's). @default SWEEP_CASE_QUEUE.retryLimit */
  retryLimit?: number;
}

/**
 * Runs one case search. A rerun of a case already recorded as DONE or FAILED (its worker died
 * after the commit, before the job was marked done) searches nothing again.
 */
export function sweepCaseHandler(deps: SweepCaseDeps): JobHandler<SweepCaseJob> {
  const now = deps.now ?? (() => new Date());
  const retryLimit = deps.retryLimit ?? SWEEP_CASE_QUEUE.retryLimit;
  return async (job) => {
    const { sweepId, caseNumber, court, officer, purpose } = job.data;
    const current = await deps.store.sweepCase(sweepId, caseNumber);
    if (current === null || current.state !== 'QUEUED') return;
    const last = job.attempt > retryLimit;
    // The first search asks every agency; a retry those still failing (one bank: the bank subgraph).
    const agencies: readonly CaseSearchAgency[] =
      current.agenciesFailing.length === 0 ? CASE_SEARCH_AGENCIES : CASE_SEARCH_AGENCIES.filter((a) => current.agenciesFailing.some((f) => f.split(':')[0] === a));
    const token = await deps.credential.token(court, officer, purpose);
    const { answer, auditRequestId } = await deps.search.search(token, caseNumber, agencies);
    let summary;
    try {
      summary = summariseSearch(answer, agencies);
    } catch (error) {
      if (!(error instanceof UnrecordableSearch)) throw error;
      // Refused (closed since the sweep began, no longer a debtor's case): no retry changes that.
      const refused = error.codes.length > 0 && error.codes.every((code) => REFUSAL_CODES.has(code));
      if (!refused && !last) throw error;
      await deps.database.transaction((tx) => deps.store.failCase(tx, sweepId, caseNumber, `${error.codes.join(', ')}: ${error.message} (request ${auditRequestId})`, now()));
      return;
    }
    const state: SweepCaseState = summary.agenciesFailed.length === 0 ? 'DONE' : last ? 'FAILED' : 'QUEUED';
    await deps.database.transaction((tx) =>
      deps.store.recordSearch(
        tx,
        {
          id: randomUUID(),
          sweepId,
          caseNumber,
          court,
          purpose,
          at: now(),
          debtors: summary.debtors,
          agenciesAnswered: summary.agenciesAnswered,
          agenciesFailed: summary.agenciesFailed,
          assets: summary.assets,
          auditRequestId,
        },
        state,
      ),
    );
    if (state === 'QUEUED') throw new AgenciesFailing(caseNumber, summary.agenciesFailed);
  };
}
