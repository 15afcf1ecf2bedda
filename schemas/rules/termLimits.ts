/**
 * Maximum term of one control measure (and of each renewal) per asset kind, in days: bank
 * deposits 1 year, movables (vehicles) 2 years, real estate / equity / other property rights
 * 3 years (CPL interpretation Art. 487 (2015)). Law, so both sides know it: agencies enforce
 * it, and subgraphs refuse a longer term before bothering an agency.
 */
export const TERM_LIMIT_DAYS = {
  DEPOSIT: 365,
  VEHICLE: 730,
  REAL_ESTATE: 1095,
  EQUITY: 1095,
  OTHER_PROPERTY_RIGHT: 1095,
  // Withholding wages or pension acts on a property right of the debtor (a claim to be
  // paid), so the 3-year limit of other property rights applies.
  INCOME: 1095,
} as const;

export type TermLimitedAssetKind = keyof typeof TERM_LIMIT_DAYS;
