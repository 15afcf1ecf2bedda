/** The bank subgraph's domain: what every bank's answer is translated into (money in integer fen, ISO dates). */

import type { AgencyMeasure } from '../shared/measures/controlClient';

export type BankAccountType = 'DEMAND' | 'TIME' | 'DEBIT_CARD' | 'SETTLEMENT';
export type BankAccountStatus = 'NORMAL' | 'DORMANT' | 'CLOSED';

export type AccountHolder = { kind: 'PERSON'; idNumber: string } | { kind: 'COMPANY'; creditCode: string };

export interface BankAccount {
  bankCode: string;
  accountNumber: string;
  holder: AccountHolder;
  type: BankAccountType;
  /** ISO 4217 alphabetic code. */
  currency: string;
  balanceFen: number;
  availableFen: number;
  status: BankAccountStatus;
  branchCode: string;
  openedOn: string;
}

export interface WealthHolding {
  bankCode: string;
  productCode: string;
  productName: string;
  /** Units held, in thousandths of a unit, so no float ever holds them. */
  unitsMilli: number;
  marketValueFen: number;
  valuedOn: string;
}

/** What one bank holds for one holder. */
export interface HolderHoldings {
  accounts: BankAccount[];
  /** Empty where the bank reports wealth-management holdings elsewhere or not at all. */
  wealth: WealthHolding[];
}

/** Where a bank's wealth-management holdings come from. */
export type WealthSource =
  | { from: 'NONE' }
  /** In the same answer as the accounts (no call of its own). */
  | { from: 'HOLDINGS' }
  | { from: 'OWN_ENDPOINT'; lookup(holderKeys: readonly string[]): Promise<Map<string, WealthHolding[]>> };

/**
 * One bank's legacy API behind one interface. Every method takes a batch of at most the
 * bank's max batch keys and answers a map; a key the bank does not know is absent.
 */
export interface BankClient {
  readonly bankCode: string;
  /** Accounts of each holder (ID number or credit code), with wealth where the bank gives it in the same answer. */
  holdings(holderKeys: readonly string[]): Promise<Map<string, HolderHoldings>>;
  /** Accounts by account number. */
  accountsByNumber(accountNumbers: readonly string[]): Promise<Map<string, BankAccount>>;
  readonly wealth: WealthSource;
}

/** Where a bank client connects: the base URL of that bank's system and the per-call time limit. */
export interface BankConnection {
  baseUrl: string;
  /** @default 5000 */
  timeoutMs?: number;
}

/** A freeze as a bank's control interface reports it (amounts in fen), with the bank that keeps it. */
export interface DepositFreezeRecord extends AgencyMeasure {
  bankCode: string;
}
