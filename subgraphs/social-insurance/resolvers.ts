import type { GraphQLResolveInfo } from 'graphql';
import type { Fen } from '../../schemas/identifiers';
import type { CompanyRef, PersonRef } from '../shared/entityRefs';
import type { AgencyMeasure } from '../shared/measures/controlClient';
import { controlMeasureFields, measureSummaryFields } from '../shared/measures/measureFields';
import type { GraphQLResolverMap } from '../shared/resolverMap';
import type { HousingFundAccount, InsuredRecord, PensionPayment } from './types';
import type { SocialInsuranceContext } from './context';
import { mutations, WITHHOLDING_ID_PREFIX } from './mutations';
import { selectsField } from './selectsField';

/** A SocialInsurance value: the bureau's record plus the fund centre's answer, already under way. */
interface SocialInsuranceParent {
  record: InsuredRecord;
  housingFund: Promise<HousingFundAccount | null> | null;
}

interface PensionParent {
  monthlyFen: Fen;
  payments: PensionPayment[];
}

export const resolvers: GraphQLResolverMap<SocialInsuranceContext> = {
  Person: {
    __resolveReference: (ref: PersonRef): PersonRef => ({ idNumber: ref.idNumber }),
    socialInsurance: async (person: PersonRef, _args: unknown, { loaders }: SocialInsuranceContext, info: GraphQLResolveInfo): Promise<SocialInsuranceParent | null> => {
      // Ask the fund centre in the same tick as the bureau, so N persons cost ceil(N / 50)
      // fund-centre calls however the bureau's batches come back.
      const housingFund = selectsField(info, 'housingFund') ? loaders.housingFund.load(person.idNumber) : null;
      // Its failure belongs to the housingFund field, which may never be resolved (no record).
      housingFund?.catch(() => undefined);
      const record = await loaders.insured.load(person.idNumber);
      return record && { record, housingFund };
    },
    incomeWithholdings: (person: PersonRef, _args: unknown, { loaders }: SocialInsuranceContext) => loaders.withholdingsOfPerson.load(person.idNumber),
  },
  IncomeWithholding: {
    ...controlMeasureFields(WITHHOLDING_ID_PREFIX),
    person: (m: AgencyMeasure): PersonRef => ({ idNumber: m.assetKey }),
    monthlyAmount: (m: AgencyMeasure) => m.amountFen,
  },
  EnforcementCase: {
    __resolveReference: (ref: { caseNumber: string }) => ref,
    incomeWithholdings: ({ caseNumber }: { caseNumber: string }, _args: unknown, { loaders }: SocialInsuranceContext) => loaders.measuresOfCase.load(caseNumber),
  },
  CaseProgress: {
    __resolveReference: (ref: { caseNumber: string }) => ref,
    incomeMeasures: ({ caseNumber }: { caseNumber: string }, _args: unknown, { loaders }: SocialInsuranceContext) => loaders.measuresOfCase.load(caseNumber),
  },
  MeasureSummary: measureSummaryFields,
  Mutation: mutations,
  ControlMeasure: {
    __resolveType: () => 'IncomeWithholding',
  },
  Company: {
    __resolveReference: (ref: CompanyRef): CompanyRef => ({ creditCode: ref.creditCode }),
  },
  SocialInsurance: {
    status: ({ record }: SocialInsuranceParent) => record.status,
    employer: ({ record }: SocialInsuranceParent): CompanyRef | null =>
      record.employerCreditCode === null ? null : { creditCode: record.employerCreditCode },
    contributionBase: ({ record }: SocialInsuranceParent) => record.contributionBaseFen,
    insuredSince: ({ record }: SocialInsuranceParent) => record.insuredSince,
    pension: ({ record }: SocialInsuranceParent): PensionParent | null =>
      record.status === 'RETIRED' ? { monthlyFen: record.monthlyPensionFen, payments: record.pensionPayments } : null,
    housingFund: ({ record, housingFund }: SocialInsuranceParent, _args: unknown, { loaders }: SocialInsuranceContext) =>
      housingFund ?? loaders.housingFund.load(record.idNumber),
  },
  Pension: {
    monthlyAmount: (pension: PensionParent) => pension.monthlyFen,
    payments: (pension: PensionParent) => pension.payments.map((p) => ({ month: p.month, amount: p.amountFen })),
  },
  HousingFundAccount: {
    accountNumber: (account: HousingFundAccount) => account.accountNumber,
    balance: (account: HousingFundAccount) => account.balanceFen,
    monthlyDeposit: (account: HousingFundAccount) => account.monthlyDepositFen,
    status: (account: HousingFundAccount) => account.status,
  },
};
