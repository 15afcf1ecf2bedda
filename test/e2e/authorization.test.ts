/**
 * The authorization matrix through HTTP: every refusal has its code and reason, reaches no
 * agency, and is audited like every allowed request.
 */
import { issueDevToken } from '../../gateway/auth/devIssuer';
import { type OfficerOptions, officerHeaders, postInCase } from '../support/courtRequest';
import { postGraphQL } from '../support/postGraphQL';
import { callCounts, useStack } from '../support/stack';

const stack = useStack({ persons: 300 });

const agencyCalls = () => Object.values(callCounts(stack().emulators)).reduce((a, b) => a + b, 0);
const callsExceptCaseSystem = () => agencyCalls() - stack().emulators.court!.calls.length;

async function auditOf(requestCount: number) {
  // The audit is written before each answer leaves, so it is complete by now.
  const rows = await stack().gateway.audit.reviewOf('浙0106');
  return rows.slice(-requestCount);
}

/** The newest audit record about `subject` is this refusal. */
async function expectAuditedRefusal(subject: string, code: string): Promise<void> {
  const [latest] = await stack().gateway.audit.accessesOf(subject, { limit: 1 });
  expect(latest).toMatchObject({ subjects: [subject], outcome: 'REFUSED', errorCodes: [code], agencies: [] });
}

