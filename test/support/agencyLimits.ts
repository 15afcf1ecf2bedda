/**
 * The per-call time budget subgraph tests give their agencies: a guard against a hang, not a
 * speed budget (on a loaded 2-core machine a batch of a few hundred debtors can take seconds).
 * A test of the timeout itself sets a short limit on the one agency that never answers.
 */
export const PATIENT_AGENCY_TIMEOUT_MS = 60_000;
