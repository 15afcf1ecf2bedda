import type { BankAccountRecord, PartyRef, Population, WealthHoldingRecord } from '../population';
import { indexBy } from '../shared/batch';
import { partyKey } from '../shared/partyKey';

/** What one bank holds, indexed once at start-up so each inquiry is a map read per key. */
export interface BankBook {
  readonly bankCode: string;
  readonly accountsByHolder: ReadonlyMap<string, BankAccountRecord[]>;
  readonly accountByNumber: ReadonlyMap<string, BankAccountRecord>;
  readonly wealthByHolder: ReadonlyMap<string, WealthHoldingRecord[]>;
  /** Holders the bank knows, with their kind (a bank keeps its customers' identity type). */
  readonly holders: ReadonlyMap<string, PartyRef>;
  /** Fen deducted to courts per account number, as already taken off the accounts' balances. */
  readonly debited: Map<string, number>;
}

/**
 * The bank's own copy of its accounts: a deduction debits this bank's copy, never the
 * population every emulator (and every other stack in the process) draws from.
 */
export function openBankBook(population: Population, bankCode: string): BankBook {
  const accounts = population.bankAccounts.filter((a) => a.bankCode === bankCode).map((a) => ({ ...a }));
  const wealth = population.wealthHoldings.filter((w) => w.bankCode === bankCode);
  const holders = new Map<string, PartyRef>();
  for (const { holder } of [...accounts, ...wealth]) holders.set(partyKey(holder), holder);
  return {
    bankCode,
    accountsByHolder: indexBy(accounts, (a) => [partyKey(a.holder)]),
    accountByNumber: new Map(accounts.map((a) => [a.accountNumber, a])),
    wealthByHolder: indexBy(wealth, (w) => [partyKey(w.holder)]),
    holders,
    debited: new Map(),
  };
}

/**
 * Brings the accounts' balance and available balance in line with the total deducted from
 * each (integer fen, as the measure book sums it). Totals only grow, so a total read before
 * another deduction committed but applied after it changes nothing.
 */
export function applyDeductions(book: BankBook, deductedByAccount: ReadonlyMap<string, number>): void {
  for (const [accountNumber, total] of deductedByAccount) {
    const account = book.accountByNumber.get(accountNumber);
    const applied = book.debited.get(accountNumber) ?? 0;
    if (!account || total <= applied) continue;
    account.balanceFen -= total - applied;
    account.availableFen -= total - applied;
    book.debited.set(accountNumber, total);
  }
}

/** The accounts of one holder that an inquiry returns. */
export interface AccountGroup {
  /** The identifier the inquiry named (for an account-number inquiry, the holder's). */
  key: string;
  /** Null when the bank has no customer with that identifier. */
  holder: PartyRef | null;
  accounts: BankAccountRecord[];
}

/** Every holder asked for, in the order asked, with their accounts (none for a stranger). */
export function groupsByHolder(book: BankBook, holderKeys: readonly string[]): AccountGroup[] {
  return holderKeys.map((key) => ({
    key,
    holder: book.holders.get(key) ?? null,
    accounts: book.accountsByHolder.get(key) ?? [],
  }));
}

/** The accounts asked for by number, grouped by their holders; unknown numbers are left out. */
export function groupsByAccount(book: BankBook, accountNumbers: readonly string[]): AccountGroup[] {
  const groups = new Map<string, AccountGroup>();
  for (const number of accountNumbers) {
    const account = book.accountByNumber.get(number);
    if (!account) continue;
    const key = partyKey(account.holder);
    const group = groups.get(key);
    if (group) group.accounts.push(account);
    else groups.set(key, { key, holder: account.holder, accounts: [account] });
  }
  return [...groups.values()];
}
