/** The measure book's shapes: what a court asks for, and what the agency records. */

/** `INCOME`: wages or pension paid through social insurance, withheld month by month. */
export const ASSET_KINDS = ['DEPOSIT', 'VEHICLE', 'REAL_ESTATE', 'EQUITY', 'OTHER_PROPERTY_RIGHT', 'INCOME'] as const;
export type AssetKind = (typeof ASSET_KINDS)[number];

export const MEASURE_KINDS = ['FREEZE', 'SEAL', 'SEIZE', 'WITHHOLD'] as const;
export type MeasureKind = (typeof MEASURE_KINDS)[number];

/**
 * - `SUBMITTED`: served on the agency, which has not answered yet.
 * - `ACTIVE`: controls the asset, for its term.
 * - `WAITING`: on the waiting list (轮候) with a queue position; no term of its own yet.
 * - `RETURNED`: the agency returned the request (回退) with its reason; it never took effect.
 * - `RELEASED`: released by its court (while active, waiting or not yet answered).
 * - `LAPSED`: its term ran out unrenewed, or it was waiting when the asset was disposed of.
 * - `DISPOSED`: it was active when the asset was wholly disposed of (e.g. funds deducted).
 */
export const MEASURE_STATUSES = ['SUBMITTED', 'ACTIVE', 'WAITING', 'RETURNED', 'RELEASED', 'LAPSED', 'DISPOSED'] as const;
export type MeasureStatus = (typeof MEASURE_STATUSES)[number];

/** What can happen to a measure: its statuses, plus renewals and deductions, which keep it ACTIVE. */
export const MEASURE_EVENT_KINDS = [...MEASURE_STATUSES, 'RENEWED', 'DEDUCTED'] as const;
export type MeasureEventKind = (typeof MEASURE_EVENT_KINDS)[number];

export interface MeasureRequest {
  /** The client's idempotency key: the same key never makes a second measure. */
  requestId: string;
  assetKind: AssetKind;
  /** The agency's own key for the asset (account number, VIN, unit number, …). */
  assetKey: string;
  caseNumber: string;
  courtCode: string;
  /** The legal document: ruling and assistance notice number. Required. */
  documentNumber: string;
  kind: MeasureKind;
  /** The term asked for, in whole days, within the asset kind's limit. */
  termDays: number;
  /**
   * Integer fen. Deposits: the freeze limit asked (absent: the whole balance). Income: the
   * amount withheld each month. Other kinds: absent.
   */
  amountFen?: number;
  /**
   * The debtor (被执行人) whose asset the measure controls, by ID number or credit code, as the
   * court's notice names them: it lets the court side tell whose asset a measure is on without
   * asking the agency about the asset. Absent in requests older than the field.
   */
  partyKey?: string;
}

/** Another court's measure the agency found on the asset when it answered. */
export interface PriorMeasure {
  measureId: string;
  courtCode: string;
  caseNumber: string;
  documentNumber: string;
  status: 'ACTIVE' | 'WAITING';
  amountControlledFen: number | null;
  queuePosition: number | null;
  termEnd: string | null;
}

/** One stored measure. Times are ISO strings in UTC to the millisecond. */
export interface Measure {
  id: string;
  requestId: string;
  assetKind: AssetKind;
  assetKey: string;
  caseNumber: string;
  courtCode: string;
  documentNumber: string;
  kind: MeasureKind;
  /** As asked (see MeasureRequest.amountFen); null if not asked. */
  amountFen: number | null;
  /** The debtor the notice names (see MeasureRequest.partyKey); null for measures older than the field. */
  partyKey: string | null;
  status: MeasureStatus;
  /** 1-based order of service among the asset's WAITING measures; null unless WAITING. */
  queuePosition: number | null;
  /** When the agency was served with the request (orders the waiting list). */
  servedAt: string;
  /** When the agency answers a SUBMITTED request; null once answered. */
  dueAt: string | null;
  /** Days of the current term (as asked, or as last renewed). */
  termDays: number;
  /** Null until ACTIVE. */
  termStart: string | null;
  /** Null until ACTIVE. */
  termEnd: string | null;
  /** When it stopped controlling (or waiting for) the asset; else null. */
  endedAt: string | null;
  renewals: number;
  /** The agency's reason, when RETURNED. */
  returnReason: string | null;
  /** Deposits: what the freeze actually holds (never more than the balance); null otherwise or until ACTIVE. */
  amountControlledFen: number | null;
  /** Deposits: what has been deducted to the court so far. */
  amountDeductedFen: number;
  /** Other measures on the asset when the agency answered (empty until answered). */
  prior: PriorMeasure[];
}

export interface MeasureEvent {
  measureId: string;
  kind: MeasureEventKind;
  at: string;
  /** e.g. the return reason, a renewal's new term, a deducted amount. */
  note: string | null;
}

/** Who acts on a measure: only the court (and case) that placed it may renew or release it. */
export interface Actor {
  courtCode: string;
  caseNumber?: string;
  /** The ruling or notice behind the act, kept in the measure's history. */
  documentNumber?: string;
}

/** A measure that changed, and the waiting measure that became ACTIVE because of it. */
export interface MeasureChange {
  measure: Measure;
  promoted: Measure | null;
}

/** The result of a disposal: the measure that was ACTIVE, and the waiting ones that lapsed. */
export interface Disposal {
  disposed: Measure;
  lapsed: Measure[];
}

/** One transfer of frozen funds to the court's case account. */
export interface Deduction {
  id: string;
  requestId: string;
  measureId: string;
  caseNumber: string;
  courtCode: string;
  assetKey: string;
  amountFen: number;
  at: string;
  /** When the court's case account confirmed the receipt; null while the transfer is pending. */
  transferredAt: string | null;
}

export interface DeductionRequest {
  requestId: string;
  measureId: string;
  /** The case deducting: only funds frozen for this case can be deducted. */
  caseNumber: string;
  courtCode: string;
  amountFen: number;
}

export interface DeductionResult {
  deduction: Deduction;
  measure: Measure;
  /** Waiting measures that lapsed because the deduction took all the frozen funds. */
  lapsed: Measure[];
}

/**
 * The agency's look at an asset when it answers a request (or promotes a waiting one):
 * return the request with a reason, or say how much of the asset a freeze can hold
 * (deposits: the available balance; omit for assets without an amount).
 */
export type Assessment = { returned: string } | { controllableFen?: number };

export type MeasureErrorCode =
  | 'INVALID_INPUT'
  | 'DOCUMENT_NUMBER_REQUIRED'
  | 'TERM_TOO_LONG'
  | 'REQUEST_ID_REUSED'
  | 'MEASURE_NOT_FOUND'
  | 'NOT_YOUR_MEASURE'
  | 'NOT_ACTIVE'
  | 'TERM_EXPIRED'
  | 'NOTHING_ACTIVE'
  | 'NOT_FROZEN_BY_CASE'
  | 'INSUFFICIENT_FROZEN';

/** A refusal a court can branch on: `code` is stable, `details` carries e.g. `limitDays`. */
export class MeasureError extends Error {
  override readonly name = 'MeasureError';
  constructor(
    readonly code: MeasureErrorCode,
    message: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
  }
}
