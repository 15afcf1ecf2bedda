import { creditCodeCheckChar, formatFen, idNumberCheckChar } from '../../../schemas/identifiers';
import { createPopulation, type PartyRef, type RealEstateUnitRecord } from '../../../mocks/population';
import { startRealEstateEmulator } from '../../../mocks/realestate/server';
import type { Emulator } from '../../../mocks/shared/startEmulator';
import { REAL_ESTATE_MAX_BATCH } from '../../../subgraphs/realestate/client';
import { startRealEstateSubgraph } from '../../../subgraphs/realestate';
import type { ServedGraphQL } from '../../../lib/http/serveGraphQL';
import { postGraphQL } from '../../support/postGraphQL';
import { postSigned, signedHeaders, TEST_CASE_NUMBER, TEST_SUBGRAPH_SECRET } from '../../support/signedHeaders';
import { PATIENT_AGENCY_TIMEOUT_MS } from '../../support/agencyLimits';

const population = createPopulation({ persons: 300 });
const { richDebtor } = population.scenarios;
const UNKNOWN_PERSON = '11010119900101123' + idNumberCheckChar('11010119900101123');
const UNKNOWN_COMPANY = '91110105MA01ABCDE' + creditCodeCheckChar('91110105MA01ABCDE');
const UNKNOWN_UNIT = '330106001002GB00099F00010001';

const ENTITIES = /* GraphQL */ `
  query ($reps: [_Any!]!) {
    _entities(representations: $reps) {
      ... on Person { idNumber realEstate { ...unit } }
      ... on Company { creditCode realEstate { ...unit } }
      ... on RealEstateUnit { ...unit }
    }
  }
  fragment unit on RealEstateUnit {
    unitNumber certificateNumber address countyCode usage floorArea ownership registeredOn
    owners { owner { __typename ... on Person { idNumber } ... on Company { creditCode } } share }
    mortgages { mortgagee amount registeredOn endsOn }
  }
`;

/** Hundredths as a 2-decimal string: areas and shares as the graph shows them. */
const hundredths = (n: number) => `${Math.floor(n / 100)}.${String(n % 100).padStart(2, '0')}`;
const keyOf = (p: PartyRef) => (p.kind === 'PERSON' ? p.idNumber : p.creditCode);
const person = (idNumber: string) => ({ __typename: 'Person', idNumber });
const company = (creditCode: string) => ({ __typename: 'Company', creditCode });

/** What the graph must show for a registry record. */
function expectedUnit(u: RealEstateUnitRecord) {
  return {
    unitNumber: u.unitNumber,
    certificateNumber: u.certificateNumber,
    address: u.address,
    countyCode: u.countyCode,
    usage: u.usage,
    floorArea: hundredths(u.floorAreaHundredthsM2),
    ownership: u.ownershipKind,
    registeredOn: u.registeredOn,
    owners: u.owners.map((o) => ({
      owner: o.party.kind === 'PERSON' ? person(o.party.idNumber) : company(o.party.creditCode),
      share: u.ownershipKind === 'JOINT' ? null : hundredths(o.shareBasisPoints),
    })),
    mortgages: u.mortgages.map((m) => ({ mortgagee: m.mortgagee, amount: formatFen(m.amountFen), registeredOn: m.registeredOn, endsOn: m.endsOn })),
  };
}

const unitsOf = (key: string) => population.realEstate.filter((u) => u.owners.some((o) => keyOf(o.party) === key)).map(expectedUnit);

let emulator: Emulator;
let subgraph: ServedGraphQL;

beforeAll(async () => {
  emulator = await startRealEstateEmulator(population, { latencyMs: 0 });
  subgraph = await startRealEstateSubgraph({ agencyUrl: emulator.url, secret: TEST_SUBGRAPH_SECRET, timeoutMs: PATIENT_AGENCY_TIMEOUT_MS });
});
afterAll(async () => {
  await subgraph.stop();
  await emulator.close();
});
beforeEach(() => emulator.resetCalls());
afterEach(() => emulator.setFaults({ mode: 'none' }));