describe('who may ask', () => {
  const personQuery = (id: string) => `{ person(idNumber: "${id}") { name vehicles { vin } } }`;

  it.each([
    ['no token', async () => ({ 'x-case-number': encodeURIComponent(stack().population.scenarios.richDebtor.caseNumber) }), 401, 'UNAUTHENTICATED', 'NO_TOKEN'],
    ['a malformed token', async () => ({ authorization: 'Bearer not-a-jwt' }), 401, 'UNAUTHENTICATED', 'MALFORMED'],
    ['an expired token', async () => ({ authorization: `Bearer ${await issueDevToken({ kind: 'court', court: '浙0106', officer: 'x', roles: ['query'] }, { issuedAt: Math.floor(Date.now() / 1000) - 100_000, ttlSeconds: 60 })}` }), 401, 'UNAUTHENTICATED', 'EXPIRED'],
    ['a token with a forged signature', async () => {
      const token = await issueDevToken({ kind: 'court', court: '浙0106', officer: 'x', roles: ['query'] });
      const [h, p] = token.split('.');
      return { authorization: `Bearer ${h}.${p}.${'A'.repeat(86)}` };
    }, 401, 'UNAUTHENTICATED', 'BAD_SIGNATURE'],
  ])('refuses %s with 401 before any agency is called', async (_what, headers, status, code, reason) => {
    const { gateway, population } = stack();
    const answer = await postGraphQL(gateway.url, personQuery(population.scenarios.richDebtor.idNumber), undefined, await headers());
    expect(answer.status).toBe(status);
    expect(answer.data).toBeUndefined();
    expect(answer.errors?.[0]?.extensions).toMatchObject({ code, reason });
    expect(callsExceptCaseSystem()).toBe(0);
    await expectAuditedRefusal(population.scenarios.richDebtor.idNumber, code);
  });

  it.each<[string, OfficerOptions, string]>([
    ['a court that does not handle the case', { court: '浙0203' }, 'WRONG_COURT'],
    ['an officer without the query role', { roles: ['control'] }, 'MISSING_ROLE'],
    ['no stated case', { stateCase: false }, 'CASE_REQUIRED'],
  ])('refuses %s with FORBIDDEN', async (_what, options, reason) => {
    const { gateway, population } = stack();
    const rich = population.scenarios.richDebtor;
    const answer = await postInCase(gateway.url, population, rich.caseNumber, personQuery(rich.idNumber), undefined, options);
    expect(answer.status).toBe(403);
    expect(answer.errors?.[0]?.extensions).toMatchObject({ code: 'FORBIDDEN', reason });
    expect(callsExceptCaseSystem()).toBe(0);
    await expectAuditedRefusal(rich.idNumber, 'FORBIDDEN');
  });

  it('refuses a closed case', async () => {
    const { gateway, population } = stack();
    const { caseNumber, debtorIdNumber } = population.scenarios.closedCase;
    const answer = await postInCase(gateway.url, population, caseNumber, personQuery(debtorIdNumber));
    expect(answer.status).toBe(403);
    expect(answer.errors?.[0]).toMatchObject({ message: `Case ${caseNumber} is closed: assets may be looked up only in an active case.`, extensions: { code: 'FORBIDDEN', reason: 'CASE_NOT_ACTIVE' } });
    expect(callsExceptCaseSystem()).toBe(0);
  });

  it('refuses a subject who is not a debtor of the stated case (the debtor’s spouse)', async () => {
    const { gateway, population } = stack();
    const rich = population.scenarios.richDebtor;
    const answer = await postInCase(gateway.url, population, rich.caseNumber, personQuery(rich.spouseIdNumber));
    expect(answer.status).toBe(403);
    expect(answer.errors?.[0]?.extensions).toMatchObject({ code: 'FORBIDDEN', reason: 'NOT_A_DEBTOR' });
    expect(callsExceptCaseSystem()).toBe(0);
  });

  it('hides the assets of a co-owner reached through a debtor’s flat, per entity, and asks no agency about her', async () => {
    const { gateway, population, emulators } = stack();
    const rich = population.scenarios.richDebtor;
    const answer = await postInCase(
      gateway.url,
      population,
      rich.caseNumber,
      `{ person(idNumber: "${rich.idNumber}") { realEstate { unitNumber owners { owner { ... on Person { idNumber name vehicles { vin } } } } } } }`,
    );
    const joint = answer.data!.person.realEstate.find((u: { unitNumber: string }) => u.unitNumber === rich.jointUnitNumber);
    const spouse = joint.owners.find((o: { owner: { idNumber: string } }) => o.owner.idNumber === rich.spouseIdNumber).owner;
    const self = joint.owners.find((o: { owner: { idNumber: string } }) => o.owner.idNumber === rich.idNumber).owner;
    expect(spouse).toMatchObject({ idNumber: rich.spouseIdNumber, vehicles: null });
    expect(typeof spouse.name).toBe('string'); // identity is not an asset
    expect(self.vehicles.length).toBeGreaterThan(0);
    expect(answer.errors?.every((e) => e.extensions?.code === 'FORBIDDEN' && e.extensions?.reason === 'NOT_A_DEBTOR')).toBe(true);
    expect(answer.errors?.length).toBeGreaterThan(0);
    expect(emulators.vehicle!.calls.map((c) => JSON.stringify(c.body)).join()).not.toContain(rich.spouseIdNumber);
  });

  it('lets an officer list only the own court’s docket', async () => {
    const { gateway, population } = stack();
    const headers = await officerHeaders(population, population.scenarios.richDebtor.caseNumber, { stateCase: false });
    const own = await postGraphQL(gateway.url, '{ cases(court: "浙0106", first: 2) { totalCount } }', undefined, headers);
    expect(own.errors).toBeUndefined();
    const other = await postGraphQL(gateway.url, '{ cases(court: "浙0203", first: 2) { totalCount } }', undefined, headers);
    expect(other.errors?.[0]?.extensions).toMatchObject({ code: 'FORBIDDEN', reason: 'OTHER_COURT_DOCKET' });
  });

  it('writes one audit record per request, allowed or refused, to a chain that verifies', async () => {
    const { gateway, population } = stack();
    const rich = population.scenarios.richDebtor;
    await postInCase(gateway.url, population, rich.caseNumber, personQuery(rich.idNumber));
    await postInCase(gateway.url, population, rich.caseNumber, personQuery(rich.spouseIdNumber));
    const [allowed, refused] = await auditOf(2);
    expect(allowed).toMatchObject({
      caller: { kind: 'court', court: '浙0106' },
      caseNumber: rich.caseNumber,
      subjects: [rich.idNumber],
      outcome: 'ANSWERED',
      errorCodes: [],
    });
    expect(allowed!.fields).toEqual(expect.arrayContaining(['Query.person', 'Person.vehicles']));
    expect(allowed!.agencies).toEqual(expect.arrayContaining(['court', 'vehicle']));
    expect(refused).toMatchObject({ caseNumber: rich.caseNumber, subjects: [rich.spouseIdNumber], outcome: 'REFUSED', errorCodes: ['FORBIDDEN'], agencies: [] });
    await expect(gateway.audit.verify()).resolves.toMatchObject({ ok: true });
  });
});
