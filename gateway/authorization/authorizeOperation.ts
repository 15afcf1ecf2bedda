import type { Caller, CaseFacts } from '../context';
import { accessDenied } from './accessDenied';
import type { AccessRules } from './accessRules';
import type { OperationAccess } from './operationAccess';

/** Policy names this gateway evaluates; a supergraph naming any other is refused at start. */
export const POLICIES = {
  /** Root field: the subjects it names must be debtors of the stated active case of the caller's court. */
  CASE_BOUND: 'case_bound',
  /** Root field: a `court` argument must be the caller's own court. */
  OWN_COURT: 'own_court',
  /** Entity field: answered only for debtors of the stated case (enforced per entity, see entityPolicy.ts). */
  CASE_DEBTOR: 'case_debtor',
  /** Root field: a citizen asks about a case in which they are an applicant (申请执行人). */
  OWN_PARTY: 'own_party',
} as const;

export const KNOWN_POLICIES = new Set<string>(Object.values(POLICIES));

export interface AuthorizationInput {
  caller: Caller | undefined;
  access: OperationAccess;
  rules: AccessRules;
  /** The case number the request states, if any. */
  statedCase: string | undefined;
  /** Looks the stated case up; called only when the operation needs it. */
  lookupCase(caseNumber: string): Promise<CaseFacts | null>;
}

export interface Authorized {
  /** The checked case, when the operation needed one. */
  case: CaseFacts | undefined;
  /**
   * The case an applicant's view is about: recorded in the audit and told to subgraphs, but
   * without the case's facts, so no debtor's asset field answers for a citizen.
   */
  partyCase?: string;
  /** Every subject named at the root. */
  subjects: string[];
}

/**
 * Decides, before any subgraph is called, whether the caller may run the operation:
 * authentication and roles from @authenticated / @requiresScopes, and the case binding of
 * @policy. Throws the first refusal; per-entity `case_debtor` checks happen at fetch time.
 */
export async function authorizeOperation(input: AuthorizationInput): Promise<Authorized> {
  const { caller, access, rules } = input;
  const policies = new Set<string>();

  for (const coordinate of access.coordinates) {
    const rule = rules.get(coordinate);
    if (!rule) continue;
    if ((rule.authenticated || rule.scopes || rule.policies) && !caller) {
      throw accessDenied('NO_TOKEN', `${coordinate} needs a signed token: send "Authorization: Bearer <token>".`);
    }
    if (rule.scopes && caller) {
      const held = new Set<string>(caller.kind === 'court' ? caller.roles : ['citizen']);
      if (!rule.scopes.some((all) => all.every((scope) => held.has(scope)))) {
        const needed = rule.scopes.map((all) => all.join(' and ')).join(' or ');
        throw accessDenied('MISSING_ROLE', `${coordinate} needs the role ${needed}.`, { field: coordinate });
      }
    }
    for (const alternatives of rule.policies ?? []) for (const p of alternatives) policies.add(p);
  }

  const subjects = access.roots.flatMap((r) => r.subjects);
  if (policies.has(POLICIES.OWN_PARTY)) return authorizeOwnParty(input, subjects);
  const needsCase = policies.has(POLICIES.CASE_BOUND) || policies.has(POLICIES.CASE_DEBTOR);
  if (!needsCase && !policies.has(POLICIES.OWN_COURT)) return { case: undefined, subjects };
  if (!caller) throw accessDenied('NO_TOKEN', 'This operation needs a signed token: send "Authorization: Bearer <token>".');
  if (caller.kind !== 'court') throw accessDenied('NOT_A_COURT', 'Only court officers may look up cases, persons or companies.');

  if (policies.has(POLICIES.OWN_COURT)) {
    const other = access.roots.flatMap((r) => r.courts).find((court) => court !== caller.court);
    if (other !== undefined) {
      throw accessDenied('OTHER_COURT_DOCKET', `Court ${caller.court} may list only its own docket, not that of ${other}.`);
    }
  }
  if (!needsCase) return { case: undefined, subjects };

  if (!input.statedCase) {
    throw accessDenied('CASE_REQUIRED', 'State the enforcement case this request serves in the "x-case-number" header.');
  }
  const facts = await input.lookupCase(input.statedCase);
  if (!facts) throw accessDenied('CASE_NOT_FOUND', `No court has case ${input.statedCase}.`, { caseNumber: input.statedCase });
  if (facts.courtCode !== caller.court) {
    throw accessDenied('WRONG_COURT', `Case ${facts.caseNumber} belongs to court ${facts.courtCode}, not to ${caller.court}.`, { caseNumber: facts.caseNumber });
  }
  if (facts.status !== 'ACTIVE') {
    throw accessDenied('CASE_NOT_ACTIVE', `Case ${facts.caseNumber} is ${facts.status.toLowerCase()}: assets may be looked up only in an active case.`, { caseNumber: facts.caseNumber });
  }
  const otherCase = access.roots.flatMap((r) => r.caseNumbers).find((n) => n !== facts.caseNumber);
  if (otherCase !== undefined) {
    throw accessDenied('WRONG_CASE', `The request states case ${facts.caseNumber} but asks for case ${otherCase}.`, { caseNumber: facts.caseNumber });
  }
  const debtors = new Set(facts.debtors);
  const outsider = subjects.find((s) => !debtors.has(s));
  if (outsider !== undefined) {
    throw accessDenied('NOT_A_DEBTOR', `A subject of this request is not a debtor of case ${facts.caseNumber}.`, { caseNumber: facts.caseNumber });
  }
  return { case: facts, subjects };
}

/**
 * An applicant's own view of a case: a citizen whose ID number the case lists among its
 * applicants, and only that case (named in the root arguments; no header needed).
 */
async function authorizeOwnParty(input: AuthorizationInput, subjects: string[]): Promise<Authorized> {
  const { caller, access } = input;
  if (!caller) throw accessDenied('NO_TOKEN', 'This operation needs a signed token: send "Authorization: Bearer <token>".');
  if (caller.kind !== 'citizen') throw accessDenied('NOT_A_PARTY', 'This view is for the parties of a case; courts use `case`.');
  const named = [...new Set(access.roots.flatMap((r) => r.caseNumbers))];
  if (named.length !== 1) throw accessDenied('NOT_A_PARTY', 'Name exactly one case you are a party to.');
  const facts = await input.lookupCase(named[0]!);
  if (!facts || !facts.applicants.includes(caller.idNumber)) {
    // The same answer whether the case exists or not: a citizen learns nothing about others' cases.
    throw accessDenied('NOT_A_PARTY', `You are not an applicant in case ${named[0]}.`);
  }
  return { case: undefined, partyCase: facts.caseNumber, subjects };
}
