import { TERM_LIMIT_DAYS } from '../../../schemas/rules/termLimits';
import type { SignedRequest } from '../signedRequest';
import type { AgencyMeasure, AgencyRefusal, AssetKind, ControlActor } from './controlClient';
import { fieldDenied } from '../../../lib/errors/accessDenied';
import { codedError } from '../../../lib/errors/codedError';
import type { MeasureRefusalCode } from '../../../lib/errors/catalog';

/** A refusal in the schema's terms (type MeasureRefusal); `limit` is integer fen for the Money scalar. */
export interface MeasureRefusal {
  code: MeasureRefusalCode;
  message: string;
  limit?: number;
  limitDays?: number;
}

/**
 * The court and case a control request acts for, as the gateway signed them. The schema's
 * `@policy(case_bound)` makes the gateway state both; a request without them never gets here
 * through the gateway, so this is a guard against misconfiguration, not an input check.
 */
export function controlActor(signed: SignedRequest | undefined): ControlActor {
  if (!signed?.court || !signed.caseNumber) {
    throw fieldDenied('CASE_REQUIRED', 'A control measure needs the court and case of the request (x-case-number).');
  }
  return { courtCode: signed.court, caseNumber: signed.caseNumber };
}

/**
 * The checks every control request passes before an agency is bothered: a document number
 * and a term within the law's limit for the asset kind (refusals as data); a term that is not
 * a positive whole number of days is malformed input.
 */
export function checkMeasureRequest(assetKind: AssetKind, input: { documentNumber: string; termDays: number }): MeasureRefusal | undefined {
  if (!Number.isSafeInteger(input.termDays) || input.termDays < 1) {
    throw codedError('BAD_USER_INPUT', `termDays must be a positive whole number of days, not ${input.termDays}.`, { field: 'termDays' });
  }
  if (input.documentNumber.trim() === '') {
    return { code: 'DOCUMENT_NUMBER_REQUIRED', message: 'A measure needs the ruling / assistance notice number it rests on.' };
  }
  const limitDays = TERM_LIMIT_DAYS[assetKind];
  if (input.termDays > limitDays) {
    return {
      code: 'TERM_TOO_LONG',
      message: `This measure may last at most ${limitDays} days; ${input.termDays} were asked.`,
      limitDays,
    };
  }
  return undefined;
}

/** An agency's refusal in the schema's terms, carrying the limit it names. */
export function refusalOf(refused: AgencyRefusal): MeasureRefusal {
  const { limitDays, availableFen } = refused.details;
  return {
    code: refused.code,
    message: refused.message,
    ...(typeof limitDays === 'number' ? { limitDays } : {}),
    ...(typeof availableFen === 'number' ? { limit: availableFen } : {}),
  };
}

/** Measure ids a court sees carry the agency: `realestate:12`, `bank:NCB:7`. */
export function globalMeasureId(prefix: string, id: string): string {
  return `${prefix}:${id}`;
}

/** The agency's own id inside a global measure id, or undefined if it is not one of this agency's. */
export function localMeasureId(prefix: string, globalId: string): string | undefined {
  const local = globalId.startsWith(`${prefix}:`) ? globalId.slice(prefix.length + 1) : '';
  return /^[0-9]{1,18}$/.test(local) ? local : undefined;
}

/** A refusal for an id that names no measure of this agency. */
export function unknownMeasure(globalId: string): MeasureRefusal {
  return { code: 'MEASURE_NOT_FOUND', message: `There is no measure ${globalId} at this agency.` };
}

/** Resolvers of the ControlMeasure fields, for an agency's concrete measure type. */
export function controlMeasureFields(prefix: string) {
  return {
    id: (m: AgencyMeasure) => globalMeasureId(prefix, m.id),
    case: (m: AgencyMeasure) => ({ caseNumber: m.caseNumber }),
    priorMeasures: (m: AgencyMeasure) => m.prior.map((p) => ({ ...p, amountControlled: p.amountControlledFen })),
  };
}

/** The kinds the schema's MeasureAssetKind names: the network's OTHER_PROPERTY_RIGHT is recorded by no agency here. */
type SummaryAssetKind = Exclude<AssetKind, 'OTHER_PROPERTY_RIGHT'>;

function summaryAssetKind(m: AgencyMeasure): SummaryAssetKind {
  // Said here, naming the measure; left to the enum's serializer, the error would not say which.
  if (m.assetKind === 'OTHER_PROPERTY_RIGHT') {
    throw new Error(`Measure ${m.id} acts on OTHER_PROPERTY_RIGHT, an asset kind MeasureAssetKind does not name.`);
  }
  return m.assetKind;
}

/**
 * Resolvers of MeasureSummary (the applicant's view): the kind of asset and the amounts,
 * never the asset itself.
 */
export const measureSummaryFields = {
  assetKind: summaryAssetKind,
  amount: (m: AgencyMeasure) => (m.assetKind === 'DEPOSIT' ? m.amountControlledFen : m.assetKind === 'INCOME' ? m.amountFen : null),
  amountDeducted: (m: AgencyMeasure) => (m.assetKind === 'DEPOSIT' ? m.amountDeductedFen : null),
};
