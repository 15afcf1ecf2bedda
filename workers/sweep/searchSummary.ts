import { CASE_SEARCH_AGENCIES, type CaseSearchAgency } from '../../schemas/courtOperations';
import { checkMoney } from '../../schemas/identifiers/money';
import type { AssetKind, AssetTally } from '../../lib/sweeps/sweepStore';

/**
 * What one CaseSearch answer (schemas/courtOperations.ts) found, as a sweep records it: the
 * assets by kind with their values in exact fen, and which agencies answered and which did not.
 * An agency is named by its subgraph (`bank`, `realestate`, `vehicle`, `commerce`,
 * `social-insurance`), one bank among several as `bank:<code>`: the unit a retry asks again.
 */
export interface SearchSummary {
  /** The case's status as the court case system gave it (a sweep searches ACTIVE cases only). */
  caseStatus: string | null;
  debtors: number;
  assets: AssetTally[];
  agenciesAnswered: string[];
  agenciesFailed: string[];
}

/** The agency subgraphs a CaseSearch asks, by the debtor field each answers. */
export const SEARCH_FIELD_AGENCY: Readonly<Record<string, CaseSearchAgency>> = {
  bankAccounts: 'bank',
  realEstate: 'realestate',
  vehicles: 'vehicle',
  shareholdings: 'commerce',
  socialInsurance: 'social-insurance',
};


interface Debtor {
  bankAccounts?: { balance?: string | null }[] | null;
  realEstate?: unknown[] | null;
  vehicles?: unknown[] | null;
  shareholdings?: unknown[] | null;
  socialInsurance?: {
    status?: string;
    contributionBase?: string | null;
    pension?: { monthlyAmount?: string | null } | null;
    housingFund?: { balance?: string | null } | null;
  } | null;
}

interface AnswerError {
  message?: string;
  path?: readonly (string | number)[];
  extensions?: { code?: string; agency?: string; provider?: string };
}

export interface CaseSearchAnswer {
  data?: { case?: { status?: string; debtors?: (Debtor | null)[] | null } | null } | null;
  errors?: AnswerError[];
}

/** Thrown for an answer a sweep cannot record: no case data at all (a refusal, or the case system down). */
export class UnrecordableSearch extends Error {
  constructor(
    message: string,
    /** The answer's error codes, e.g. FORBIDDEN CASE_NOT_ACTIVE or AGENCY_UNAVAILABLE. */
    readonly codes: string[],
  ) {
    super(message);
    this.name = 'UnrecordableSearch';
  }
}

/**
 * Sums an answer. An error under a debtor's field fails that field's agency (the bank's
 * provider when it names one); an agency whose field failed for one debtor has not answered
 * for the case, so it is retried for the case as a whole. Money must parse exactly.
 */
export function summariseSearch(answer: CaseSearchAnswer, asked: readonly CaseSearchAgency[] = CASE_SEARCH_AGENCIES): SearchSummary {
  const kase = answer.data?.case;
  if (!kase) {
    const codes = (answer.errors ?? []).map((e) => e.extensions?.code ?? 'UNKNOWN');
    throw new UnrecordableSearch(`No case in the answer: ${(answer.errors ?? []).map((e) => e.message).join('; ') || 'the case was not found'}`, codes);
  }
  const failed = new Set<string>();
  for (const error of answer.errors ?? []) {
    const field = error.path?.[3];
    // A housing-fund error under socialInsurance is the social-insurance subgraph's too: it asks the fund centre.
    const agency = typeof field === 'string' ? SEARCH_FIELD_AGENCY[field] : undefined;
    if (agency === undefined) {
      // An error above the debtors' fields leaves the whole search unknown: nothing to record.
      throw new UnrecordableSearch(`The case search failed outside any agency's field: ${error.message ?? 'unknown error'}`, [error.extensions?.code ?? 'UNKNOWN']);
    }
    failed.add(agency === 'bank' && error.extensions?.provider ? `bank:${error.extensions.provider}` : agency);
  }
  const tallies = new Map<AssetKind, { count: number; valueFen: number | null }>();
  const add = (kind: AssetKind, count: number, value: string | null | undefined) => {
    const tally = tallies.get(kind) ?? { count: 0, valueFen: null };
    tally.count += count;
    if (value !== undefined && value !== null) tally.valueFen = (tally.valueFen ?? 0) + fen(value);
    tallies.set(kind, tally);
  };
  const debtors = (kase.debtors ?? []).filter((d): d is Debtor => d !== null);
  for (const d of debtors) {
    for (const account of d.bankAccounts ?? []) add('BANK_ACCOUNT', 1, account.balance ?? null);
    add('REAL_ESTATE', d.realEstate?.length ?? 0, undefined);
    add('VEHICLE', d.vehicles?.length ?? 0, undefined);
    add('SHAREHOLDING', d.shareholdings?.length ?? 0, undefined);
    const insurance = d.socialInsurance;
    if (insurance) {
      // What a court may withhold each month: the pension once retired, else the wage the contributions stand on.
      const monthly = insurance.status === 'RETIRED' ? insurance.pension?.monthlyAmount : insurance.status === 'INSURED' ? insurance.contributionBase : undefined;
      add('INCOME', monthly === undefined || monthly === null ? 0 : 1, monthly);
      if (insurance.housingFund) add('HOUSING_FUND', 1, insurance.housingFund.balance ?? null);
    }
  }
  const failedAgencies = [...failed].sort();
  const failedSubgraphs = new Set(failedAgencies.map((a) => a.split(':')[0]!));
  return {
    caseStatus: kase.status ?? null,
    debtors: debtors.length,
    assets: [...tallies].filter(([, t]) => t.count > 0).map(([kind, t]) => ({ kind, count: t.count, valueFen: t.valueFen })),
    // A bank with one provider down still answered for the others, but not for the case: it is retried.
    agenciesAnswered: [...asked].sort().filter((a) => !failedSubgraphs.has(a)),
    agenciesFailed: failedAgencies,
  };
}

function fen(value: string): number {
  const checked = checkMoney(value);
  if (!checked.ok) throw new Error(`An agency's amount is not exact money: ${JSON.stringify(value)} (${checked.message})`);
  return checked.value;
}
