import type { AgencyErrorCode } from './agencyError';

/** One agency (or one bank among several), as errors and metrics name it. */
export interface AgencyTarget {
  agency: string;
  /** The bank code, for one bank among several. */
  provider?: string;
}

/** One call of a subgraph to an agency, retries and backoff included. */
export interface AgencyCallEvent {
  /** `read`: an inquiry (retried after a transient failure); `control`: a control request, sent once. */
  call: 'read' | 'control';
  /** `ok`, the AgencyError's code, or `error` for a failure that is no AgencyError (a bug). */
  outcome: 'ok' | AgencyErrorCode | 'error';
  seconds: number;
}

/** A control act the agency answered, or could not (measures/controlClient.ts). */
export interface ControlActEvent {
  act: 'submit' | 'renew' | 'release' | 'deduct';
  /** The measure's kind (FREEZE, SEAL, SEIZE, WITHHOLD), or `none` when no measure was answered. */
  kind: string;
  /** The measure's status as answered (SUBMITTED, ACTIVE, WAITING, RETURNED, ...), `REFUSED`, or `FAILED`. */
  status: string;
}

/**
 * What watches a subgraph's agency traffic (its metrics: agencyMetrics.ts), told of every
 * call and control act with its agency. Nothing of the request (case, court, asset) is told.
 */
export interface AgencyObserver {
  called(target: AgencyTarget, call: AgencyCallEvent): void;
  acted(target: AgencyTarget, act: ControlActEvent): void;
}
