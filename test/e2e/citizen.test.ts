/**
 * Citizens and supervisors through the real stack: a court's lookups land in the audit log,
 * the audit subgraph reads the same database, a citizen sees who looked at them (but not
 * while the case is open) and a supervisor reviews the own court only.
 */
import { randomBytes } from 'node:crypto';
import { issueDevToken } from '../../gateway/auth/devIssuer';
import { postInCase } from '../support/courtRequest';
import { postGraphQL } from '../support/postGraphQL';
import { useStack } from '../support/stack';

const stack = useStack({ persons: 300 });

const ACCESS_LOG = '{ accessLog { requestId at callerKind court officer caseNumber operationName fields agencies outcome errorCodes purpose } }';
const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
const citizen = async (idNumber: string) => bearer(await issueDevToken({ kind: 'citizen', idNumber }));
const supervisor = async (court: string) => bearer(await issueDevToken({ kind: 'court', court, officer: `${court}-900`, roles: ['supervise'] }));
/** An operation name no other test uses, to find its record. */
const named = (what: string) => `${what}${randomBytes(4).toString('hex')}`;

interface Access { operationName: string | null; caseNumber: string | null; court: string | null; officer: string | null; outcome: string; callerKind: string; purpose: string | null }

async function accessLog(idNumber: string): Promise<Access[]> {
  const answer = await postGraphQL<{ accessLog: Access[] }>(stack().gateway.url, ACCESS_LOG, undefined, await citizen(idNumber));
  expect(answer.errors).toBeUndefined();
  return answer.data!.accessLog;
}

describe('who looked at me', () => {
  it("hides the officer's lookups in the debtor's active case, and shows a refused lookup stated in a closed case", async () => {
    const { population } = stack();
    const { richDebtor, closedCase } = population.scenarios;
    const closed = population.cases.find((c) => c.caseNumber === closedCase.caseNumber)!;

    const inActiveCase = named('RichLook');
    const allowed = await postInCase(stack().gateway.url, population, richDebtor.caseNumber,
      `query ${inActiveCase}($id: IdNumber!) { person(idNumber: $id) { name vehicles { plateNumber } } }`, { id: richDebtor.idNumber });
    expect(allowed.errors).toBeUndefined();

    const inClosedCase = named('ClosedLook');
    const refused = await postInCase(stack().gateway.url, population, closedCase.caseNumber,
      `query ${inClosedCase}($id: IdNumber!) { person(idNumber: $id) { vehicles { plateNumber } } }`, { id: richDebtor.idNumber });
    expect(refused.errors?.[0]?.extensions).toMatchObject({ code: 'FORBIDDEN', reason: 'CASE_NOT_ACTIVE' });

    const seen = await accessLog(richDebtor.idNumber);
    expect(seen.find((r) => r.operationName === inActiveCase)).toBeUndefined();
    expect(seen.find((r) => r.operationName === inClosedCase)).toMatchObject({
      callerKind: 'COURT',
      court: closed.courtCode,
      officer: closed.officer,
      caseNumber: closedCase.caseNumber,
      outcome: 'REFUSED',
      fields: expect.arrayContaining(['Query.person', 'Person.vehicles']),
      agencies: [],
    });
    // Nobody else sees either.
    const others = await accessLog(richDebtor.spouseIdNumber);
    expect(others.map((r) => r.operationName)).not.toContain(inActiveCase);
    expect(others.map((r) => r.operationName)).not.toContain(inClosedCase);
  });

  it("shows the closed case's debtor the lookup of them in that case", async () => {
    const { population } = stack();
    const { closedCase } = population.scenarios;
    const op = named('ClosedDebtor');
    await postInCase(stack().gateway.url, population, closedCase.caseNumber,
      `query ${op}($id: IdNumber!) { person(idNumber: $id) { name } }`, { id: closedCase.debtorIdNumber });
    const seen = await accessLog(closedCase.debtorIdNumber);
    expect(seen.find((r) => r.operationName === op)).toMatchObject({ caseNumber: closedCase.caseNumber, outcome: 'REFUSED' });
  });

  it("shows why the court searched: a search service's token's purpose, none for the officer's own request", async () => {
    const { population } = stack();
    const { closedCase } = population.scenarios;
    const closed = population.cases.find((c) => c.caseNumber === closedCase.caseNumber)!;
    const query = (op: string) => `query ${op}($id: IdNumber!) { person(idNumber: $id) { name } }`;
    const swept = named('Swept');
    const sweepToken = await issueDevToken({ kind: 'court', court: closed.courtCode, officer: closed.officer, roles: ['query'], purpose: 'SWEEP' });
    await postGraphQL(stack().gateway.url, query(swept), { id: closedCase.debtorIdNumber }, {
      ...bearer(sweepToken),
      'x-case-number': encodeURIComponent(closedCase.caseNumber),
    });
    const own = named('OwnLook');
    await postInCase(stack().gateway.url, population, closedCase.caseNumber, query(own), { id: closedCase.debtorIdNumber });

    const seen = await accessLog(closedCase.debtorIdNumber);
    expect(seen.find((r) => r.operationName === swept)).toMatchObject({ officer: closed.officer, caseNumber: closedCase.caseNumber, purpose: 'SWEEP' });
    expect(seen.find((r) => r.operationName === own)).toMatchObject({ officer: closed.officer, caseNumber: closedCase.caseNumber, purpose: null });
  });

  it('refuses a citizen token the court fields, and a court token the access log', async () => {
    const { population } = stack();
    const { richDebtor } = population.scenarios;
    const asCitizen = await postGraphQL(stack().gateway.url, '{ person(idNumber: "330106197504189356") { name } }', undefined, await citizen(richDebtor.idNumber));
    expect(asCitizen.data ?? null).toBeNull();
    expect(asCitizen.errors?.[0]?.extensions).toMatchObject({ code: 'FORBIDDEN', reason: 'MISSING_ROLE' });

    const asCourt = await postInCase(stack().gateway.url, population, richDebtor.caseNumber, ACCESS_LOG);
    expect(asCourt.errors?.[0]?.extensions).toMatchObject({ code: 'FORBIDDEN', reason: 'MISSING_ROLE' });
  });
});

