import { accessDenied } from '../../lib/errors/accessDenied';
import type { CaseFacts } from '../context';

/** Looks a case up (CaseDirectory, through requestCaseLookup); null when no court has it. */
export type LookupCase = (caseNumber: string) => Promise<CaseFacts | null>;

/** What the binding reads of an operation (OperationAccess): the case numbers and subjects named at each root field. */
export interface NamedAtRoots {
  roots: readonly { subjects: readonly string[]; caseNumbers: readonly string[] }[];
}

export interface BindCaseInput {
  /** The court of the officer asking (the caller is known to be a court officer). */
  court: string;
  access: NamedAtRoots;
  /** The case number the request states (`x-case-number`), if any. */
  statedCase: string | undefined;
  lookupCase: LookupCase;
}

/**
 * Binds an officer's request to the case it states: the case exists, is the officer's
 * court's, is active, is the only case the operation names, and every subject named at the
 * root is one of its debtors. Throws the first refusal; returns the checked facts, which the
 * signed subgraph calls then carry (debtors, outstanding amount).
 */
export async function bindCase(input: BindCaseInput): Promise<CaseFacts> {
  const { court, access, statedCase } = input;
  if (!statedCase) {
    throw accessDenied('CASE_REQUIRED', 'State the enforcement case this request serves in the "x-case-number" header.');
  }
  const facts = await input.lookupCase(statedCase);
  if (!facts) throw accessDenied('CASE_NOT_FOUND', `No court has case ${statedCase}.`, { caseNumber: statedCase });
  if (facts.courtCode !== court) {
    throw accessDenied('WRONG_COURT', `Case ${facts.caseNumber} belongs to court ${facts.courtCode}, not to ${court}.`, { caseNumber: facts.caseNumber });
  }
  if (facts.status !== 'ACTIVE') {
    throw accessDenied('CASE_NOT_ACTIVE', `Case ${facts.caseNumber} is ${facts.status.toLowerCase()}: assets may be looked up only in an active case.`, { caseNumber: facts.caseNumber });
  }
  const otherCase = access.roots.flatMap((r) => r.caseNumbers).find((n) => n !== facts.caseNumber);
  if (otherCase !== undefined) {
    throw accessDenied('WRONG_CASE', `The request states case ${facts.caseNumber} but asks for case ${otherCase}.`, { caseNumber: facts.caseNumber });
  }
  const debtors = new Set(facts.debtors);
  const outsider = access.roots.flatMap((r) => r.subjects).find((s) => !debtors.has(s));
  if (outsider !== undefined) {
    throw accessDenied('NOT_A_DEBTOR', `A subject of this request is not a debtor of case ${facts.caseNumber}.`, { caseNumber: facts.caseNumber });
  }
  return facts;
}

/**
 * Binds an applicant's own view to its case: the one case named in the root arguments (no
 * header needed), which lists the citizen among its applicants. Returns its number only: the
 * view is recorded and signed under it, but without the case's facts, so no debtor's asset
 * field answers for a citizen.
 */
export async function bindPartyCase(idNumber: string, access: NamedAtRoots, lookupCase: LookupCase): Promise<string> {
  const named = [...new Set(access.roots.flatMap((r) => r.caseNumbers))];
  if (named.length !== 1) throw accessDenied('NOT_A_PARTY', 'Name exactly one case you are a party to.');
  const facts = await lookupCase(named[0]!);
  if (!facts || !facts.applicants.includes(idNumber)) {
    // The same answer whether the case exists or not: a citizen learns nothing about others' cases.
    throw accessDenied('NOT_A_PARTY', `You are not an applicant in case ${named[0]}.`);
  }
  return facts.caseNumber;
}
