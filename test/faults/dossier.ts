/**
 * What the fault suites share: the one-stop dossier of the rich debtor's case, the agencies
 * behind it with the names their errors carry, and checks that a failing agency cost only
 * its own fields.
 */
import type { GraphQLAnswer } from '../support/postGraphQL';

export const DOSSIER = /* GraphQL */ `
  query Dossier($case: CaseNumber!) {
    case(caseNumber: $case) {
      caseNumber status outstanding court { code }
      debtors {
        __typename
        ... on Person {
          idNumber name
          bankAccounts { bankCode accountNumber balance availableBalance }
          realEstate { unitNumber ownership owners { share owner { ... on Person { idNumber } ... on Company { creditCode } } } mortgages { amount } }
          vehicles { vin plateNumber status }
          shareholdings { ratio subscribedCapital company { creditCode } }
          socialInsurance { status contributionBase employer { creditCode } housingFund { balance } }
        }
        ... on Company {
          creditCode name registration { registeredCapital legalRepresentative { idNumber } }
          bankAccounts { bankCode accountNumber balance } vehicles { vin status } realEstate { unitNumber }
        }
      }
    }
  }`;

/** An agency emulator of the stack and how its errors name it. */
export interface FailingAgency {
  /** Its key in `stack.emulators`. */
  emulator: string;
  /** `extensions.agency` of its errors (the social insurance emulator also serves the fund centre). */
  agencies: string[];
  /** `extensions.provider`: the bank among the four. */
  provider?: string;
}

/** Every agency but the court case system, which case binding needs (courtFaults.test.ts). */
export const AGENCIES: FailingAgency[] = [
  ...['NCB', 'HZCB', 'RCC', 'WEB'].map((code) => ({ emulator: `bank:${code}`, agencies: ['bank'], provider: code })),
  { emulator: 'realestate', agencies: ['real-estate registry'] },
  { emulator: 'vehicle', agencies: ['vehicle registry'] },
  { emulator: 'commerce', agencies: ['commerce registry'] },
  { emulator: 'social-insurance', agencies: ['social insurance bureau', 'housing provident fund centre'] },
];

type Path = (string | number)[];

/** Paths at which two JSON values differ (a whole array where the lengths differ). */
export function differences(a: unknown, b: unknown, path: Path = []): Path[] {
  if (Array.isArray(a) && Array.isArray(b)) {
    if (a.length !== b.length) return [path];
    return a.flatMap((item, i) => differences(item, b[i], [...path, i]));
  }
  if (a !== null && b !== null && typeof a === 'object' && typeof b === 'object') {
    const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
    return [...keys].flatMap((key) => differences((a as Record<string, unknown>)[key], (b as Record<string, unknown>)[key], [...path, key]));
  }
  return Object.is(a, b) ? [] : [path];
}

/**
 * The answer without one bank's accounts: a failing bank leaves one null item among the
 * other banks' accounts, so the lists are compared without it (and without its accounts
 * in the healthy answer).
 */
export function withoutBank(data: unknown, bankCode: string): unknown {
  if (Array.isArray(data)) return data.map((item) => withoutBank(item, bankCode));
  if (data === null || typeof data !== 'object') return data;
  return Object.fromEntries(
    Object.entries(data).map(([key, value]) => [
      key,
      key === 'bankAccounts' && Array.isArray(value)
        ? value.filter((a) => a !== null && (a as { bankCode?: string }).bankCode !== bankCode).map((a) => withoutBank(a, bankCode))
        : withoutBank(value, bankCode),
    ]),
  );
}

const startsWith = (path: Path, prefix: Path) => prefix.length <= path.length && prefix.every((p, i) => p === path[i]);

/**
 * Checks that `answer` lost to the failing agency only fields its errors stand for: every
 * error is coded `code` and names the agency (no stack trace), and every difference from
 * the healthy answer lies at or under the path of one of those errors.
 */
export function expectOnlyItsOwnFields(answer: GraphQLAnswer, healthy: GraphQLAnswer, failing: FailingAgency, code: string): void {
  expect(answer.errors?.length).toBeGreaterThan(0);
  for (const error of answer.errors ?? []) {
    expect(error.extensions).toMatchObject({ code, ...(failing.provider ? { provider: failing.provider } : {}) });
    expect(failing.agencies).toContain(error.extensions!.agency);
    expect(error.extensions).not.toHaveProperty('stacktrace');
    expect(error.extensions).not.toHaveProperty('exception');
    const named = error.extensions!.agency === 'bank' ? `bank ${failing.provider}` : String(error.extensions!.agency);
    expect(error.message).toContain(named);
    expect(error.path).toBeDefined();
  }
  expect(JSON.stringify(answer)).not.toMatch(/stacktrace|\bat .*\.[jt]s:\d+/);

  const strip = (data: unknown) => (failing.provider ? withoutBank(data, failing.provider) : data);
  const lost = differences(strip(healthy.data), strip(answer.data));
  const unexplained = lost.filter((path) => !(answer.errors ?? []).some((e) => startsWith(path, e.path ?? [])));
  expect(unexplained).toEqual([]);
}
