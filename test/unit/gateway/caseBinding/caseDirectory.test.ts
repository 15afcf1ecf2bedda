import nock from 'nock';
import { CaseDirectory, signedCaseDirectory } from '../../../../gateway/caseBinding/caseDirectory';
import { CASE_RECORD_QUERY } from '../../../../gateway/caseBinding/caseRecord';

const COURT = 'http://court-subgraph.test';
const CASE = '(2025)浙0106执1001号';
const facts = {
  caseNumber: CASE,
  status: 'ACTIVE',
  court: { code: '浙0106' },
  outstanding: '1250000.00',
  debtors: [{ idNumber: '330106197504189356' }],
  applicants: [{ idNumber: '330106196811110021' }],
};

describe('CaseDirectory', () => {
  const directory = () => new CaseDirectory(`${COURT}/graphql`, async () => ({}), { timeoutMs: 1000 });
  afterEach(() => {
    // A delayed reply whose request was aborted still holds its timer.
    nock.abortPendingRequests();
    nock.cleanAll();
  });

  it('reads the facts, money exact in fen, and keeps the record as the court subgraph gave it', async () => {
    const record = { ...facts, __typename: 'EnforcementCase', officer: '浙0106-101', court: { __typename: 'Court', code: '浙0106', name: '西湖区法院' } };
    let asked: { query: string; variables: unknown } | undefined;
    nock(COURT)
      .post('/graphql', (body) => ((asked = body), true))
      .reply(200, { data: { case: record } });
    expect(await directory().lookup(CASE)).toEqual({
      caseNumber: CASE,
      courtCode: '浙0106',
      status: 'ACTIVE',
      debtors: ['330106197504189356'],
      applicants: ['330106196811110021'],
      outstandingFen: 125_000_000,
      record,
    });
    expect(asked).toEqual({ query: CASE_RECORD_QUERY, variables: { caseNumber: CASE } });
  });

  it('tells a case that does not exist (null, no errors) from a case system that failed (null with errors)', async () => {
    nock(COURT).post('/graphql').reply(200, { data: { case: null } });
    expect(await directory().lookup(CASE)).toBeNull();
    nock(COURT).post('/graphql').reply(200, { data: { case: null }, errors: [{ message: 'The court case system could not be reached.' }] });
    await expect(directory().lookup(CASE)).rejects.toThrow(/could not be reached/);
  });

  it('shares one lookup among concurrent requests for the same case, and keeps nothing after it', async () => {
    const scope = nock(COURT).post('/graphql').times(2).delay(20).reply(200, { data: { case: facts } });
    const cases = directory();
    const answers = await Promise.all(Array.from({ length: 10 }, () => cases.lookup(CASE)));
    expect(new Set(answers.map((a) => JSON.stringify(a))).size).toBe(1);
    expect(scope.pendingMocks()).toHaveLength(1);
    await cases.lookup(CASE);
    expect(scope.isDone()).toBe(true);
  });

  it('gives up after the configured wait (CASE_LOOKUP_TIMEOUT_MS), and waits that long', async () => {
    // A long delay against a short limit and a short delay against a long one: the limit, not the machine, decides.
    nock(COURT).post('/graphql').delay(2000).reply(200, { data: { case: facts } });
    const impatient = signedCaseDirectory({ url: `${COURT}/graphql`, secret: 's'.repeat(32), timeoutMs: 100 });
    await expect(impatient.lookup(CASE)).rejects.toThrow(/abort|timeout/i);
    nock(COURT).post('/graphql').delay(200).reply(200, { data: { case: facts } });
    const patient = signedCaseDirectory({ url: `${COURT}/graphql`, secret: 's'.repeat(32), timeoutMs: 30_000 });
    expect((await patient.lookup(CASE))?.caseNumber).toBe(CASE);
  });
});
