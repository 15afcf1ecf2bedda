import { TERM_LIMIT_DAYS } from '../../../schemas/rules/termLimits';
import { ASSET_KINDS, type AssetKind, MEASURE_KINDS, MeasureError, type MeasureRequest } from './measureTypes';

export const DAY_MS = 86_400_000;

/** Refuses a term that is not a whole number of days from 1 up to the kind's limit. */
export function checkTerm(assetKind: AssetKind, termDays: number): void {
  if (!Number.isSafeInteger(termDays) || termDays < 1) {
    throw new MeasureError('INVALID_INPUT', `termDays must be a positive whole number of days, not ${termDays}.`, { field: 'termDays' });
  }
  const limitDays = TERM_LIMIT_DAYS[assetKind];
  if (termDays > limitDays) {
    throw new MeasureError('TERM_TOO_LONG', `A ${assetKind} measure may last at most ${limitDays} days; ${termDays} were asked.`, {
      assetKind,
      limitDays,
      termDays,
    });
  }
}

function requireText(value: unknown, field: string): void {
  if (typeof value !== 'string' || value.trim() === '') {
    throw new MeasureError('INVALID_INPUT', `${field} is required.`, { field });
  }
}

/** Checks a request before anything is stored; throws a `MeasureError`. */
export function checkRequest(input: MeasureRequest): void {
  requireText(input.requestId, 'requestId');
  requireText(input.assetKey, 'assetKey');
  requireText(input.caseNumber, 'caseNumber');
  requireText(input.courtCode, 'courtCode');
  if (!(ASSET_KINDS as readonly string[]).includes(input.assetKind)) {
    throw new MeasureError('INVALID_INPUT', `Unknown asset kind "${input.assetKind}".`, { field: 'assetKind' });
  }
  if (!(MEASURE_KINDS as readonly string[]).includes(input.kind)) {
    throw new MeasureError('INVALID_INPUT', `Unknown measure kind "${input.kind}".`, { field: 'kind' });
  }
  if (typeof input.documentNumber !== 'string' || input.documentNumber.trim() === '') {
    throw new MeasureError('DOCUMENT_NUMBER_REQUIRED', 'A measure needs the legal document number (ruling / assistance notice).');
  }
  checkTerm(input.assetKind, input.termDays);
  if (input.amountFen !== undefined && input.amountFen !== null) {
    if (input.assetKind !== 'DEPOSIT' && input.assetKind !== 'INCOME') {
      throw new MeasureError('INVALID_INPUT', 'amountFen is only for deposit freezes and income withholding.', { field: 'amountFen' });
    }
    if (!Number.isSafeInteger(input.amountFen) || input.amountFen < 1) {
      throw new MeasureError('INVALID_INPUT', 'amountFen must be a positive whole number of fen.', { field: 'amountFen' });
    }
  }
}

/** End of a term of `days` days starting at `start`. */
export function termEnd(start: Date, days: number): Date {
  return new Date(start.getTime() + days * DAY_MS);
}
