import type { ServedGraphQL } from '../../../lib/http/serveGraphQL';
import { startCommerceEmulator } from '../../../mocks/commerce/server';
import { createPopulation, type PartyRef, type ShareholdingRecord } from '../../../mocks/population';
import type { Emulator } from '../../../mocks/shared/startEmulator';
import { formatFen } from '../../../schemas/identifiers';
import { startCommerceSubgraph } from '../../../subgraphs/commerce';
import { COMMERCE_MAX_BATCH } from '../../../subgraphs/commerce/client';
import { postSigned, TEST_SUBGRAPH_SECRET } from '../../support/signedHeaders';
import { PATIENT_AGENCY_TIMEOUT_MS } from '../../support/agencyLimits';

const population = createPopulation({ persons: 300 });
const { richDebtor, subsidiary } = population.scenarios;
const AGENCY = 'commerce registry';
/** Valid identifiers no one in the population has (their region codes are outside the province). */
const UNKNOWN_PERSON = '110101199001010031';
const UNKNOWN_COMPANY = '91110000MA0000009D';
let emulator: Emulator;
let subgraph: ServedGraphQL;

beforeAll(async () => {
  emulator = await startCommerceEmulator(population);
  subgraph = await startCommerceSubgraph({ agencyUrl: emulator.url, secret: TEST_SUBGRAPH_SECRET, timeoutMs: PATIENT_AGENCY_TIMEOUT_MS });
});
afterAll(async () => {
  await subgraph.stop();
  await emulator.close();
});
beforeEach(() => {
  emulator.resetCalls();
  emulator.setFaults({ mode: 'none' });
});

const PARTY = '__typename ... on Person { idNumber } ... on Company { creditCode }';
const STAKE = `id company { creditCode } holder { ${PARTY} } subscribedCapital paidInCapital ratio subscribedOn`;
const REGISTRATION = 'name status registeredCapital legalRepresentative { idNumber } establishedOn address businessScope';

const ENTITIES = `query($reps: [_Any!]!) { _entities(representations: $reps) {
  ... on Person { idNumber shareholdings { ${STAKE} } legalRepresentativeOf { creditCode } }
  ... on Company { creditCode registration { ${REGISTRATION} } shareholders { ${STAKE} } shareholdings { ${STAKE} } }
  ... on Shareholding { ${STAKE} } } }`;

const companyOf = (creditCode: string) => population.companies.find((c) => c.creditCode === creditCode)!;
const personRep = (idNumber: string) => ({ __typename: 'Person', idNumber });
const companyRep = (creditCode: string) => ({ __typename: 'Company', creditCode });
const party = (p: PartyRef) => (p.kind === 'PERSON' ? { __typename: 'Person', idNumber: p.idNumber } : { __typename: 'Company', creditCode: p.creditCode });
const heldBy = (key: string) =>
  population.shareholdings.filter((s) => (s.holder.kind === 'PERSON' ? s.holder.idNumber : s.holder.creditCode) === key);

/** The stake as the graph must show it, computed from the population record. */
function expectedStake(s: ShareholdingRecord) {
  const capital = companyOf(s.companyCreditCode).registeredCapitalFen;
  return {
    id: `${s.companyCreditCode}:${s.id}`,
    company: { creditCode: s.companyCreditCode },
    holder: party(s.holder),
    subscribedCapital: formatFen(s.subscribedFen),
    paidInCapital: formatFen(s.paidInFen),
    // The population's stakes are whole hundredths of a percent, so this float oracle is exact here.
    ratio: ((s.subscribedFen * 100) / capital).toFixed(2),
    subscribedOn: s.subscribedOn,
  };
}

function expectedPerson(idNumber: string) {
  return {
    idNumber,
    shareholdings: heldBy(idNumber).map(expectedStake),
    legalRepresentativeOf: population.companies.filter((c) => c.legalRepresentative === idNumber).map((c) => ({ creditCode: c.creditCode })),
  };
}

function expectedCompany(creditCode: string) {
  const c = companyOf(creditCode);
  return {
    creditCode,
    registration: {
      name: c.name,
      status: c.status,
      registeredCapital: formatFen(c.registeredCapitalFen),
      legalRepresentative: { idNumber: c.legalRepresentative },
      establishedOn: c.establishedOn,
      address: c.address,
      businessScope: c.businessScope,
    },
    shareholders: population.shareholdings.filter((s) => s.companyCreditCode === creditCode).map(expectedStake),
    shareholdings: heldBy(creditCode).map(expectedStake),
  };
}

const callsTo = (endpoint: string) => emulator.calls.filter((call) => call.path === `/api/v2/${endpoint}/batch`).length;

