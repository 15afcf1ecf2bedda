/**
 * What the fault suites share: the one-stop dossier of the rich debtor's case, the agencies
 * behind it with the names their errors carry, and checks that a failing agency cost only
 * its own fields.
 */
import { Kind, parse, print, visit } from 'graphql';
import { DOSSIER as DOCUMENTED_DOSSIER } from '../../schemas/courtOperations';
import type { GraphQLAnswer } from './postGraphQL';

/**
 * The documented Dossier (schemas/courtOperations.ts) with `bankCode` on every bank account:
 * a failing bank costs only its own accounts, and only their bank code tells them apart from
 * the other banks' (a company's accounts name no bank in the documented text).
 */
export const DOSSIER = print(
  visit(parse(DOCUMENTED_DOSSIER), {
    Field(node) {
      if (node.name.value !== 'bankAccounts' || node.selectionSet === undefined) return undefined;
      const bankCode = { kind: Kind.FIELD, name: { kind: Kind.NAME, value: 'bankCode' } } as const;
      return { ...node, selectionSet: { ...node.selectionSet, selections: [bankCode, ...node.selectionSet.selections] } };
    },
  }),
);

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
 * in the healthy answer). Its `bankInquiry` entry is left out too: that it changes is the
 * point of the field (checked in expectOnlyItsOwnFields).
 */
export function withoutBank(data: unknown, bankCode: string): unknown {
  if (Array.isArray(data)) return data.map((item) => withoutBank(item, bankCode));
  if (data === null || typeof data !== 'object') return data;
  return Object.fromEntries(
    Object.entries(data).map(([key, value]) => [
      key,
      key === 'bankAccounts' && Array.isArray(value)
        ? value.filter((a) => a !== null && (a as { bankCode?: string }).bankCode !== bankCode).map((a) => withoutBank(a, bankCode))
        : key === 'bankInquiry' && Array.isArray(value)
          ? value.filter((entry) => inquiredBank(entry) !== bankCode)
          : withoutBank(value, bankCode),
    ]),
  );
}

const inquiredBank = (entry: unknown) => (entry as { bank?: { code?: string } } | null)?.bank?.code;

/** Every `bankInquiry` entry of one bank in an answer. */
function inquiriesOf(data: unknown, bankCode: string): { status?: string }[] {
  if (Array.isArray(data)) return data.flatMap((item) => inquiriesOf(item, bankCode));
  if (data === null || typeof data !== 'object') return [];
  return Object.entries(data).flatMap(([key, value]) =>
    key === 'bankInquiry' && Array.isArray(value) ? value.filter((entry) => inquiredBank(entry) === bankCode) : inquiriesOf(value, bankCode),
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

  if (failing.provider) {
    // The inquiry says which bank did not answer: the healthy answer's entries all ANSWERED.
    expect(inquiriesOf(healthy.data, failing.provider).map((entry) => entry.status)).toEqual(['ANSWERED']);
    expect(inquiriesOf(answer.data, failing.provider)).toEqual([{ bank: { code: failing.provider }, status: expect.not.stringMatching(/^ANSWERED$/) }]);
  }
  const strip = (data: unknown) => (failing.provider ? withoutBank(data, failing.provider) : data);
  const lost = differences(strip(healthy.data), strip(answer.data));
  const unexplained = lost.filter((path) => !(answer.errors ?? []).some((e) => startsWith(path, e.path ?? [])));
  expect(unexplained).toEqual([]);
}
