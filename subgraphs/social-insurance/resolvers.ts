import { AgencyError } from '../shared/agencyError';
import { controlMeasureFields, globalMeasureId, measureSummaryFields } from '../shared/measures/measureFields';
import type { Resolvers } from './generated/resolvers';
import { SOCIAL_INSURANCE_AGENCY } from './client';
import { mutations, WITHHOLDING_ID_PREFIX } from './mutations';
import { selectsField } from './selectsField';

// Typed against the SDL (npm run codegen): parents are the domain values types.ts names.
export const resolvers: Resolvers = {
  Person: {
    __resolveReference: (ref) => ({ idNumber: ref.idNumber }),
    socialInsurance: async (person, _args, { loaders }, info) => {
      // Ask the fund centre in the same tick as the bureau, so N persons cost ceil(N / 50)
      // fund-centre calls however the bureau's batches come back.
      const housingFund = selectsField(info, 'housingFund') ? loaders.housingFund.load(person.idNumber) : null;
      // Its failure belongs to the housingFund field, which may never be resolved (no record).
      housingFund?.catch(() => undefined);
      const record = await loaders.insured.load(person.idNumber);
      return record && { record, housingFund };
    },
    incomeWithholdings: (person, _args, { loaders }) => loaders.withholdingsOfPerson.load(person.idNumber),
  },
  IncomeWithholding: {
    ...controlMeasureFields(WITHHOLDING_ID_PREFIX),
    person: (m) => ({ idNumber: m.assetKey }),
    monthlyAmount: (m) => {
      // Every withholding is submitted with its monthly amount; a record without one is the bureau's fault.
      if (m.amountFen === null) {
        throw new AgencyError('AGENCY_BAD_RESPONSE', `The ${SOCIAL_INSURANCE_AGENCY} records no monthly amount for its withholding ${globalMeasureId(WITHHOLDING_ID_PREFIX, m.id)}.`, {
          agency: SOCIAL_INSURANCE_AGENCY,
        });
      }
      return m.amountFen;
    },
  },
  EnforcementCase: {
    __resolveReference: (ref) => ref,
    incomeWithholdings: ({ caseNumber }, _args, { loaders }) => loaders.measuresOfCase.load(caseNumber),
  },
  CaseProgress: {
    __resolveReference: (ref) => ref,
    incomeMeasures: ({ caseNumber }, _args, { loaders }) => loaders.measuresOfCase.load(caseNumber),
  },
  MeasureSummary: measureSummaryFields,
  Mutation: mutations,
  ControlMeasure: {
    __resolveType: () => 'IncomeWithholding',
  },
  Company: {
    __resolveReference: (ref) => ({ creditCode: ref.creditCode }),
  },
  SocialInsurance: {
    status: ({ record }) => record.status,
    employer: ({ record }) => (record.employerCreditCode === null ? null : { creditCode: record.employerCreditCode }),
    contributionBase: ({ record }) => record.contributionBaseFen,
    insuredSince: ({ record }) => record.insuredSince,
    pension: ({ record }) => (record.status === 'RETIRED' ? { monthlyFen: record.monthlyPensionFen, payments: record.pensionPayments } : null),
    housingFund: ({ record, housingFund }, _args, { loaders }) => housingFund ?? loaders.housingFund.load(record.idNumber),
  },
  Pension: {
    monthlyAmount: (pension) => pension.monthlyFen,
    payments: (pension) => pension.payments,
  },
  PensionPayment: {
    amount: (payment) => payment.amountFen,
  },
  HousingFundAccount: {
    balance: (account) => account.balanceFen,
    monthlyDeposit: (account) => account.monthlyDepositFen,
  },
};