interface Answer {
  data?: { _entities: Array<Record<string, unknown> | null> } | null;
  errors?: unknown[];
}

/**
 * `_entities` as the gateway would send it for a case whose debtors are the owners asked
 * about, or `debtors` (unit representations name no owner).
 */
async function entities(reps: Array<Record<string, unknown>>, debtors?: string[]): Promise<Answer> {
  const { status: _status, ...answer } = debtors
    ? await postGraphQL<Answer['data']>(subgraph.url, ENTITIES, { reps }, await signedHeaders(TEST_SUBGRAPH_SECRET, { caseNumber: TEST_CASE_NUMBER, debtors }))
    : await postSigned<Answer['data']>(subgraph.url, ENTITIES, { reps });
  return answer as Answer;
}

const ownersOf = (units: readonly RealEstateUnitRecord[]) => [...new Set(units.flatMap((u) => u.owners.map((o) => keyOf(o.party))))];
const notADebtor = (index: number) => ({
  message: `RealEstateUnit is answered only for debtors of the case the request states (${TEST_CASE_NUMBER}).`,
  locations: [expect.anything()],
  path: ['_entities', index],
  extensions: { code: 'FORBIDDEN', reason: 'NOT_A_DEBTOR', field: 'RealEstateUnit' },
});

/** Where (1-based) `word` stands on the line of `source` that holds `lineText`. */
function locationIn(source: string, lineText: string, word: string): { line: number; column: number } {
  const lines = source.split('\n');
  const index = lines.findIndex((l) => l.includes(lineText));
  return { line: index + 1, column: lines[index]!.indexOf(word, lines[index]!.indexOf(lineText)) + 1 };
}

const personRep = (idNumber: string) => ({ __typename: 'Person', idNumber });
const companyRep = (creditCode: string) => ({ __typename: 'Company', creditCode });
const unitRep = (unitNumber: string) => ({ __typename: 'RealEstateUnit', unitNumber });

