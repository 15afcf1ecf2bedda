import type DataLoader from 'dataloader';
import { AgencyError } from '../shared/agencyError';
import { batchLoader } from '../shared/batchLoader';
import { type AgencyMeasure, CONTROL_MAX_BATCH, type ControlClient } from '../shared/measures/controlClient';
import type { BankConfig } from './banks';
import type { ConnectedBank } from './client';
import type { BankAccount, DepositFreezeRecord, HolderHoldings, WealthHolding } from './types';

/**
 * What one bank answered for one key: its value, or the AgencyError that cost it. Failures
 * are values, not rejections, so a failed batch stays cached for the request: bankAccounts
 * and bankInquiry of the same holder read one answer and never call the bank twice.
 */
export type Outcome<T> = { ok: true; value: T } | { ok: false; error: AgencyError };

export interface BankLoader {
  readonly bank: BankConfig;
  /** Accounts (and wealth, where the bank answers both at once) by holder ID number or credit code. */
  readonly holdings: DataLoader<string, Outcome<HolderHoldings>>;
  /** Accounts by account number; null value for a number the bank does not know. */
  readonly account: DataLoader<string, Outcome<BankAccount | null>>;
  /** Wealth-management holdings by holder; null for a bank that has no products online. */
  readonly wealth: ((holderKey: string) => Promise<Outcome<WealthHolding[]>>) | null;
  /** The bank's control interface; null for a bank that takes no measure online. */
  readonly control: ControlClient | null;
  /** Every court's freezes per account number; null where there is no control interface. */
  readonly freezesOfAccount: DataLoader<string, DepositFreezeRecord[]> | null;
  /** One case's freezes at this bank, asked once per request; null where there is no control interface. */
  readonly freezesOfCase: ((caseNumber: string) => Promise<Outcome<DepositFreezeRecord[]>>) | null;
}

/** A measure of a bank's control interface as a freeze of that bank. */
export function freezeAt(bankCode: string, measure: AgencyMeasure): DepositFreezeRecord {
  return { ...measure, bankCode };
}

export interface BankLoaders {
  /** Every bank, in the order the graph lists them. */
  readonly banks: readonly BankLoader[];
  bank(code: string): BankLoader | undefined;
}

function settledLoader<V>(maxBatch: number, lookup: (keys: readonly string[]) => Promise<Map<string, V>>, missing: () => V) {
  return batchLoader<Outcome<V>>(
    maxBatch,
    async (keys) => {
      try {
        const found = await lookup(keys);
        return new Map(keys.map((key) => [key, { ok: true, value: found.get(key) ?? missing() }]));
      } catch (error) {
        // Programming errors stay errors; only a bank's failure becomes that bank's answer.
        if (!(error instanceof AgencyError)) throw error;
        return new Map(keys.map((key) => [key, { ok: false, error }]));
      }
    },
    () => ({ ok: true, value: missing() }),
  );
}

function bankLoader({ config, client, control }: ConnectedBank): BankLoader {
  const holdings = settledLoader(config.maxBatch, (keys) => client.holdings(keys), (): HolderHoldings => ({ accounts: [], wealth: [] }));
  const account = settledLoader<BankAccount | null>(config.maxBatch, (keys) => client.accountsByNumber(keys), () => null);
  let wealth: BankLoader['wealth'] = null;
  const source = client.wealth;
  if (source.from === 'HOLDINGS') {
    wealth = async (key) => {
      const outcome = await holdings.load(key);
      return outcome.ok ? { ok: true, value: outcome.value.wealth } : outcome;
    };
  } else if (source.from === 'OWN_ENDPOINT') {
    const own = settledLoader(config.maxBatch, (keys) => source.lookup(keys), (): WealthHolding[] => []);
    wealth = (key) => own.load(key);
  }
  return { bank: config, holdings, account, wealth, control: control ?? null, ...freezeLoaders(config.code, control) };
}

function freezeLoaders(bankCode: string, control: ControlClient | undefined): Pick<BankLoader, 'freezesOfAccount' | 'freezesOfCase'> {
  if (!control) return { freezesOfAccount: null, freezesOfCase: null };
  const freezesOfAccount = batchLoader(
    CONTROL_MAX_BATCH,
    async (keys) => {
      const found = await control.ofAssets(keys);
      return new Map([...found].map(([key, measures]) => [key, measures.map((m) => freezeAt(bankCode, m))]));
    },
    (): DepositFreezeRecord[] => [],
  );
  // A docket page's cases go to the bank together; a bank that fails costs its part of each case.
  const ofCases = settledLoader(
    CONTROL_MAX_BATCH,
    async (caseNumbers) => {
      const found = await control.ofCases(caseNumbers);
      return new Map([...found].map(([caseNumber, measures]) => [caseNumber, measures.map((m) => freezeAt(bankCode, m))]));
    },
    (): DepositFreezeRecord[] => [],
  );
  const freezesOfCase = (caseNumber: string) => ofCases.load(caseNumber);
  return { freezesOfAccount, freezesOfCase };
}

/** Fresh loaders for one GraphQL request: one DataLoader per bank and lookup, each with that bank's batch limit. */
export function createBankLoaders(connected: readonly ConnectedBank[]): BankLoaders {
  const banks = connected.map(bankLoader);
  return { banks, bank: (code) => banks.find((b) => b.bank.code === code) };
}
