import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper';
import type { GraphQLResolveInfo } from 'graphql';
import type { Fen } from '../../schemas/identifiers';
import type { AgencyMeasure, ControlClient } from '../shared/measures/controlClient';
import { debtorAsset } from '../shared/measures/debtorAsset';
import { controlMeasureFields, measureSummaryFields } from '../shared/measures/measureFields';
import { type MeasurePayload, measureMutations } from '../shared/measures/measureMutations';
import type { HousingFundAccount, InsuredRecord, PensionPayment } from './client';
import type { SocialInsuranceLoaders, WithholdingLoaders } from './loaders';
import { selectsField } from './selectsField';
import { bureauRefusal, checkMonthlyAmount, livingAllowanceRefusal } from './withholding';

export interface SocialInsuranceContext {
  loaders: SocialInsuranceLoaders & WithholdingLoaders;
  control: ControlClient;
}

/** Withholding ids a court sees: `social-insurance:12`. */
export const WITHHOLDING_ID_PREFIX = 'social-insurance';

interface WithholdInput {
  requestId: string;
  idNumber: string;
  /** Integer fen (the Money scalar). */
  monthlyAmount: Fen;
  documentNumber: string;
  termDays: number;
}

// The bureau's own admission refusals (above the cap, no income) become data too.
const withholdings = measureMutations<SocialInsuranceContext>({
  field: 'withholding',
  idPrefix: WITHHOLDING_ID_PREFIX,
  assetKind: 'INCOME',
  refusalOfError: bureauRefusal,
});

interface PersonRef {
  idNumber: string;
}

interface CompanyRef {
  creditCode: string;
}

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
  Mutation: {
    async withholdIncome(_: unknown, { input }: { input: WithholdInput }, { loaders, control }: SocialInsuranceContext): Promise<MeasurePayload> {
      checkMonthlyAmount(input.monthlyAmount);
      const refusal = withholdings.check(input);
      if (refusal) return { refusal };
      // The gateway checks the subjects it reads in the arguments; checked again here so the rule never rests on that reading.
      // A person's income is their own: a debtor's holdings are known without asking the bureau, so
      // anyone else is refused alike, paid or not, known or not, and the bureau never hears of them.
      const { debtor } = await debtorAsset({
        holdings: (holder) => [holder],
        key: input.idNumber,
        keyOf: (idNumber) => idNumber,
        holdersOf: (idNumber) => [idNumber],
        description: `the income of person ${input.idNumber}`,
      });
      const income = await loaders.withholdable.load(input.idNumber);
      if (!income) {
        return { refusal: { code: 'ASSET_NOT_FOUND', message: `The social insurance bureau pays person ${input.idNumber} no wage or pension; there is nothing to withhold.` } };
      }
      const tooMuch = livingAllowanceRefusal(income, input.monthlyAmount);
      if (tooMuch) return { refusal: tooMuch };
      return withholdings.submit(control, {
        requestId: input.requestId,
        kind: 'WITHHOLD',
        assetKey: input.idNumber,
        documentNumber: input.documentNumber,
        termDays: input.termDays,
        amountFen: input.monthlyAmount,
        partyKey: debtor,
      });
    },
    renewIncomeWithholding: withholdings.renew,
    releaseIncomeWithholding: withholdings.release,
  },
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