describe('realestate subgraph', () => {
  it('gives persons and companies exactly the units the registry holds for them', async () => {
    const people = [richDebtor.idNumber, richDebtor.spouseIdNumber, population.scenarios.debtorWithNothing.idNumber];
    const answer = await entities([...people.map(personRep), companyRep(richDebtor.companyCreditCode)]);
    expect(answer).toEqual({
      data: {
        _entities: [
          ...people.map((idNumber) => ({ idNumber, realEstate: unitsOf(idNumber) })),
          { creditCode: richDebtor.companyCreditCode, realEstate: unitsOf(richDebtor.companyCreditCode) },
        ],
      },
    });
    // Not vacuous: the rich debtor has a flat of their own and the joint flat; the company an office.
    expect([unitsOf(richDebtor.idNumber).length, unitsOf(richDebtor.companyCreditCode).map((u) => u.usage)]).toEqual([2, ['OFFICE']]);
  });

  it('lists both owners of the rich debtor’s joint flat at 50.00 each, and shows the flat to the spouse too', async () => {
    const answer = await entities([personRep(richDebtor.idNumber), personRep(richDebtor.spouseIdNumber)]);
    const joint = answer.data!._entities.map((p) => (p!.realEstate as Array<{ unitNumber: string }>).find((u) => u.unitNumber === richDebtor.jointUnitNumber));
    const owners = [
      { owner: person(richDebtor.idNumber), share: '50.00' },
      { owner: person(richDebtor.spouseIdNumber), share: '50.00' },
    ];
    expect(joint).toEqual([expect.objectContaining({ ownership: 'BY_SHARES', owners }), expect.objectContaining({ ownership: 'BY_SHARES', owners })]);
  });

  it("resolves every unit of the province as an entity from its owners' own units, exact in every county, asking by owner only", async () => {
    const all = population.realEstate;
    // Not vacuous: the compact-writing counties and mortgages are among them.
    expect([all.some((u) => u.countyCode === '330302'), all.some((u) => u.countyCode === '330502'), all.some((u) => u.mortgages.length > 0)]).toEqual([true, true, true]);
    const owners = ownersOf(all);
    const answer = await entities(all.map((u) => unitRep(u.unitNumber)), owners);
    expect(answer).toEqual({ data: { _entities: all.map(expectedUnit) } });
    // The registry is asked about the debtors (ceil(N / 10) owner queries), never about a unit by its number.
    expect(emulator.calls.map((c) => c.path)).toEqual(Array(Math.ceil(owners.length / REAL_ESTATE_MAX_BATCH)).fill('/bdc/api/qlr/cx'));
  });

  it('gives mortgage amounts exact to the fen', async () => {
    const mortgaged = population.realEstate.filter((u) => u.mortgages.length > 0);
    const answer = await entities(mortgaged.map((u) => unitRep(u.unitNumber)), ownersOf(mortgaged));
    expect(answer.data!._entities.map((u) => (u!.mortgages as Array<{ amount: string }>).map((m) => m.amount))).toEqual(
      mortgaged.map((u) => u.mortgages.map((m) => formatFen(m.amountFen))),
    );
  });

  it("answers a stranger's unit, an unknown and an impossible unit number alike (NOT_A_DEBTOR); the registry hears only of the debtors", async () => {
    const joint = population.realEstate.find((u) => u.unitNumber === richDebtor.jointUnitNumber)!;
    const stranger = population.realEstate.find((u) => !u.owners.some((o) => keyOf(o.party) === richDebtor.idNumber))!;
    const answer = await entities([unitRep(joint.unitNumber), unitRep(stranger.unitNumber), unitRep(UNKNOWN_UNIT), unitRep('not-a-unit')], [richDebtor.idNumber]);
    expect(answer.data).toEqual({ _entities: [expectedUnit(joint), null, null, null] });
    expect([...(answer.errors as { path: number[] }[])].sort((x, y) => x.path[1]! - y.path[1]!)).toEqual([notADebtor(1), notADebtor(2), notADebtor(3)]);
    expect(emulator.calls.map((c) => [c.path, c.body])).toEqual([['/bdc/api/qlr/cx', expect.objectContaining({ zjhm: [richDebtor.idNumber] })]]);
  });

  it('costs ceil(N / 10) owner queries for N persons in one request, each within the batch limit', async () => {
    const ids = population.persons.slice(0, 25).map((p) => p.idNumber);
    const answer = await entities(ids.map(personRep));
    expect(answer).toEqual({ data: { _entities: ids.map((idNumber) => ({ idNumber, realEstate: unitsOf(idNumber) })) } });
    const asked = emulator.calls.map((c) => {
      expect(c.path).toBe('/bdc/api/qlr/cx');
      return (c.body as { zjhm: string[] }).zjhm;
    });
    expect(asked.map((batch) => batch.length)).toEqual([10, 10, 5]);
    expect(asked.flat()).toEqual(ids);
  });

  it('gives a null realEstate and an error naming the registry when the registry fails', async () => {
    emulator.setFaults({ mode: 'error500' });
    expect(await entities([personRep(richDebtor.idNumber)])).toEqual({
      data: { _entities: [{ idNumber: richDebtor.idNumber, realEstate: null }] },
      errors: [
        {
          message: 'The real-estate registry failed with HTTP 500: system busy, try later',
          locations: [locationIn(ENTITIES, '... on Person { idNumber realEstate', 'realEstate')],
          path: ['_entities', 0, 'realEstate'],
          extensions: { code: 'AGENCY_UNAVAILABLE', agency: 'real-estate registry', agencyCode: '9001', httpStatus: 500 },
        },
      ],
    });
  });

  it('gives unknown owners an empty list, without errors', async () => {
    expect(await entities([personRep(UNKNOWN_PERSON), companyRep(UNKNOWN_COMPANY)])).toEqual({
      data: { _entities: [{ idNumber: UNKNOWN_PERSON, realEstate: [] }, { creditCode: UNKNOWN_COMPANY, realEstate: [] }] },
    });
  });
});
