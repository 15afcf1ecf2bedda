import type { ServedGraphQL } from '../../../lib/http/serveGraphQL';
import { createPopulation, type SocialInsuranceRecord } from '../../../mocks/population';
import type { Emulator } from '../../../mocks/shared/startEmulator';
import { startSocialInsuranceEmulator } from '../../../mocks/social-insurance/server';
import { formatFen, idNumberCheckChar } from '../../../schemas/identifiers';
import { HOUSING_FUND_MAX_BATCH, SOCIAL_INSURANCE_MAX_BATCH } from '../../../subgraphs/social-insurance/client';
import { startSocialInsuranceSubgraph } from '../../../subgraphs/social-insurance';
import { signedForDebtorsIn, TEST_SUBGRAPH_SECRET } from '../../support/signedHeaders';

const population = createPopulation({ persons: 300 });
const { richDebtor, closedCase, debtorWithNothing } = population.scenarios;
const records = new Map(population.socialInsurance.map((r) => [r.idNumber, r]));

const SI_PATH = '/si/exchange/insured';
const GJJ_PATH = '/gjj/api/account/query';

let emulator: Emulator;
/** A second fund centre that fails, so one system can fail without the other. */
let failingFundCentre: Emulator;
let subgraph: ServedGraphQL;
let subgraphWithFailingFundCentre: ServedGraphQL;

beforeAll(async () => {
  emulator = await startSocialInsuranceEmulator(population);
  failingFundCentre = await startSocialInsuranceEmulator(population);
  failingFundCentre.setFaults({ mode: 'error500' });
  subgraph = await startSocialInsuranceSubgraph({ agencyUrl: emulator.url, secret: TEST_SUBGRAPH_SECRET });
  subgraphWithFailingFundCentre = await startSocialInsuranceSubgraph({ agencyUrl: emulator.url, fundCentreUrl: failingFundCentre.url, secret: TEST_SUBGRAPH_SECRET });
});
afterAll(async () => {
  await Promise.all([subgraph.stop(), subgraphWithFailingFundCentre.stop()]);
  await Promise.all([emulator.close(), failingFundCentre.close()]);
});
beforeEach(() => {
  emulator.resetCalls();
  emulator.setFaults({ mode: 'none' });
});

interface GraphQLResponse {
  data?: { _entities: unknown[] } | null;
  errors?: unknown[];
}

async function entities(url: string, query: string, representations: object[]): Promise<GraphQLResponse> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(await signedForDebtorsIn(representations)) },
    body: JSON.stringify({ query, variables: { representations } }),
  });
  expect(response.status).toBe(200);
  return (await response.json()) as GraphQLResponse;
}

// The housingFund selection sits inside a named fragment on purpose: the resolver must still see it.
const FULL = `query ($representations: [_Any!]!) {
  _entities(representations: $representations) {
    ... on Person { idNumber socialInsurance { ...Insurance } }
  }
}
fragment Insurance on SocialInsurance {
  status
  employer { creditCode }
  contributionBase
  insuredSince
  pension { monthlyAmount payments { month amount } }
  housingFund { accountNumber balance monthlyDeposit status }
}`;

const WITHOUT_FUND = `query ($representations: [_Any!]!) {
  _entities(representations: $representations) {
    ... on Person { idNumber socialInsurance { status contributionBase } }
  }
}`;

const persons = (idNumbers: string[]) => idNumbers.map((idNumber) => ({ __typename: 'Person', idNumber }));

/** What the graph must say about a person, computed from the population's record. */
function expected(record: SocialInsuranceRecord | undefined) {
  if (!record) return null;
  const fund = record.housingFund;
  return {
    status: record.status,
    employer: record.employerCreditCode === null ? null : { creditCode: record.employerCreditCode },
    contributionBase: formatFen(record.contributionBaseFen),
    insuredSince: record.insuredSince,
    pension:
      record.status === 'RETIRED'
        ? { monthlyAmount: formatFen(record.monthlyPensionFen), payments: record.pensionPayments.map((p) => ({ month: p.month, amount: formatFen(p.amountFen) })) }
        : null,
    housingFund: fund && { accountNumber: fund.accountNumber, balance: formatFen(fund.balanceFen), monthlyDeposit: formatFen(fund.monthlyDepositFen), status: fund.status },
  };
}

const callsTo = (path: string) => emulator.calls.filter((c) => c.path === path).length;

test('the rich debtor is insured by their own company, with the housing fund balance to the fen', async () => {
  const record = records.get(richDebtor.idNumber);
  const answer = await entities(subgraph.url, FULL, persons([richDebtor.idNumber]));
  expect(answer).toEqual({ data: { _entities: [{ idNumber: richDebtor.idNumber, socialInsurance: expected(record) }] } });
  expect(answer.data?._entities[0]).toMatchObject({
    socialInsurance: {
      status: 'INSURED',
      employer: { creditCode: richDebtor.companyCreditCode },
      housingFund: { balance: formatFen(record!.housingFund!.balanceFen) },
    },
  });
});

test("the closed case's debtor is retired with six pension payments exact to the fen", async () => {
  const record = records.get(closedCase.debtorIdNumber)!;
  expect(record.pensionPayments).toHaveLength(6);
  const answer = await entities(subgraph.url, FULL, persons([closedCase.debtorIdNumber]));
  expect(answer).toEqual({
    data: {
      _entities: [
        {
          idNumber: closedCase.debtorIdNumber,
          socialInsurance: {
            status: 'RETIRED',
            employer: null,
            contributionBase: '0.00',
            insuredSince: record.insuredSince,
            pension: {
              monthlyAmount: formatFen(record.monthlyPensionFen),
              payments: record.pensionPayments.map((p) => ({ month: p.month, amount: formatFen(p.amountFen) })),
            },
            housingFund: null,
          },
        },
      ],
    },
  });
});

