import type { SearchPurpose } from '../audit/searchPurpose';
import type { QueueDefinition } from '../jobs/jobQueue';

/**
 * The sweep's jobs, as both sides know them: whoever starts a sweep sends them (in the
 * transaction that records it), the sweep workers run them (workers/sweep/).
 */

/** One job per case of a sweep: search its debtors through the gateway and record what was found. */
export interface SweepCaseJob {
  sweepId: string;
  caseNumber: string;
  court: string;
  /** In whose name the search runs: the officer who started the sweep (or the case's, for a follow-up). */
  officer: string;
  purpose: SearchPurpose;
}

/**
 * The queue of case searches. A search with agencies failing is recorded, then retried with
 * backoff for those agencies only; after the last retry the case is FAILED with what it has.
 * A worker that dies mid-search frees its job after `expireInSeconds`, longer than the longest
 * search the gateway lets through (its agencies' time limits).
 */
export const SWEEP_CASE_QUEUE = {
  name: 'sweep-case',
  policy: 'standard',
  retryLimit: 6,
  retryDelaySeconds: 30,
  retryBackoff: true,
  expireInSeconds: 600,
} as const satisfies QueueDefinition;
