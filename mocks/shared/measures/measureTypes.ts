/** The measure book's shapes: what a court asks for, and what the agency records. */

export const ASSET_KINDS = ['DEPOSIT', 'VEHICLE', 'REAL_ESTATE', 'EQUITY', 'OTHER_PROPERTY_RIGHT'] as const;
export type AssetKind = (typeof ASSET_KINDS)[number];

export const MEASURE_KINDS = ['FREEZE', 'SEAL', 'SEIZE'] as const;
export type MeasureKind = (typeof MEASURE_KINDS)[number];

/**
 * - `ACTIVE`: controls the asset, for its term.
 * - `WAITING`: on the waiting list (轮候) with a queue position; no term of its own yet.
 * - `RELEASED`: released by the court while active.
 * - `LAPSED`: its term ran out unrenewed, or it was waiting when the asset was disposed of.
 * - `DISPOSED`: it was active when the asset was wholly disposed of (e.g. funds deducted).
 */
export const MEASURE_STATUSES = ['ACTIVE', 'WAITING', 'RELEASED', 'LAPSED', 'DISPOSED'] as const;
export type MeasureStatus = (typeof MEASURE_STATUSES)[number];

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
  /** Deposits only: the freeze limit asked, integer fen. */
  amountFen?: number;
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
  /** Deposits only; otherwise null. */
  amountFen: number | null;
  status: MeasureStatus;
  /** 1-based order of service among the asset's WAITING measures; null unless WAITING. */
  queuePosition: number | null;
  /** When the agency was served with the request (orders the waiting list). */
  servedAt: string;
  /** Days of the current term (as asked, or as last renewed). */
  termDays: number;
  /** Null while WAITING. */
  termStart: string | null;
  /** Null while WAITING. */
  termEnd: string | null;
  /** When it stopped controlling the asset (released, lapsed, disposed); else null. */
  endedAt: string | null;
  renewals: number;
}

/** A measure that changed, and the waiting measure that became ACTIVE because of it. */
export interface MeasureChange {
  measure: Measure;
  promoted: Measure | null;
}

export type MeasureErrorCode =
  | 'INVALID_INPUT'
  | 'DOCUMENT_NUMBER_REQUIRED'
  | 'TERM_TOO_LONG'
  | 'REQUEST_ID_REUSED'
  | 'MEASURE_NOT_FOUND'
  | 'NOT_ACTIVE'
  | 'TERM_EXPIRED'
  | 'NOTHING_ACTIVE';

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
