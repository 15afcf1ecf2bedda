import type { Fen } from '../../schemas/identifiers';
import { debtorAsset } from '../shared/measures/debtorAsset';
import { measureMutations } from '../shared/measures/measureMutations';
import type { SocialInsuranceContext } from './context';
import type { MutationResolvers } from './generated/resolvers';
import { bureauRefusal, checkMonthlyAmount, livingAllowanceRefusal } from './withholding';

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

/** The bureau's control acts: withhold a person's income, renew or release a withholding. */
export const mutations: MutationResolvers = {
  async withholdIncome(_, { input }, context) {
    const { loaders, signed } = context;
    checkMonthlyAmount(input.monthlyAmount);
    const refusal = withholdings.check(signed, input);
    if (refusal) return { refusal };
    // The gateway checks the subjects it reads in the arguments; checked again here so the rule never rests on that reading.
    // A person's income is their own: a debtor's holdings are known without asking the bureau, so
    // anyone else is refused alike, paid or not, known or not, and the bureau never hears of them.
    const { debtor } = await debtorAsset(signed, {
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
    return withholdings.submit(context, {
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
};