test('the debtor with nothing and a person no agency knows have no social insurance, and no error', async () => {
  const first17 = '33010619000101001';
  const stranger = first17 + idNumberCheckChar(first17);
  expect(records.has(stranger)).toBe(false);
  expect(await entities(subgraph.url, FULL, persons([debtorWithNothing.idNumber, stranger]))).toEqual({
    data: {
      _entities: [
        { idNumber: debtorWithNothing.idNumber, socialInsurance: null },
        { idNumber: stranger, socialInsurance: null },
      ],
    },
  });
});

test(`75 persons in one request: exactly the population's data, for ceil(75/${SOCIAL_INSURANCE_MAX_BATCH}) bureau and ceil(75/${HOUSING_FUND_MAX_BATCH}) fund-centre calls`, async () => {
  const idNumbers = population.persons.slice(0, 75).map((p) => p.idNumber);
  const answer = await entities(subgraph.url, FULL, persons(idNumbers));
  expect(answer).toEqual({ data: { _entities: idNumbers.map((idNumber) => ({ idNumber, socialInsurance: expected(records.get(idNumber)) })) } });
  // The sample must hold every kind of answer, or the comparison above proves less than it says.
  const kinds = new Set(idNumbers.map((id) => (records.get(id) ? `${records.get(id)!.status}:${records.get(id)!.housingFund ? 'fund' : 'none'}` : 'unknown')));
  expect([...kinds]).toEqual(expect.arrayContaining(['INSURED:fund', 'SUSPENDED:fund', 'RETIRED:fund', 'RETIRED:none', 'unknown']));
  expect(callsTo(SI_PATH)).toBe(Math.ceil(75 / SOCIAL_INSURANCE_MAX_BATCH));
  expect(callsTo(GJJ_PATH)).toBe(Math.ceil(75 / HOUSING_FUND_MAX_BATCH));
  expect(emulator.calls.every((c) => {
    const body = c.body as { sfzhm?: string[]; idCards?: string[] };
    return (body.sfzhm ?? body.idCards ?? []).length <= (c.path === SI_PATH ? SOCIAL_INSURANCE_MAX_BATCH : HOUSING_FUND_MAX_BATCH);
  })).toBe(true);
});

test('the fund centre is not asked when no housing fund is selected', async () => {
  const idNumbers = population.persons.slice(0, 40).map((p) => p.idNumber);
  const answer = await entities(subgraph.url, WITHOUT_FUND, persons(idNumbers));
  expect(answer).toEqual({
    data: {
      _entities: idNumbers.map((idNumber) => {
        const record = records.get(idNumber);
        return { idNumber, socialInsurance: record ? { status: record.status, contributionBase: formatFen(record.contributionBaseFen) } : null };
      }),
    },
  });
  expect(emulator.calls.map((c) => c.path)).toEqual([SI_PATH, SI_PATH]);
});

test('a Company reference resolves to itself, without calling any agency', async () => {
  const query = `query ($representations: [_Any!]!) { _entities(representations: $representations) { ... on Company { creditCode } } }`;
  expect(await entities(subgraph.url, query, [{ __typename: 'Company', creditCode: richDebtor.companyCreditCode }])).toEqual({
    data: { _entities: [{ creditCode: richDebtor.companyCreditCode }] },
  });
  expect(emulator.calls).toEqual([]);
});

test('a failing bureau costs the socialInsurance field, with an error naming it', async () => {
  emulator.setFaults({ mode: 'error500' });
  expect(await entities(subgraph.url, FULL, persons([richDebtor.idNumber]))).toEqual({
    data: { _entities: [{ idNumber: richDebtor.idNumber, socialInsurance: null }] },
    errors: [
      {
        message: 'The social insurance bureau failed with HTTP 500: system busy, try later',
        locations: [{ line: 3, column: 30 }],
        path: ['_entities', 0, 'socialInsurance'],
        extensions: { code: 'AGENCY_UNAVAILABLE', agency: 'social insurance bureau', httpStatus: 500 },
      },
    ],
  });
});

test('a failing fund centre costs only housingFund: the bureau data still answers', async () => {
  const record = records.get(richDebtor.idNumber);
  expect(await entities(subgraphWithFailingFundCentre.url, FULL, persons([richDebtor.idNumber, closedCase.debtorIdNumber]))).toEqual({
    data: {
      _entities: [
        { idNumber: richDebtor.idNumber, socialInsurance: { ...expected(record), housingFund: null } },
        { idNumber: closedCase.debtorIdNumber, socialInsurance: { ...expected(records.get(closedCase.debtorIdNumber)), housingFund: null } },
      ],
    },
    errors: [0, 1].map((i) => ({
      message: 'The housing provident fund centre failed with HTTP 500: system busy, try later',
      locations: [{ line: 12, column: 3 }],
      path: ['_entities', i, 'socialInsurance', 'housingFund'],
      extensions: { code: 'AGENCY_UNAVAILABLE', agency: 'housing provident fund centre', agencyCode: '9999', httpStatus: 500 },
    })),
  });
  expect(failingFundCentre.calls.map((c) => c.path)).toEqual([GJJ_PATH]);
});
