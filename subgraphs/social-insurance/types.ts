import type { Fen } from '../../schemas/identifiers';

/** The bureau's insured records and incomes and the fund centre's accounts in domain terms (what wire.ts translates their answers into). */

export type InsuranceStatus = 'INSURED' | 'SUSPENDED' | 'RETIRED';
export type HousingFundStatus = 'NORMAL' | 'SEALED' | 'CLOSED';

export interface PensionPayment {
  /** YYYY-MM */
  month: string;
  amountFen: Fen;
}

export interface InsuredRecord {
  idNumber: string;
  status: InsuranceStatus;
  employerCreditCode: string | null;
  contributionBaseFen: Fen;
  /** ISO date. */
  insuredSince: string;
  monthlyPensionFen: Fen;
  pensionPayments: PensionPayment[];
}

/**
 * Income the bureau can withhold from: a retiree's pension, or an insured person's wage on
 * the contribution base it records (see mocks/social-insurance/withholding.ts).
 */
export type IncomeKind = 'WAGES' | 'PENSION';

/** The facts a withholding is checked against: the income, and the local subsistence minimum. */
export interface WithholdableIncome {
  idNumber: string;
  incomeKind: IncomeKind;
  monthlyIncomeFen: Fen;
  /** The local subsistence minimum (最低生活保障标准) a month, where the person lives. */
  subsistenceMinimumFen: Fen;
}

export interface HousingFundAccount {
  idNumber: string;
  accountNumber: string;
  balanceFen: Fen;
  monthlyDepositFen: Fen;
  status: HousingFundStatus;
}

/** A SocialInsurance value: the bureau's record plus the fund centre's answer, already under way. */
export interface SocialInsuranceParent {
  record: InsuredRecord;
  housingFund: Promise<HousingFundAccount | null> | null;
}

/** A retired person's pension as its fields read it: the monthly amount and the payments listed. */
export interface PensionParent {
  monthlyFen: Fen;
  payments: PensionPayment[];
}

/**
 * The shared values this subgraph's resolvers return for the federated parties and cases and
 * for the control-measure definitions; re-exported so the generated resolver types map its
 * whole schema from this one module (codegen.ts).
 */
export type { CaseRef, CompanyRef, PersonRef } from '../shared/entityRefs';
export type { AgencyMeasure } from '../shared/measures/controlClient';
export type { MeasureRefusal } from '../shared/measures/measureFields';
export type { MeasurePayload } from '../shared/measures/measureMutations';
