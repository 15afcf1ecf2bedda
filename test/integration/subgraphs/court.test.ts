import type { ServedGraphQL } from '../../../lib/http/serveGraphQL';
import { startCourtEmulator } from '../../../mocks/court/server';
import { createPopulation, type PartyRef } from '../../../mocks/population';
import type { Emulator } from '../../../mocks/shared/startEmulator';
import { formatFen } from '../../../schemas/identifiers';
import { startCourtSubgraph } from '../../../subgraphs/court';
import { COURT_LIMITS } from '../../../subgraphs/court/client';
import { type GraphQLAnswer, postGraphQL } from '../../support/postGraphQL';
import { postSigned, signedHeaders, TEST_SUBGRAPH_SECRET } from '../../support/signedHeaders';
import { PATIENT_AGENCY_TIMEOUT_MS } from '../../support/agencyLimits';

interface DocketPage {
  totalCount: number;
  edges: { cursor: string; node: { caseNumber: string; status: string } }[];
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
}

const population = createPopulation({ persons: 400 });
const { scenarios } = population;
let emulator: Emulator;
let subgraph: ServedGraphQL;

beforeAll(async () => {
  emulator = await startCourtEmulator(population, { latencyMs: 0 });
  subgraph = await startCourtSubgraph({ agencyUrl: emulator.url, secret: TEST_SUBGRAPH_SECRET, timeoutMs: PATIENT_AGENCY_TIMEOUT_MS });
});
afterAll(async () => {
  await subgraph.stop();
  await emulator.close();
});
beforeEach(() => {
  emulator.resetCalls();
  emulator.setFaults({ mode: 'none' });
});

const CASE_FIELDS = `caseNumber status cause amountDue outstanding filedOn closedOn officer court { code name }
  applicants { __typename ... on Person { idNumber } ... on Company { creditCode } }
  debtors { __typename ... on Person { idNumber } ... on Company { creditCode } }`;

function expectedCase(caseNumber: string) {
  const c = population.cases.find((k) => k.caseNumber === caseNumber)!;
  const party = (p: (typeof c.debtors)[number]) =>
    p.kind === 'PERSON' ? { __typename: 'Person', idNumber: p.idNumber } : { __typename: 'Company', creditCode: p.creditCode };
  return {
    caseNumber: c.caseNumber,
    status: c.status,
    cause: c.cause,
    amountDue: formatFen(c.amountDueFen),
    outstanding: formatFen(c.outstandingFen),
    filedOn: c.filedOn,
    closedOn: c.closedOn,
    officer: c.officer,
    court: { code: c.courtCode, name: population.courts.find((k) => k.code === c.courtCode)!.name },
    applicants: c.applicants.map(party),
    debtors: c.debtors.map(party),
  };
}

