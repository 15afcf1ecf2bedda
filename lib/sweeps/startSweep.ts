import { randomUUID } from 'node:crypto';
import type { SearchPurpose } from '../audit/searchPurpose';
import type { Database } from '../db/database';
import type { JobQueue } from '../jobs/jobQueue';
import { SWEEP_CASE_QUEUE, type SweepCaseJob } from './sweepJobs';
import type { Sweep, SweepStore } from './sweepStore';

/** At most this many cases in one sweep (a court's new cases of a few weeks; a province's day is ~2,500). */
export const MAX_SWEEP_CASES = 10_000;

export interface StartSweepRequest {
  court: string;
  /** Who starts it: its searches run in this officer's name. */
  officer: string;
  /** The court's id for this start: the same id returns the same sweep. */
  requestId: string;
  purpose: SearchPurpose;
  caseNumbers: readonly string[];
}

export type SweepRefusalCode = 'SELECTION_REQUIRED' | 'TOO_MANY_CASES' | 'REQUEST_ID_REUSED';

export type StartSweepResult = { sweep: Sweep; created: boolean } | { refusal: { code: SweepRefusalCode; message: string } };

export interface StartSweepOptions {
  /** @default the wall clock */
  now?: () => Date;
  /** @default MAX_SWEEP_CASES */
  maxCases?: number;
}

/**
 * Starts a sweep of a court's cases: the sweep, its cases and one search job per case, in one
 * transaction, so a sweep is never recorded without its jobs nor a job sent for a sweep that
 * is not. The same court and request id return the sweep it started, sending nothing again; the
 * same request id for other cases is refused.
 */
export async function startSweep(
  deps: { database: Database; store: SweepStore; jobs: JobQueue },
  request: StartSweepRequest,
  options: StartSweepOptions = {},
): Promise<StartSweepResult> {
  const maxCases = options.maxCases ?? MAX_SWEEP_CASES;
  const caseNumbers = [...new Set(request.caseNumbers)];
  if (caseNumbers.length === 0) return refusal('SELECTION_REQUIRED', 'A sweep needs at least one case.');
  if (caseNumbers.length > maxCases) {
    return refusal('TOO_MANY_CASES', `A sweep takes at most ${maxCases} cases; ${caseNumbers.length} were given. Split them over several sweeps.`);
  }
  const selection = { kind: 'cases' as const, caseNumbers };
  return deps.database.transaction(async (tx) => {
    const { sweep, created } = await deps.store.createSweep(tx, {
      id: randomUUID(),
      court: request.court,
      officer: request.officer,
      requestId: request.requestId,
      purpose: request.purpose,
      selection,
      total: null,
      createdAt: (options.now ?? (() => new Date()))(),
    });
    if (!created) {
      if (!sameSelection(sweep, selection.caseNumbers, request.purpose)) {
        return refusal('REQUEST_ID_REUSED', `Request id ${request.requestId} already started sweep ${sweep.id} of other cases; use a new id for a new sweep.`);
      }
      return { sweep, created };
    }
    const added = await deps.store.addCases(tx, sweep.id, caseNumbers, true);
    for (const caseNumber of added) {
      await deps.jobs.send<SweepCaseJob>(SWEEP_CASE_QUEUE.name, { sweepId: sweep.id, caseNumber, court: request.court, officer: request.officer, purpose: request.purpose }, { tx });
    }
    return { sweep: { ...sweep, total: added.length }, created };
  });
}

function sameSelection(sweep: Sweep, caseNumbers: readonly string[], purpose: SearchPurpose): boolean {
  if (sweep.selection.kind !== 'cases' || sweep.purpose !== purpose) return false;
  const stored = new Set(sweep.selection.caseNumbers);
  return stored.size === caseNumbers.length && caseNumbers.every((n) => stored.has(n));
}

function refusal(code: SweepRefusalCode, message: string): StartSweepResult {
  return { refusal: { code, message } };
}
