/** The bank subgraph's domain: what every bank's answer is translated into (money in integer fen, ISO dates). */

import type { CompanyRef, PersonRef } from '../shared/entityRefs';
import type { AgencyMeasure } from '../shared/measures/controlClient';
import type { MeasureRefusal } from '../shared/measures/measureFields';

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

/** What a court can do at a bank online (SPC/CBRC online enforcement query and control). */
export type BankCapability = 'QUERY' | 'FREEZE' | 'DEDUCT';

export interface BankConfig {
  /** The bank's code on the network; also `extensions.provider` of its errors. */
  code: string;
  name: string;
  /** What the bank supports online; anything else is refused up front. */
  capabilities: readonly BankCapability[];
  /** The key of this bank's base URL in `startBankSubgraph({ bankUrls })`. */
  urlKey: string;
  /**
   * Path prefix of the bank's control interface (the network's common spec) on its base URL;
   * absent for a bank that takes no measure online.
   */
  controlPrefix?: string;
  /** Keys the bank takes in one request; one DataLoader per bank splits at this size. */
  maxBatch: number;
  /** Builds the client that speaks this bank's own API. */
  adapter(connection: BankConnection): BankClient;
}

/** A deduction as the graph shows it (type DepositDeduction). */
export interface DepositDeductionValue {
  id: string;
  requestId: string;
  amountFen: number;
  at: string;
  transferredAt: string | null;
}

export interface FreezePayload {
  freeze?: DepositFreezeRecord;
  refusal?: MeasureRefusal;
}

export interface DeductionPayload {
  deduction?: DepositDeductionValue;
  freeze?: DepositFreezeRecord;
  lapsed?: DepositFreezeRecord[];
  refusal?: MeasureRefusal;
}

/** How a bank answered the account inquiry of one party (type BankInquiry). */
export type InquiryStatus = 'ANSWERED' | 'UNAVAILABLE' | 'TIMEOUT' | 'BAD_RESPONSE' | 'REFUSED';

export interface BankInquiry {
  bank: BankConfig;
  status: InquiryStatus;
  accountCount: number | null;
  message: string | null;
}

/** An account's holder as the graph points at it: the party another subgraph resolves. */
export type PartyValue = PersonRef | CompanyRef;

/**
 * The shared values this subgraph's resolvers return for the federated parties and cases and
 * for the control-measure definitions; re-exported so the generated resolver types map its
 * whole schema from this one module (codegen.ts).
 */
export type { CaseRef, CompanyRef, PersonRef } from '../shared/entityRefs';
export type { AgencyMeasure } from '../shared/measures/controlClient';
export type { MeasureRefusal } from '../shared/measures/measureFields';
