import { bindCase, bindPartyCase } from '../caseBinding/bindCase';
import type { Caller, CaseFacts } from '../context';
import { accessDenied } from '../../lib/errors/accessDenied';
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
 * authentication and roles from @authenticated / @requiresScopes, and which @policy applies;
 * the case checks themselves are the case binding's (caseBinding/bindCase.ts). Throws the
 * first refusal; per-entity `case_debtor` checks happen at fetch time.
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

  return { case: await bindCase({ court: caller.court, access, statedCase: input.statedCase, lookupCase: input.lookupCase }), subjects };
}

/** An applicant's own view of a case: a citizen, bound to the case the view names (bindPartyCase). */
async function authorizeOwnParty(input: AuthorizationInput, subjects: string[]): Promise<Authorized> {
  const { caller, access } = input;
  if (!caller) throw accessDenied('NO_TOKEN', 'This operation needs a signed token: send "Authorization: Bearer <token>".');
  if (caller.kind !== 'citizen') throw accessDenied('NOT_A_PARTY', 'This view is for the parties of a case; courts use `case`.');
  return { case: undefined, partyCase: await bindPartyCase(caller.idNumber, access, input.lookupCase), subjects };
}
