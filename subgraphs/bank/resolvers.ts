import type { AgencyError, AgencyErrorCode } from '../shared/agencyError';
import type { CompanyRef, PersonRef } from '../shared/entityRefs';
import { findDebtorAsset } from '../shared/measures/debtorAsset';
import { controlMeasureFields, measureSummaryFields } from '../shared/measures/measureFields';
import type { GraphQLResolverMap } from '../shared/resolverMap';
import { BANK_CONFIGS, bankConfig, type BankConfig } from './banks';
import { badResponse } from './clients/bankApi';
import {
  amongDebtorsAccounts,
  deductFrozenDeposit,
  type DeductFrozenDepositInput,
  deductionOf,
  type DepositDeductionValue,
  freezeDeposit,
  type FreezeDepositInput,
  freezeGlobalId,
  releaseDepositFreeze,
  renewDepositFreeze,
} from './mutations';
import type { BankContext } from './context';
import type { AccountHolder, BankAccount, DepositFreezeRecord, WealthHolding } from './types';


type PartyValue = PersonRef | CompanyRef;

type InquiryStatus = 'ANSWERED' | 'UNAVAILABLE' | 'TIMEOUT' | 'BAD_RESPONSE' | 'REFUSED';

const STATUS_OF_CODE: Record<AgencyErrorCode, InquiryStatus> = {
  AGENCY_UNAVAILABLE: 'UNAVAILABLE',
  AGENCY_TIMEOUT: 'TIMEOUT',
  AGENCY_BAD_RESPONSE: 'BAD_RESPONSE',
  AGENCY_REFUSED: 'REFUSED',
};

interface BankInquiry {
  bank: BankConfig;
  status: InquiryStatus;
  accountCount: number | null;
  message: string | null;
}

/**
 * A list item that is an Error becomes null with that error at the item's path (graphql-js
 * completes list items one by one), so a failed bank costs one item, not the list.
 */
type ItemOrError<T> = T | AgencyError;

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

function partyFields<P>(keyOf: (parent: P) => string) {
  return {
    bankAccounts: (parent: P, _args: unknown, context: BankContext) => bankAccounts(keyOf(parent), context),
    bankInquiry: (parent: P, _args: unknown, context: BankContext) => bankInquiry(keyOf(parent), context),
    wealthManagement: (parent: P, _args: unknown, context: BankContext) => wealthManagement(keyOf(parent), context),
  };
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

export const resolvers: GraphQLResolverMap<BankContext> = {
  Query: {
    banks: () => BANK_CONFIGS,
  },
  Mutation: {
    freezeDeposit: (_: unknown, { input }: { input: FreezeDepositInput }, context: BankContext) => freezeDeposit(input, context),
    renewDepositFreeze: (_: unknown, { input }: { input: { measureId: string; termDays: number; documentNumber: string } }, context: BankContext) =>
      renewDepositFreeze(input, context),
    releaseDepositFreeze: (_: unknown, { input }: { input: { measureId: string; documentNumber: string } }, context: BankContext) =>
      releaseDepositFreeze(input, context),
    deductFrozenDeposit: (_: unknown, { input }: { input: DeductFrozenDepositInput }, context: BankContext) => deductFrozenDeposit(input, context),
  },
  EnforcementCase: {
    __resolveReference: (ref: { caseNumber: string }) => ({ caseNumber: ref.caseNumber }),
    depositFreezes: ({ caseNumber }: { caseNumber: string }, _: unknown, context: BankContext) => depositFreezesOfCase(caseNumber, context),
  },
  CaseProgress: {
    __resolveReference: (ref: { caseNumber: string }) => ({ caseNumber: ref.caseNumber }),
    depositMeasures: ({ caseNumber }: { caseNumber: string }, _: unknown, context: BankContext) => depositFreezesOfCase(caseNumber, context),
  },
  MeasureSummary: measureSummaryFields,
  Person: {
    __resolveReference: (ref: PersonRef): PersonRef => ({ idNumber: ref.idNumber }),
    ...partyFields((p: PersonRef) => p.idNumber),
  },
  Company: {
    __resolveReference: (ref: CompanyRef): CompanyRef => ({ creditCode: ref.creditCode }),
    ...partyFields((c: CompanyRef) => c.creditCode),
  },
  Party: {
    __resolveType: (party: PartyValue) => ('idNumber' in party ? 'Person' : 'Company'),
  },
  BankAccount: {
    // Found among the signed debtors' own accounts at that bank, so the bank never hears of
    // anyone else's (entityPolicy.ts answers an account no debtor holds with NOT_A_DEBTOR).
    async __resolveReference(ref: { bankCode: string; accountNumber: string }, { loaders, signed }: BankContext): Promise<BankAccount | null> {
      const loader = loaders.bank(ref.bankCode);
      if (!loader) return null;
      return (await findDebtorAsset(signed, amongDebtorsAccounts(loader, ref.accountNumber, { fresh: false })))?.asset ?? null;
    },
    bank: (account: BankAccount) => bankOf(account.bankCode),
    holder: (account: BankAccount) => partyOf(account.holder),
    balance: (account: BankAccount) => account.balanceFen,
    availableBalance: (account: BankAccount) => account.availableFen,
    // A bank without a control interface freezes on paper only: nothing to show online.
    freezes: (account: BankAccount, _: unknown, { loaders }: BankContext) => loaders.bank(account.bankCode)?.freezesOfAccount?.load(account.accountNumber) ?? [],
  },
  DepositFreeze: {
    ...controlMeasureFields('bank'),
    id: freezeGlobalId,
    bank: (freeze: DepositFreezeRecord) => bankOf(freeze.bankCode),
    async account(freeze: DepositFreezeRecord, _: unknown, { loaders }: BankContext): Promise<BankAccount> {
      const outcome = await loaders.bank(freeze.bankCode)!.account.load(freeze.assetKey);
      if (!outcome.ok) throw outcome.error;
      // The bank refuses a freeze of an account it does not keep, so it must know this one.
      if (!outcome.value) throw badResponse(freeze.bankCode, `The bank ${freeze.bankCode} no longer knows account ${freeze.assetKey} of freeze ${freezeGlobalId(freeze)}.`);
      return outcome.value;
    },
    amountAsked: (freeze: DepositFreezeRecord) => freeze.amountFen,
    amountControlled: (freeze: DepositFreezeRecord) => freeze.amountControlledFen,
    amountDeducted: (freeze: DepositFreezeRecord) => freeze.amountDeductedFen,
    deductions: (freeze: DepositFreezeRecord) => freeze.deductions.map((d) => deductionOf(freeze, d)),
  },
  DepositDeduction: {
    amount: (deduction: DepositDeductionValue) => deduction.amountFen,
    transferred: (deduction: DepositDeductionValue) => deduction.transferredAt !== null,
  },
  ControlMeasure: {
    __resolveType: () => 'DepositFreeze',
  },
  WealthManagementHolding: {
    bank: (holding: WealthHolding) => bankOf(holding.bankCode),
    units: (holding: WealthHolding) => formatUnits(holding.unitsMilli),
    marketValue: (holding: WealthHolding) => holding.marketValueFen,
  },
};