describe('commerce subgraph', () => {
  it('shows the rich debtor’s company as registered: capital exactly 5000000.00 yuan, the debtor holding 80.00%', async () => {
    const answer = await postSigned(subgraph.url, ENTITIES, { reps: [companyRep(richDebtor.companyCreditCode)] });
    expect(answer.errors).toBeUndefined();
    expect(answer.data?._entities).toEqual([expectedCompany(richDebtor.companyCreditCode)]);
    const [company] = answer.data?._entities;
    expect(company.registration.registeredCapital).toBe('5000000.00');
    expect(company.registration.status).toBe('ACTIVE');
    expect(company.shareholders.map((s: { holder: unknown; ratio: string }) => [s.holder, s.ratio])).toEqual([
      [{ __typename: 'Person', idNumber: richDebtor.idNumber }, '80.00'],
      [{ __typename: 'Person', idNumber: richDebtor.spouseIdNumber }, '20.00'],
    ]);
  });

  it('walks from the debtor to the company it holds 80.00% of, and on to the subsidiary that company holds 60.00% of', async () => {
    const answer = await postSigned(
      subgraph.url,
      `query($reps: [_Any!]!) { _entities(representations: $reps) { ... on Person {
        legalRepresentativeOf { creditCode }
        shareholdings { ratio paidInCapital company { creditCode registration { name }
          shareholdings { ratio subscribedCapital company { creditCode registration { name registeredCapital } } } } } } } }`,
      { reps: [personRep(richDebtor.idNumber)] },
    );
    expect(answer.errors).toBeUndefined();
    expect(answer.data?._entities).toEqual([
      {
        legalRepresentativeOf: [{ creditCode: richDebtor.companyCreditCode }],
        shareholdings: [
          {
            ratio: '80.00',
            paidInCapital: '4000000.00',
            company: {
              creditCode: richDebtor.companyCreditCode,
              registration: { name: companyOf(richDebtor.companyCreditCode).name },
              shareholdings: [
                {
                  ratio: '60.00',
                  subscribedCapital: '6000000.00',
                  company: {
                    creditCode: subsidiary.creditCode,
                    registration: { name: companyOf(subsidiary.creditCode).name, registeredCapital: '10000000.00' },
                  },
                },
              ],
            },
          },
        ],
      },
    ]);
  });

  it('walks back from the subsidiary to the company holding it and on to the debtor holding that', async () => {
    const answer = await postSigned(
      subgraph.url,
      `query($reps: [_Any!]!) { _entities(representations: $reps) { ... on Company {
        shareholders { ratio holder { ${PARTY} ... on Company { shareholders { ratio holder { ${PARTY} } } } } } } } }`,
      { reps: [companyRep(subsidiary.creditCode)] },
    );
    expect(answer.errors).toBeUndefined();
    const holdingCompany = { __typename: 'Company', creditCode: richDebtor.companyCreditCode };
    const owner = population.shareholdings.find((s) => s.companyCreditCode === subsidiary.creditCode && s.holder.kind === 'PERSON')!;
    expect(answer.data?._entities).toEqual([
      {
        shareholders: [
          {
            ratio: '60.00',
            holder: {
              ...holdingCompany,
              shareholders: [
                { ratio: '80.00', holder: { __typename: 'Person', idNumber: richDebtor.idNumber } },
                { ratio: '20.00', holder: { __typename: 'Person', idNumber: richDebtor.spouseIdNumber } },
              ],
            },
          },
          { ratio: '40.00', holder: party(owner.holder) },
        ],
      },
    ]);
  });

  it('answers every person in one request exactly as the population holds them', async () => {
    const answer = await postSigned(subgraph.url, ENTITIES, { reps: population.persons.map((p) => personRep(p.idNumber)) });
    expect(answer.errors).toBeUndefined();
    expect(answer.data?._entities).toEqual(population.persons.map((p) => expectedPerson(p.idNumber)));
    // Some people must hold stakes and represent companies, or the comparison above proves little.
    expect(answer.data?._entities.filter((p: { shareholdings: unknown[] }) => p.shareholdings.length > 0).length).toBeGreaterThan(20);
  });

  it('answers every company, and every stake by id, exactly as the population holds them, one enterprise call per 20', async () => {
    const codes = population.companies.map((c) => c.creditCode);
    const companies = await postSigned(subgraph.url, ENTITIES, { reps: codes.map(companyRep) });
    expect(companies.errors).toBeUndefined();
    expect(companies.data?._entities).toEqual(codes.map(expectedCompany));
    // Each company's enterprise record is fetched once: registration and shareholders share it, and ratios need none.
    expect(callsTo('enterprises')).toBe(Math.ceil(codes.length / COMMERCE_MAX_BATCH));
    expect(callsTo('investors')).toBe(Math.ceil(codes.length / COMMERCE_MAX_BATCH));

    const stakes = await postSigned(subgraph.url, ENTITIES, {
      reps: population.shareholdings.map((s) => ({ __typename: 'Shareholding', id: `${s.companyCreditCode}:${s.id}` })),
    });
    expect(stakes.errors).toBeUndefined();
    expect(stakes.data?._entities).toEqual(population.shareholdings.map(expectedStake));
  });

  it('costs ceil(N / 20) calls per endpoint for N persons in one request', async () => {
    const persons = population.persons.slice(0, 2 * COMMERCE_MAX_BATCH + 5);
    const answer = await postSigned(
      subgraph.url,
      'query($reps: [_Any!]!) { _entities(representations: $reps) { ... on Person { shareholdings { id subscribedCapital } legalRepresentativeOf { creditCode } } } }',
      { reps: persons.map((p) => personRep(p.idNumber)) },
    );
    expect(answer.errors).toBeUndefined();
    expect(answer.data?._entities).toHaveLength(persons.length);
    expect(emulator.calls.map((call) => call.path).sort()).toEqual([
      ...Array(3).fill('/api/v2/investors/batch'),
      ...Array(3).fill('/api/v2/lerep/batch'),
    ]);
    expect(emulator.calls.map((call) => (call.body as { cernos: string[] }).cernos.length).sort((a, b) => a - b)).toEqual([5, 5, 20, 20, 20, 20]);
  });

  it('computes the ratios of a 300-person sweep from the investors answers alone: ceil(300 / 20) calls, no enterprise lookups', async () => {
    const persons = population.persons;
    expect(persons).toHaveLength(300);
    const answer = await postSigned(
      subgraph.url,
      'query($reps: [_Any!]!) { _entities(representations: $reps) { ... on Person { shareholdings { ratio company { creditCode } } } } }',
      { reps: persons.map((p) => personRep(p.idNumber)) },
    );
    expect(answer.errors).toBeUndefined();
    expect(answer.data?._entities).toEqual(
      persons.map((p) => ({
        shareholdings: heldBy(p.idNumber).map((s) => ({ ratio: expectedStake(s).ratio, company: { creditCode: s.companyCreditCode } })),
      })),
    );
    // The sweep must reach many companies, or "no enterprise call" proves little.
    expect(new Set(persons.flatMap((p) => heldBy(p.idNumber).map((s) => s.companyCreditCode))).size).toBeGreaterThan(COMMERCE_MAX_BATCH);
    expect({ investors: callsTo('investors'), enterprises: callsTo('enterprises'), all: emulator.calls.length }).toEqual({
      investors: Math.ceil(persons.length / COMMERCE_MAX_BATCH),
      enterprises: 0,
      all: Math.ceil(persons.length / COMMERCE_MAX_BATCH),
    });
  });

  it('answers empty lists and null for a person, company or stake the registry does not know, without an error', async () => {
    const answer = await postSigned(subgraph.url, ENTITIES, {
      reps: [
        personRep(UNKNOWN_PERSON),
        companyRep(UNKNOWN_COMPANY),
        { __typename: 'Shareholding', id: `${UNKNOWN_COMPANY}:SH00000001` },
        { __typename: 'Shareholding', id: `${richDebtor.companyCreditCode}:NO-SUCH-INVESTOR` },
        { __typename: 'Shareholding', id: 'not-a-stake' },
      ],
    });
    expect(answer).toEqual({
      status: 200,
      data: {
        _entities: [
          { idNumber: UNKNOWN_PERSON, shareholdings: [], legalRepresentativeOf: [] },
          { creditCode: UNKNOWN_COMPANY, registration: null, shareholders: [], shareholdings: [] },
          null,
          null,
          null,
        ],
      },
    });
  });

  it('costs only the registry’s fields when it fails: null fields and errors naming it', async () => {
    emulator.setFaults({ mode: 'error500' });
    const answer = await postSigned(
      subgraph.url,
      `query($reps: [_Any!]!) { _entities(representations: $reps) {
        ... on Person { idNumber shareholdings { id } }
        ... on Company { creditCode registration { name } } } }`,
      { reps: [personRep(richDebtor.idNumber), companyRep(richDebtor.companyCreditCode)] },
    );
    const error = (path: (string | number)[]) => ({
      message: 'The commerce registry failed with HTTP 500: system busy, try later',
      locations: expect.any(Array),
      path,
      extensions: { code: 'AGENCY_UNAVAILABLE', agency: AGENCY, agencyCode: 'SYSTEM_BUSY', httpStatus: 500 },
    });
    expect(answer).toEqual({
      status: 200,
      data: {
        _entities: [
          { idNumber: richDebtor.idNumber, shareholdings: null },
          { creditCode: richDebtor.companyCreditCode, registration: null },
        ],
      },
      errors: [error(['_entities', 0, 'shareholdings']), error(['_entities', 1, 'registration'])],
    });
  });
});
