/**
 * Checks of a court's act against the measure the book already holds: a request id used
 * again must carry the same request (idempotency), only the court and case that placed a
 * measure may act on it, and an act needs the measure in a status that allows it. Apart from
 * measureRules.ts, which checks a request on its own before anything is read.
 */
import {
  type Actor,
  type Deduction,
  type DeductionRequest,
  type Measure,
  MeasureError,
  type MeasureRequest,
} from './measureTypes';

/** The stored measure for a repeated request id, if the request is the same one. */
export function sameRequest(stored: Measure, input: MeasureRequest): Measure {
  const same =
    stored.assetKind === input.assetKind &&
    stored.assetKey === input.assetKey &&
    stored.caseNumber === input.caseNumber &&
    stored.courtCode === input.courtCode &&
    stored.documentNumber === input.documentNumber &&
    stored.kind === input.kind &&
    stored.amountFen === (input.amountFen ?? null) &&
    stored.partyKey === (input.partyKey ?? null);
  if (!same) {
    throw new MeasureError('REQUEST_ID_REUSED', `Request id ${input.requestId} was already used for a different request (measure ${stored.id}).`, {
      measureId: stored.id,
    });
  }
  return stored;
}

export function sameDeduction(stored: Deduction, input: DeductionRequest): Deduction {
  if (stored.measureId !== input.measureId || stored.amountFen !== input.amountFen || stored.caseNumber !== input.caseNumber) {
    throw new MeasureError('REQUEST_ID_REUSED', `Request id ${input.requestId} was already used for a different deduction (${stored.id}).`, {
      deductionId: stored.id,
    });
  }
  return stored;
}

export function checkActor(measure: Measure, by: Actor | undefined): MeasureError | undefined {
  if (!by) return undefined;
  if (measure.courtCode !== by.courtCode || (by.caseNumber !== undefined && measure.caseNumber !== by.caseNumber)) {
    return new MeasureError('NOT_YOUR_MEASURE', `Measure ${measure.id} belongs to case ${measure.caseNumber} of court ${measure.courtCode}; only that case can renew or release it.`, {
      measureId: measure.id,
    });
  }
  return undefined;
}

export function notActive(measure: Measure, act: string): MeasureError {
  return new MeasureError('NOT_ACTIVE', `Measure ${measure.id} is ${measure.status}; it cannot be ${act}.`, {
    measureId: measure.id,
    status: measure.status,
  });
}
