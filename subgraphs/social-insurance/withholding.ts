import { type Fen, formatFen } from '../../schemas/identifiers';
import { AgencyError } from '../shared/agencyError';
import type { MeasureRefusal } from '../shared/measures/measureFields';
import type { WithholdableIncome } from './types';
import { codedError } from '../../lib/errors/codedError';

/**
 * The law's rule on income withholding: what is withheld each month must leave the debtor the
 * local subsistence minimum, so at most the income less the minimum (nothing if the income
 * does not exceed it). Checked here before the bureau is bothered; the bureau checks it too.
 */
export function withholdingLimitFen(income: WithholdableIncome): Fen {
  return Math.max(0, income.monthlyIncomeFen - income.subsistenceMinimumFen);
}

/** A monthly amount is a positive number of fen; anything else is malformed input, not a refusal. */
export function checkMonthlyAmount(amountFen: Fen): void {
  if (!Number.isSafeInteger(amountFen) || amountFen < 1) {
    throw codedError('BAD_USER_INPUT', `monthlyAmount must be more than 0.00, not ${formatFen(amountFen)}.`, { field: 'monthlyAmount' });
  }
}

/** The refusal for an amount above the limit, or undefined if the amount may be withheld. */
export function livingAllowanceRefusal(income: WithholdableIncome, amountFen: Fen): MeasureRefusal | undefined {
  const limit = withholdingLimitFen(income);
  if (amountFen <= limit) return undefined;
  const what = income.incomeKind === 'PENSION' ? 'pension' : 'wage';
  return {
    code: 'EXCEEDS_LIVING_ALLOWANCE',
    message:
      `Withholding ${formatFen(amountFen)} a month would leave less than the local subsistence minimum of ` +
      `${formatFen(income.subsistenceMinimumFen)} out of a monthly ${what} of ${formatFen(income.monthlyIncomeFen)}; ` +
      `at most ${formatFen(limit)} may be withheld.`,
    limit,
  };
}

/**
 * The bureau's own refusals of a withholding (its admission check, beyond the network's common
 * codes) in the schema's terms; undefined for any other failure, which stays an agency error.
 */
export function bureauRefusal(error: unknown): MeasureRefusal | undefined {
  if (!(error instanceof AgencyError) || error.code !== 'AGENCY_REFUSED') return undefined;
  const said = error.said;
  const message = `The social insurance bureau refused the withholding: ${said?.message ?? said?.code}.`;
  switch (said?.code) {
    case 'EXCEEDS_LIVING_ALLOWANCE': {
      const limit = said.details?.limitFen;
      return { code: 'EXCEEDS_LIVING_ALLOWANCE', message, ...(typeof limit === 'number' && Number.isSafeInteger(limit) ? { limit } : {}) };
    }
    // An unknown person, or one the bureau pays nothing: there is no income to withhold.
    case 'ASSET_NOT_FOUND':
    case 'NO_INCOME':
      return { code: 'ASSET_NOT_FOUND', message };
    default:
      return undefined;
  }
}
