import type { Caller, CaseFacts } from '../../../../gateway/context';
import type { AccessRules, FieldAccess } from '../../../../gateway/authorization/accessRules';
import { authorizeOperation } from '../../../../gateway/authorization/authorizeOperation';
import type { OperationAccess, RootAccess } from '../../../../gateway/authorization/operationAccess';

const CASE: CaseFacts = {
  caseNumber: '(2025)浙0106执1001号',
  courtCode: '浙0106',
  status: 'ACTIVE',
  debtors: ['330106197504189356', '91330106MA4X00001R'],
  applicants: ['330106196811119999'],
  outstandingFen: 123_456,
};
const officer: Caller = { kind: 'court', court: '浙0106', officer: '浙0106-007', roles: ['query'] };
const rule = (r: Partial<FieldAccess>): FieldAccess => ({ authenticated: false, scopes: null, policies: null, ...r });
const RULES: AccessRules = new Map([
  ['Query.person', rule({ scopes: [['query']], policies: [['case_bound']] })],
  ['Query.case', rule({ scopes: [['query']], policies: [['case_bound']] })],
  ['Query.cases', rule({ scopes: [['query'], ['supervise']], policies: [['own_court']] })],
  ['Query.courts', rule({ authenticated: true })],
  ['Query.caseBound', rule({ policies: [['case_bound']] })],
  ['Person.vehicles', rule({ policies: [['case_debtor']] })],
]);

function access(coordinates: string[], roots: Partial<RootAccess>[] = []): OperationAccess {
  return {
    operation: {} as OperationAccess['operation'],
    coordinates: new Set(coordinates),
    roots: roots.map((r) => ({ field: 'person', subjects: [], caseNumbers: [], courts: [], ...r })),
  };
}

async function refusal(promise: Promise<unknown>) {
  const error = await promise.then(() => undefined, (e: unknown) => e as { message: string; extensions: Record<string, unknown> });
  return error && { message: error.message, extensions: error.extensions };
}

const run = (over: { caller?: Caller | undefined; access: OperationAccess; statedCase?: string; facts?: CaseFacts | null }) => {
  const lookups: string[] = [];
  const promise = authorizeOperation({
    caller: 'caller' in over ? over.caller : officer,
    access: over.access,
    rules: RULES,
    statedCase: over.statedCase,
    lookupCase: async (n) => {
      lookups.push(n);
      return over.facts === undefined ? CASE : over.facts;
    },
  });
  return { promise, lookups };
};

describe('authorizeOperation', () => {
  it('lets an officer of the court look up a debtor of an active case of that court', async () => {
    const { promise, lookups } = run({ access: access(['Query.person', 'Person.vehicles'], [{ subjects: [CASE.debtors[0]!] }]), statedCase: CASE.caseNumber });
    await expect(promise).resolves.toEqual({ case: CASE, subjects: [CASE.debtors[0]] });
    expect(lookups).toEqual([CASE.caseNumber]);
  });

  it('needs no case for open fields and asks no case system', async () => {
    const { promise, lookups } = run({ access: access(['Query.courts']) });
    await expect(promise).resolves.toEqual({ case: undefined, subjects: [] });
    expect(lookups).toEqual([]);
  });

  it.each([
    ['no token', { caller: undefined, access: access(['Query.courts']) }, 'UNAUTHENTICATED', 'NO_TOKEN', 'Query.courts needs a signed token: send "Authorization: Bearer <token>".'],
    ['a missing role', { caller: { ...officer, roles: ['control'] } as Caller, access: access(['Query.person'], [{ subjects: [CASE.debtors[0]!] }]), statedCase: CASE.caseNumber }, 'FORBIDDEN', 'MISSING_ROLE', 'Query.person needs the role query.'],
    ['a citizen asking for a person', { caller: { kind: 'citizen', idNumber: CASE.debtors[0]! } as Caller, access: access(['Query.person']) }, 'FORBIDDEN', 'MISSING_ROLE', 'Query.person needs the role query.'],
    ['a citizen on a field bound to a case that names no role', { caller: { kind: 'citizen', idNumber: CASE.debtors[0]! } as Caller, access: access(['Query.caseBound']) }, 'FORBIDDEN', 'NOT_A_COURT',
      'Only court officers may look up cases, persons or companies.'],
    ['no stated case', { access: access(['Query.person'], [{ subjects: [CASE.debtors[0]!] }]) }, 'FORBIDDEN', 'CASE_REQUIRED', 'State the enforcement case this request serves in the "x-case-number" header.'],
    ['an unknown case', { access: access(['Query.person'], [{ subjects: [CASE.debtors[0]!] }]), statedCase: CASE.caseNumber, facts: null }, 'FORBIDDEN', 'CASE_NOT_FOUND', `No court has case ${CASE.caseNumber}.`],
    ['another court’s case', { caller: { ...officer, court: '浙0203' } as Caller, access: access(['Query.person'], [{ subjects: [CASE.debtors[0]!] }]), statedCase: CASE.caseNumber }, 'FORBIDDEN', 'WRONG_COURT', `Case ${CASE.caseNumber} belongs to court 浙0106, not to 浙0203.`],
    ['a closed case', { access: access(['Query.person'], [{ subjects: [CASE.debtors[0]!] }]), statedCase: CASE.caseNumber, facts: { ...CASE, status: 'CLOSED' } as CaseFacts }, 'FORBIDDEN', 'CASE_NOT_ACTIVE', `Case ${CASE.caseNumber} is closed: assets may be looked up only in an active case.`],
    ['a subject who is not a debtor', { access: access(['Query.person'], [{ subjects: [CASE.applicants[0]!] }]), statedCase: CASE.caseNumber }, 'FORBIDDEN', 'NOT_A_DEBTOR', `A subject of this request is not a debtor of case ${CASE.caseNumber}.`],
    ['a case other than the stated one', { access: access(['Query.case'], [{ field: 'case', caseNumbers: ['(2025)浙0106执1002号'] }]), statedCase: CASE.caseNumber }, 'FORBIDDEN', 'WRONG_CASE', `The request states case ${CASE.caseNumber} but asks for case (2025)浙0106执1002号.`],
    ['another court’s docket', { access: access(['Query.cases'], [{ field: 'cases', courts: ['浙0203'] }]) }, 'FORBIDDEN', 'OTHER_COURT_DOCKET', 'Court 浙0106 may list only its own docket, not that of 浙0203.'],
  ])('refuses %s', async (_what, over, code, reason, message) => {
    const error = await refusal(run(over as Parameters<typeof run>[0]).promise);
    expect(error).toEqual({ message, extensions: expect.objectContaining({ code, reason }) });
    expect(error!.extensions.http).toMatchObject({ status: code === 'UNAUTHENTICATED' ? 401 : 403 });
  });

  it('asks for a case when an asset field is reached from a docket walk', async () => {
    const error = await refusal(run({ access: access(['Query.cases', 'Person.vehicles'], [{ field: 'cases', courts: ['浙0106'] }]) }).promise);
    expect(error?.extensions.reason).toBe('CASE_REQUIRED');
  });
});
