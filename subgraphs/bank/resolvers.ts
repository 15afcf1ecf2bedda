import type { AgencyError, AgencyErrorCode } from '../shared/agencyError';
import { findDebtorAsset } from '../shared/measures/debtorAsset';
import { controlMeasureFields, measureSummaryFields } from '../shared/measures/measureFields';
import { BANK_CONFIGS, bankConfig } from './banks';
import { badResponse } from './clients/bankApi';
import type { BankContext } from './context';
import type { Resolvers } from './generated/resolvers';
import { amongDebtorsAccounts, deductFrozenDeposit, deductionOf, freezeDeposit, freezeGlobalId, releaseDepositFreeze, renewDepositFreeze } from './mutations';
import type { AccountHolder, BankAccount, BankConfig, BankInquiry, DepositFreezeRecord, InquiryStatus, PartyValue, WealthHolding } from './types';

const STATUS_OF_CODE: Record<AgencyErrorCode, InquiryStatus> = {
  AGENCY_UNAVAILABLE: 'UNAVAILABLE',
  AGENCY_TIMEOUT: 'TIMEOUT',
  AGENCY_BAD_RESPONSE: 'BAD_RESPONSE',
  AGENCY_REFUSED: 'REFUSED',
};

/**
 * A list item that is an Error becomes null with that error at the item's path (graphql-js
 * completes list items one by one), so a failed bank costs one item, not the list.
 */
type ItemOrError<T> = T | AgencyError;

/**
 * The list as the generated types see it: they cannot say that an item may be an Error,
 * which graphql-js completes as null with that error (the SDL's items are nullable for it).
 */
const asNullableItems = <T>(items: ItemOrError<T>[]): (T | null)[] => items as (T | null)[];

async function bankAccounts(key: string, { loaders }: BankContext): Promise<ItemOrError<BankAccount>[]> {
  const outcomes = await Promise.all(loaders.banks.map((b) => b.holdings.load(key)));
  return outcomes.flatMap((o): ItemOrError<BankAccount>[] => (o.ok ? o.value.accounts : [o.error]));
}

async function bankInquiry(key: string, { loaders }: BankContext): Promise<BankInquiry[]> {
  return Promise.all(
    loaders.banks.map(async ({ bank, holdings }) => {
      const outcome = await holdings.load(key);
      return outcome.ok
        ? { bank, status: 'ANSWERED' as const, accountCount: outcome.value.accounts.length, message: null }
        : { bank, status: STATUS_OF_CODE[outcome.error.code], accountCount: null, message: outcome.error.message };
    }),
  );
}

async function wealthManagement(key: string, { loaders }: BankContext): Promise<ItemOrError<WealthHolding>[]> {
  const outcomes = await Promise.all(loaders.banks.flatMap((b) => (b.wealth ? [b.wealth(key)] : [])));
  return outcomes.flatMap((o): ItemOrError<WealthHolding>[] => (o.ok ? o.value : [o.error]));
}

async function depositFreezesOfCase(caseNumber: string, { loaders }: BankContext): Promise<ItemOrError<DepositFreezeRecord>[]> {
  const outcomes = await Promise.all(loaders.banks.flatMap((b) => (b.freezesOfCase ? [b.freezesOfCase(caseNumber)] : [])));
  return outcomes.flatMap((o): ItemOrError<DepositFreezeRecord>[] => (o.ok ? o.value : [o.error]));
}

function bankOf(code: string): BankConfig {
  const bank = bankConfig(code);
  // Every account and holding comes from a configured bank's client, which stamps its own code.
  if (!bank) throw new Error(`No bank with code ${code} is configured.`);
  return bank;
}

function partyOf(holder: AccountHolder): PartyValue {
  return holder.kind === 'PERSON' ? { idNumber: holder.idNumber } : { creditCode: holder.creditCode };
}

function formatUnits(milli: number): string {
  return `${Math.floor(milli / 1000)}.${String(milli % 1000).padStart(3, '0')}`;
}