describe("a supervisor's review", () => {
  const REVIEW = `query Review($court: String!) { auditReview(court: $court) {
    court total officers { officer count refused } cases { caseNumber count } outliers { record { operationName officer caseNumber } reasons } } }`;

  it('reviews the own court: per officer, per case, and the outliers', async () => {
    const { population } = stack();
    const { richDebtor } = population.scenarios;
    const rich = population.cases.find((c) => c.caseNumber === richDebtor.caseNumber)!;
    const op = named('SpouseLook');
    const refused = await postInCase(stack().gateway.url, population, richDebtor.caseNumber,
      `query ${op}($id: IdNumber!) { person(idNumber: $id) { vehicles { plateNumber } } }`, { id: richDebtor.spouseIdNumber });
    expect(refused.errors?.[0]?.extensions).toMatchObject({ code: 'FORBIDDEN', reason: 'NOT_A_DEBTOR' });

    const answer = await postGraphQL(stack().gateway.url, REVIEW, { court: '浙0106' }, await supervisor('浙0106'));
    expect(answer.errors).toBeUndefined();
    const review = answer.data!.auditReview;
    expect(review.court).toBe('浙0106');
    expect(review.total).toBeGreaterThanOrEqual(1);
    const officer = review.officers.find((o: { officer: string }) => o.officer === rich.officer);
    expect(officer.count).toBeGreaterThanOrEqual(1);
    expect(officer.refused).toBeGreaterThanOrEqual(1);
    expect(review.cases.find((c: { caseNumber: string }) => c.caseNumber === rich.caseNumber).count).toBeGreaterThanOrEqual(1);
    expect(review.outliers).toContainEqual({
      record: { operationName: op, officer: rich.officer, caseNumber: rich.caseNumber },
      reasons: ['NOT_A_DEBTOR'],
    });
  });

  it("is refused another court's review", async () => {
    const answer = await postGraphQL(stack().gateway.url, REVIEW, { court: '浙0203' }, await supervisor('浙0106'));
    expect(answer.data ?? null).toBeNull();
    expect(answer.errors?.[0]?.extensions).toMatchObject({ code: 'FORBIDDEN', reason: 'OTHER_COURT_DOCKET' });
  });

  it('needs the supervise role', async () => {
    const { population } = stack();
    const answer = await postInCase(stack().gateway.url, population, population.scenarios.richDebtor.caseNumber, REVIEW, { court: '浙0106' }, { stateCase: false });
    expect(answer.errors?.[0]?.extensions).toMatchObject({ code: 'FORBIDDEN', reason: 'MISSING_ROLE' });
  });

  it("reviews the docket but cannot read a debtor's assets through it: asset fields need the query role", async () => {
    const { population } = stack();
    const rich = population.scenarios.richDebtor;
    const walk = `{ cases(court: "浙0106", first: 100) { edges { node { caseNumber debtors { ... on Person { idNumber bankAccounts { balance } vehicles { vin } } } } } } }`;
    const answer = await postGraphQL(stack().gateway.url, walk, undefined, {
      ...(await supervisor('浙0106')),
      'x-case-number': encodeURIComponent(rich.caseNumber),
    });
    expect(answer.data ?? null).toBeNull();
    expect(answer.errors?.[0]?.extensions).toMatchObject({ code: 'FORBIDDEN', reason: 'MISSING_ROLE' });
    expect(answer.errors?.[0]?.message).toMatch(/Person\.(bankAccounts|vehicles) needs the role query/);
  });
});
