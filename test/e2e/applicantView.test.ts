import { issueDevToken } from '../../gateway/auth/devIssuer';
import { postInCase } from '../support/courtRequest';
import { postGraphQL } from '../support/postGraphQL';
import { useStack } from '../support/stack';

/** An applicant follows their own case with a citizen token; nobody else can. */
const stack = useStack({ persons: 200 });

const PROGRESS = `query Progress($case: CaseNumber!) {
  caseProgress(caseNumber: $case) { caseNumber status court { code } amountDue outstanding recovered filedOn }
}`;
const asCitizen = async (idNumber: string) => ({ authorization: `Bearer ${await issueDevToken({ kind: 'citizen', idNumber })}` });

describe("an applicant's view of the case", () => {
  const twoCourts = () => stack().population.scenarios.debtorInTwoCourts;
  const caseRecord = (caseNumber: string) => stack().population.cases.find((c) => c.caseNumber === caseNumber)!;
  const applicantOf = (caseNumber: string) => {
    const party = caseRecord(caseNumber).applicants[0]!;
    if (party.kind !== 'PERSON') throw new Error('the scenario has a person as applicant');
    return party.idNumber;
  };

  it('shows the applicant the amounts, exactly, and audits the look under the case', async () => {
    const caseNumber = twoCourts().caseNumbers[0];
    const answer = await postGraphQL(stack().gateway.url, PROGRESS, { case: caseNumber }, await asCitizen(applicantOf(caseNumber)));
    expect(answer.errors).toBeUndefined();
    // 300,000.00 due, 210,000.00 outstanding: 90,000.00 recovered.
    expect(answer.data).toEqual({
      caseProgress: { caseNumber, status: 'ACTIVE', court: { code: '浙0106' }, amountDue: '300000.00', outstanding: '210000.00', recovered: '90000.00', filedOn: '2024-09-01' },
    });
    const [record] = (await stack().gateway.audit.accessesInCases([caseNumber], ['Query.caseProgress'])).slice(-1);
    expect(record).toMatchObject({ caller: { kind: 'citizen', idNumber: applicantOf(caseNumber) }, caseNumber, outcome: 'ANSWERED', agencies: ['court'] });
  });

  it("lists what the agencies did in the case, in summary, and nothing that leads on to the debtor's records", async () => {
    const { caseNumbers, unitNumber } = stack().population.scenarios.contestedHouse;
    const caseNumber = caseNumbers[0];
    const sealed = await postInCase(stack().gateway.url, stack().population, caseNumber,
      'mutation { sealRealEstate(input: { requestId: "progress-1", unitNumber: "' + unitNumber + '", documentNumber: "D-1", termDays: 1095 }) { seal { status servedAt termEnd } } }',
      undefined, { roles: ['query', 'control'] });
    const seal = sealed.data!.sealRealEstate.seal;
    const summary = '{ assetKind status servedAt termEnd amount amountDeducted }';
    const answer = await postGraphQL(
      stack().gateway.url,
      `query ($case: CaseNumber!) { caseProgress(caseNumber: $case) { recovered realEstateMeasures ${summary} depositMeasures ${summary} vehicleMeasures ${summary} equityMeasures ${summary} incomeMeasures ${summary} } }`,
      { case: caseNumber },
      await asCitizen(applicantOf(caseNumber)),
    );
    expect(answer.errors).toBeUndefined();
    expect(answer.data!.caseProgress).toEqual({
      recovered: '0.00',
      realEstateMeasures: [{ assetKind: 'REAL_ESTATE', status: 'ACTIVE', servedAt: seal.servedAt, termEnd: seal.termEnd, amount: null, amountDeducted: null }],
      depositMeasures: [],
      vehicleMeasures: [],
      equityMeasures: [],
      incomeMeasures: [],
    });
    // The summary type has no field that names the unit or leads to its owners.
    const walk = await postGraphQL(stack().gateway.url, `query ($case: CaseNumber!) { caseProgress(caseNumber: $case) { realEstateMeasures { unit { unitNumber } } } }`, { case: caseNumber }, await asCitizen(applicantOf(caseNumber)));
    expect(walk.errors![0]!.extensions).toMatchObject({ code: 'GRAPHQL_VALIDATION_FAILED' });
  });

  it.each([
    ['the debtor of the case', (c: string) => twoCourts().idNumber, (c: string) => c],
    ["another case's applicant", () => applicantOf(stack().population.scenarios.closedCase.caseNumber), (c: string) => c],
    ['an applicant naming a case that does not exist', (c: string) => applicantOf(c), () => '(2025)浙0106执9999号'],
  ])('refuses %s with FORBIDDEN NOT_A_PARTY, reaching no agency', async (_who, citizenOf, caseOf) => {
    const caseNumber = twoCourts().caseNumbers[0];
    for (const e of Object.values(stack().emulators)) e.resetCalls();
    const answer = await postGraphQL(stack().gateway.url, PROGRESS, { case: caseOf(caseNumber) }, await asCitizen(citizenOf(caseNumber)));
    expect(answer.data ?? null).toBeNull();
    expect(answer.errors![0]!.extensions).toMatchObject({ code: 'FORBIDDEN', reason: 'NOT_A_PARTY' });
    expect(Object.entries(stack().emulators).filter(([name, e]) => name !== 'court' && e.calls.length > 0)).toEqual([]);
  });

  it('is not for courts: an officer lacks the citizen scope (FORBIDDEN MISSING_ROLE); courts read `case`', async () => {
    const caseNumber = twoCourts().caseNumbers[0];
    const token = await issueDevToken({ kind: 'court', court: '浙0106', officer: caseRecord(caseNumber).officer, roles: ['query'] });
    const answer = await postGraphQL(stack().gateway.url, PROGRESS, { case: caseNumber }, { authorization: `Bearer ${token}` });
    expect(answer.errors![0]!.extensions).toMatchObject({ code: 'FORBIDDEN', reason: 'MISSING_ROLE' });
  });
});