// Typed against the SDL (npm run codegen): parents are the domain values types.ts names.
export const resolvers: Resolvers = {
  Query: {
    banks: () => [...BANK_CONFIGS],
  },
  Mutation: {
    freezeDeposit: (_, { input }, context) => freezeDeposit(input, context),
    renewDepositFreeze: (_, { input }, context) => renewDepositFreeze(input, context),
    releaseDepositFreeze: (_, { input }, context) => releaseDepositFreeze(input, context),
    deductFrozenDeposit: (_, { input }, context) => deductFrozenDeposit(input, context),
  },
  EnforcementCase: {
    __resolveReference: (ref) => ({ caseNumber: ref.caseNumber }),
    depositFreezes: async ({ caseNumber }, _, context) => asNullableItems(await depositFreezesOfCase(caseNumber, context)),
  },
  CaseProgress: {
    __resolveReference: (ref) => ({ caseNumber: ref.caseNumber }),
    depositMeasures: async ({ caseNumber }, _, context) => asNullableItems(await depositFreezesOfCase(caseNumber, context)),
  },
  MeasureSummary: measureSummaryFields,
  Person: {
    __resolveReference: (ref) => ({ idNumber: ref.idNumber }),
    bankAccounts: async ({ idNumber }, _, context) => asNullableItems(await bankAccounts(idNumber, context)),
    bankInquiry: ({ idNumber }, _, context) => bankInquiry(idNumber, context),
    wealthManagement: async ({ idNumber }, _, context) => asNullableItems(await wealthManagement(idNumber, context)),
  },
  Company: {
    __resolveReference: (ref) => ({ creditCode: ref.creditCode }),
    bankAccounts: async ({ creditCode }, _, context) => asNullableItems(await bankAccounts(creditCode, context)),
    bankInquiry: ({ creditCode }, _, context) => bankInquiry(creditCode, context),
    wealthManagement: async ({ creditCode }, _, context) => asNullableItems(await wealthManagement(creditCode, context)),
  },
  Party: {
    __resolveType: (party) => ('idNumber' in party ? 'Person' : 'Company'),
  },
  BankAccount: {
    // Found among the signed debtors' own accounts at that bank, so the bank never hears of
    // anyone else's (entityPolicy.ts answers an account no debtor holds with NOT_A_DEBTOR).
    async __resolveReference(ref, { loaders, signed }) {
      const loader = loaders.bank(ref.bankCode);
      if (!loader) return null;
      return (await findDebtorAsset(signed, amongDebtorsAccounts(loader, ref.accountNumber, { fresh: false })))?.asset ?? null;
    },
    bank: (account) => bankOf(account.bankCode),
    holder: (account) => partyOf(account.holder),
    balance: (account) => account.balanceFen,
    availableBalance: (account) => account.availableFen,
    // A bank without a control interface freezes on paper only: nothing to show online.
    freezes: (account, _, { loaders }) => loaders.bank(account.bankCode)?.freezesOfAccount?.load(account.accountNumber) ?? [],
  },
  DepositFreeze: {
    ...controlMeasureFields('bank'),
    id: freezeGlobalId,
    bank: (freeze) => bankOf(freeze.bankCode),
    async account(freeze, _, { loaders }) {
      const outcome = await loaders.bank(freeze.bankCode)!.account.load(freeze.assetKey);
      if (!outcome.ok) throw outcome.error;
      // The bank refuses a freeze of an account it does not keep, so it must know this one.
      if (!outcome.value) throw badResponse(freeze.bankCode, `The bank ${freeze.bankCode} no longer knows account ${freeze.assetKey} of freeze ${freezeGlobalId(freeze)}.`);
      return outcome.value;
    },
    amountAsked: (freeze) => freeze.amountFen,
    amountControlled: (freeze) => freeze.amountControlledFen,
    amountDeducted: (freeze) => freeze.amountDeductedFen,
    deductions: (freeze) => freeze.deductions.map((d) => deductionOf(freeze, d)),
  },
  DepositDeduction: {
    amount: (deduction) => deduction.amountFen,
    transferred: (deduction) => deduction.transferredAt !== null,
  },
  ControlMeasure: {
    __resolveType: () => 'DepositFreeze',
  },
  WealthManagementHolding: {
    bank: (holding) => bankOf(holding.bankCode),
    units: (holding) => formatUnits(holding.unitsMilli),
    marketValue: (holding) => holding.marketValueFen,
  },
};