describe('court subgraph', () => {
  it('answers a case by number, full-width parentheses normalised, exactly as the case system holds it', async () => {
    const fullWidth = scenarios.richDebtor.caseNumber.replace('(', '（').replace(')', '）');
    const answer = await postSigned(subgraph.url, `query($n: CaseNumber!) { case(caseNumber: $n) { ${CASE_FIELDS} } }`, { n: fullWidth });
    expect(answer.errors).toBeUndefined();
    expect(answer.data?.case).toEqual(expectedCase(scenarios.richDebtor.caseNumber));
    expect(answer.data?.case.debtors).toEqual([
      { __typename: 'Person', idNumber: scenarios.richDebtor.idNumber },
      { __typename: 'Company', creditCode: scenarios.richDebtor.companyCreditCode },
    ]);
  });

  it('answers null for a well-formed case number no court has', async () => {
    const answer = await postSigned(subgraph.url, '{ case(caseNumber: "(2025)浙0106执9999号") { caseNumber } }');
    expect(answer).toEqual({ status: 200, data: { case: null } });
  });

  it('resolves EnforcementCase, Person and Company entities in batches', async () => {
    const persons = population.persons.slice(0, COURT_LIMITS.identityBatch + 1);
    const answer = await postSigned(
      subgraph.url,
      `query($reps: [_Any!]!) { _entities(representations: $reps) {
        ... on EnforcementCase { caseNumber outstanding }
        ... on Person { idNumber name }
        ... on Company { creditCode name } } }`,
      {
        reps: [
          { __typename: 'EnforcementCase', caseNumber: scenarios.closedCase.caseNumber },
          { __typename: 'Company', creditCode: scenarios.richDebtor.companyCreditCode },
          ...persons.map((p) => ({ __typename: 'Person', idNumber: p.idNumber })),
        ],
      },
    );
    expect(answer.errors).toBeUndefined();
    expect(answer.data?._entities).toEqual([
      { caseNumber: scenarios.closedCase.caseNumber, outstanding: '0.00' },
      { creditCode: scenarios.richDebtor.companyCreditCode, name: population.companies.find((c) => c.creditCode === scenarios.richDebtor.companyCreditCode)!.name },
      ...persons.map((p) => ({ idNumber: p.idNumber, name: p.name })),
    ]);
    // 102 identities at 100 per call, one case lookup.
    expect(emulator.calls.filter((c) => c.path === '/zxaj/v1/identities').map((c) => (c.body as { zjhm: string[] }).zjhm.length)).toEqual([100, 2]);
    expect(emulator.calls.filter((c) => c.path === '/zxaj/v1/cases/batch')).toHaveLength(1);
  });

  it("lists a person's cases across courts", async () => {
    const { idNumber, caseNumbers, courtCodes } = scenarios.debtorInTwoCourts;
    const answer = await postSigned(subgraph.url, `{ person(idNumber: "${idNumber}") { enforcementCases { caseNumber court { code } } } }`);
    expect(answer.data?.person.enforcementCases).toEqual([
      { caseNumber: caseNumbers[0], court: { code: courtCodes[0] } },
      { caseNumber: caseNumbers[1], court: { code: courtCodes[1] } },
    ]);
  });

  it("pages a court's docket with cursors until the end, each case once", async () => {
    const court = '浙0106';
    const expected = population.cases.filter((c) => c.courtCode === court && c.status === 'ACTIVE');
    const seen: string[] = [];
    let after: string | null = null;
    for (let page = 0; page < 20; page++) {
      const answer: GraphQLAnswer<{ cases: DocketPage }> = await postSigned<{ cases: DocketPage }>(
        subgraph.url,
        'query($after: String) { cases(court: "浙0106", status: ACTIVE, first: 7, after: $after) { totalCount edges { cursor node { caseNumber status } } pageInfo { hasNextPage endCursor } } }',
        { after },
      );
      const { cases } = answer.data!;
      expect(cases.totalCount).toBe(expected.length);
      seen.push(...cases.edges.map((e) => e.node.caseNumber));
      expect(cases.edges.every((e) => e.node.status === 'ACTIVE')).toBe(true);
      if (!cases.pageInfo.hasNextPage) break;
      after = cases.pageInfo.endCursor;
    }
    expect([...seen].sort()).toEqual(expected.map((c) => c.caseNumber).sort());
    expect(new Set(seen).size).toBe(seen.length);
  });

  it('answers persons in bulk in the order asked, and refuses more than 1000 with BAD_USER_INPUT', async () => {
    const ids = population.persons.slice(0, 3).map((p) => p.idNumber).reverse();
    const answer = await postSigned(subgraph.url, 'query($ids: [IdNumber!]!) { persons(idNumbers: $ids) { idNumber name } }', { ids });
    expect(answer.data?.persons).toEqual(ids.map((id) => ({ idNumber: id, name: population.persons.find((p) => p.idNumber === id)!.name })));
    const tooMany = Array.from({ length: 1001 }, () => ids[0]);
    const refused = await postSigned(subgraph.url, 'query($ids: [IdNumber!]!) { persons(idNumbers: $ids) { idNumber } }', { ids: tooMany });
    expect(refused.errors?.[0]).toMatchObject({
      message: 'Argument "idNumbers" holds 1001 identifiers; at most 1000 per request.',
      extensions: { code: 'BAD_USER_INPUT', argument: 'idNumbers' },
    });
  });

  it('refuses a page size beyond the limit and a forged cursor with BAD_USER_INPUT', async () => {
    const big = await postSigned(subgraph.url, '{ cases(court: "浙0106", first: 101) { totalCount } }');
    expect(big.errors).toEqual([
      expect.objectContaining({ message: 'Argument "first" must be between 1 and 100, got 101.', extensions: expect.objectContaining({ code: 'BAD_USER_INPUT' }) }),
    ]);
    const forged = await postSigned(subgraph.url, '{ cases(court: "浙0106", after: "bm90LWEtY3Vyc29y") { totalCount } }');
    expect(forged.errors?.[0]).toMatchObject({ message: 'Argument "after" is not a cursor returned by this docket.', extensions: { code: 'BAD_USER_INPUT' } });
  });

  it('names the case system and a stable code when it fails', async () => {
    emulator.setFaults({ mode: 'error500' });
    const answer = await postSigned(subgraph.url, `{ case(caseNumber: "${scenarios.closedCase.caseNumber}") { caseNumber } }`);
    expect(answer.data).toEqual({ case: null });
    expect(answer.errors).toEqual([
      expect.objectContaining({
        message: 'The court case system failed with HTTP 500: system busy, try later',
        path: ['case'],
        extensions: expect.objectContaining({ code: 'AGENCY_UNAVAILABLE', agency: 'court case system', httpStatus: 500 }),
      }),
    ]);
  });

  describe("a case's parties are named from the case record", () => {
    const NAMED = `applicants { ... on Person { idNumber name } ... on Company { creditCode name } }
      debtors { ... on Person { idNumber name } ... on Company { creditCode name } }`;
    const nameOf = (key: string) => (population.persons.find((p) => p.idNumber === key) ?? population.companies.find((c) => c.creditCode === key))!.name;
    const named = (p: PartyRef) => (p.kind === 'PERSON' ? { idNumber: p.idNumber, name: nameOf(p.idNumber) } : { creditCode: p.creditCode, name: nameOf(p.creditCode) });
    const namedParties = (caseNumber: string) => {
      const c = population.cases.find((k) => k.caseNumber === caseNumber)!;
      return { applicants: c.applicants.map(named), debtors: c.debtors.map(named) };
    };
    const paths = () => emulator.calls.map((c) => c.path);
    const identityCalls = () => emulator.calls.filter((c) => c.path === '/zxaj/v1/identities').map((c) => (c.body as { zjhm: string[] }).zjhm);

    it('case -> debtors and applicants with names: one case call, no identities call', async () => {
      const { caseNumber } = scenarios.richDebtor;
      const answer = await postSigned(subgraph.url, `query($n: CaseNumber!) { case(caseNumber: $n) { caseNumber ${NAMED} } }`, { n: caseNumber });
      expect(answer.errors).toBeUndefined();
      expect(answer.data?.case).toEqual({ caseNumber, ...namedParties(caseNumber) });
      expect(answer.data?.case.debtors).toEqual([
        { idNumber: scenarios.richDebtor.idNumber, name: nameOf(scenarios.richDebtor.idNumber) },
        { creditCode: scenarios.richDebtor.companyCreditCode, name: nameOf(scenarios.richDebtor.companyCreditCode) },
      ]);
      expect(paths()).toEqual(['/zxaj/v1/cases/batch']);
    });

    it("a docket page's parties with names: one docket call, no identities call", async () => {
      const answer = await postSigned(subgraph.url, `{ cases(court: "浙0106", first: 30) { edges { node { caseNumber ${NAMED} } } } }`);
      expect(answer.errors).toBeUndefined();
      const nodes = answer.data!.cases.edges.map((e: { node: { caseNumber: string } }) => e.node);
      expect(nodes.length).toBeGreaterThan(1);
      expect(nodes).toEqual(nodes.map((n: { caseNumber: string }) => ({ caseNumber: n.caseNumber, ...namedParties(n.caseNumber) })));
      expect(paths()).toEqual([`/zxaj/v1/courts/${encodeURIComponent('浙0106')}/cases`]);
    });

    it("a person's cases' parties with names: no identities call", async () => {
      const { idNumber, caseNumbers } = scenarios.debtorInTwoCourts;
      const answer = await postSigned(subgraph.url, `{ person(idNumber: "${idNumber}") { enforcementCases { caseNumber ${NAMED} } } }`);
      expect(answer.errors).toBeUndefined();
      expect(answer.data?.person.enforcementCases).toEqual(caseNumbers.map((n) => ({ caseNumber: n, ...namedParties(n) })));
      expect(identityCalls()).toEqual([]);
    });

    it("the request's second ask, answered from its memo, names the parties with no call at all", async () => {
      const { caseNumber } = scenarios.richDebtor;
      // As the gateway does: its case-binding lookup, then the dossier, under one signed request id.
      const headers = await signedHeaders(TEST_SUBGRAPH_SECRET, { requestId: 'req-named-parties', caseNumber, debtors: [scenarios.richDebtor.idNumber, scenarios.richDebtor.companyCreditCode] });
      const facts = await postGraphQL(subgraph.url, 'query($n: CaseNumber!) { case(caseNumber: $n) { caseNumber } }', { n: caseNumber }, headers);
      expect(facts.errors).toBeUndefined();
      expect(paths()).toEqual(['/zxaj/v1/cases/batch']);
      const dossier = await postGraphQL(subgraph.url, `query($n: CaseNumber!) { case(caseNumber: $n) { ${NAMED} } }`, { n: caseNumber }, headers);
      expect(dossier.errors).toBeUndefined();
      expect(dossier.data?.case).toEqual(namedParties(caseNumber));
      expect(paths()).toEqual(['/zxaj/v1/cases/batch']);
    });

    it("names the stated case's parties from the case the request's lookup got: a debtors' sweep asks identities only for others", async () => {
      const { caseNumber } = scenarios.richDebtor;
      const kase = population.cases.find((c) => c.caseNumber === caseNumber)!;
      const debtorIds = kase.debtors.flatMap((p) => (p.kind === 'PERSON' ? [p.idNumber] : []));
      const parties = new Set([...kase.applicants, ...kase.debtors].map((p) => (p.kind === 'PERSON' ? p.idNumber : p.creditCode)));
      const other = population.persons.find((p) => !parties.has(p.idNumber))!;
      const headers = await signedHeaders(TEST_SUBGRAPH_SECRET, { requestId: 'req-sweep-names', caseNumber, debtors: [...parties] });
      await postGraphQL(subgraph.url, 'query($n: CaseNumber!) { case(caseNumber: $n) { caseNumber } }', { n: caseNumber }, headers);
      expect(paths()).toEqual(['/zxaj/v1/cases/batch']);
      const sweep = await postGraphQL(subgraph.url, 'query($ids: [IdNumber!]!) { persons(idNumbers: $ids) { idNumber name } }', { ids: [...debtorIds, other.idNumber] }, headers);
      expect(sweep.errors).toBeUndefined();
      expect(sweep.data?.persons).toEqual([...debtorIds.map((id) => ({ idNumber: id, name: nameOf(id) })), { idNumber: other.idNumber, name: other.name }]);
      expect(identityCalls()).toEqual([[other.idNumber]]);
      // Another request id (another request) has no lookup of its own to name them from.
      const later = await signedHeaders(TEST_SUBGRAPH_SECRET, { requestId: 'req-sweep-names-2', caseNumber, debtors: [...parties] });
      await postGraphQL(subgraph.url, 'query($ids: [IdNumber!]!) { persons(idNumbers: $ids) { name } }', { ids: debtorIds }, later);
      expect(identityCalls()).toEqual([[other.idNumber], debtorIds]);
    });

    it('person(idNumber) { name } and company(creditCode) { name } still ask identities', async () => {
      const person = population.persons[7]!;
      const answer = await postSigned(subgraph.url, `{ person(idNumber: "${person.idNumber}") { name } }`);
      expect(answer).toEqual({ status: 200, data: { person: { name: person.name } } });
      expect(identityCalls()).toEqual([[person.idNumber]]);
      const { companyCreditCode } = scenarios.richDebtor;
      const company = await postSigned(subgraph.url, `{ company(creditCode: "${companyCreditCode}") { name } }`);
      expect(company.data?.company).toEqual({ name: nameOf(companyCreditCode) });
      expect(identityCalls()).toEqual([[person.idNumber], [companyCreditCode]]);
    });

    it('in one request, identities is asked only for a name no case record gave, and a name already asked for is kept', async () => {
      const { caseNumber, idNumber } = scenarios.richDebtor;
      const kase = population.cases.find((c) => c.caseNumber === caseNumber)!;
      const parties = new Set([...kase.applicants, ...kase.debtors].map((p) => (p.kind === 'PERSON' ? p.idNumber : p.creditCode)));
      const other = population.persons.find((p) => !parties.has(p.idNumber))!;
      const answer = await postSigned(
        subgraph.url,
        `query($n: CaseNumber!) { case(caseNumber: $n) { ${NAMED} } debtor: person(idNumber: "${idNumber}") { name } other: person(idNumber: "${other.idNumber}") { name } }`,
        { n: caseNumber },
      );
      expect(answer.errors).toBeUndefined();
      expect(answer.data).toEqual({ case: namedParties(caseNumber), debtor: { name: nameOf(idNumber) }, other: { name: other.name } });
      // The root persons' names were asked for before the case arrived; the case's other parties never are.
      expect(identityCalls()).toEqual([[idNumber, other.idNumber]]);
      expect(emulator.calls.filter((c) => c.path === '/zxaj/v1/cases/batch')).toHaveLength(1);
    });
  });
});
