import { creditCodeCheckChar, idNumberCheckChar, vinCheckChar } from '../../../schemas/identifiers';
import { createPopulation, type PartyRef, type VehicleRecord } from '../../../mocks/population';
import type { Emulator } from '../../../mocks/shared/startEmulator';
import { startVehicleEmulator } from '../../../mocks/vehicle/server';
import type { ServedGraphQL } from '../../../lib/http/serveGraphQL';
import { startVehicleSubgraph } from '../../../subgraphs/vehicle';
import { VEHICLE_MAX_BATCH, VehicleClient } from '../../../subgraphs/vehicle/client';
import { AgencyError } from '../../../subgraphs/shared/agencyError';
import { postGraphQL } from '../../support/postGraphQL';
import { postSigned, signedHeaders, TEST_CASE_NUMBER, TEST_SUBGRAPH_SECRET } from '../../support/signedHeaders';
import { PATIENT_AGENCY_TIMEOUT_MS } from '../../support/agencyLimits';

const population = createPopulation({ persons: 300 });
const { richDebtor } = population.scenarios;
const UNKNOWN_PERSON = '11010119900101123' + idNumberCheckChar('11010119900101123');
const UNKNOWN_COMPANY = '91110105MA01ABCDE' + creditCodeCheckChar('91110105MA01ABCDE');
const UNKNOWN_VIN = 'WDB12345' + vinCheckChar('WDB12345XKA000003') + 'KA000003';

const ENTITIES = /* GraphQL */ `
  query ($reps: [_Any!]!) {
    _entities(representations: $reps) {
      ... on Person { idNumber vehicles { ...vehicle } }
      ... on Company { creditCode vehicles { ...vehicle } }
      ... on Vehicle { ...vehicle }
    }
  }
  fragment vehicle on Vehicle {
    vin plateNumber plateKind brand model vehicleType color registeredOn status mortgaged
    owner { __typename ... on Person { idNumber } ... on Company { creditCode } }
  }
`;

/** What the graph must show for a registry record; the tables restate the documented codes. */
function expectedVehicle(v: VehicleRecord) {
  const plateKind = { SMALL_CAR: 'SMALL', LIGHT_TRUCK: 'SMALL', LARGE_BUS: 'LARGE', HEAVY_TRUCK: 'LARGE', MOTORCYCLE: 'MOTORCYCLE' }[v.vehicleType];
  const color = ({ 白: 'WHITE', 黑: 'BLACK', 银: 'SILVER', 红: 'RED', 蓝: 'BLUE' } as Record<string, string>)[v.color];
  const order = ['MORTGAGED', 'PLEDGED', 'SEIZED', 'SCRAPPED'] as const;
  return {
    vin: v.vin,
    plateNumber: v.plateNumber,
    plateKind,
    brand: v.brand,
    model: v.model,
    vehicleType: v.vehicleType,
    color,
    registeredOn: v.registeredOn,
    status: v.flags.length === 0 ? ['NORMAL'] : order.filter((f) => v.flags.includes(f)),
    mortgaged: v.flags.includes('MORTGAGED'),
    owner: v.owner.kind === 'PERSON' ? { __typename: 'Person', idNumber: v.owner.idNumber } : { __typename: 'Company', creditCode: v.owner.creditCode },
  };
}

const keyOf = (p: PartyRef) => (p.kind === 'PERSON' ? p.idNumber : p.creditCode);
const vehiclesOf = (key: string) => population.vehicles.filter((v) => keyOf(v.owner) === key).map(expectedVehicle);
const personRep = (idNumber: string) => ({ __typename: 'Person', idNumber });
const companyRep = (creditCode: string) => ({ __typename: 'Company', creditCode });
const vehicleRep = (vin: string) => ({ __typename: 'Vehicle', vin });

let emulator: Emulator;
let subgraph: ServedGraphQL;

beforeAll(async () => {
  emulator = await startVehicleEmulator(population);
  subgraph = await startVehicleSubgraph({ agencyUrl: emulator.url, secret: TEST_SUBGRAPH_SECRET, timeoutMs: PATIENT_AGENCY_TIMEOUT_MS });
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
 * about, or `debtors` (vehicle representations name no owner).
 */
async function entities(reps: Array<Record<string, unknown>>, debtors?: string[]): Promise<Answer> {
  const { status: _status, ...answer } = debtors
    ? await postGraphQL<Answer['data']>(subgraph.url, ENTITIES, { reps }, await signedHeaders(TEST_SUBGRAPH_SECRET, { caseNumber: TEST_CASE_NUMBER, debtors }))
    : await postSigned<Answer['data']>(subgraph.url, ENTITIES, { reps });
  return answer as Answer;
}

const notADebtor = (index: number) => ({
  message: `Vehicle is answered only for debtors of the case the request states (${TEST_CASE_NUMBER}).`,
  locations: [expect.anything()],
  path: ['_entities', index],
  extensions: { code: 'FORBIDDEN', reason: 'NOT_A_DEBTOR', field: 'Vehicle' },
});

/** Where (1-based) `word` stands in ENTITIES on the line that holds `lineText`. */
function locationOf(lineText: string, word: string): { line: number; column: number } {
  const lines = ENTITIES.split('\n');
  const line = lines.findIndex((l) => l.includes(lineText));
  return { line: line + 1, column: lines[line]!.indexOf(word, lines[line]!.indexOf(lineText)) + 1 };
}

/** The registry's batch keys of each call that reached the emulator, checking the endpoint. */
function batchesSent(path: string, field: string): string[][] {
  return emulator.calls.map((c) => {
    expect(c.path).toBe(path);
    return (c.body as Record<string, string[]>)[field]!;
  });
}

describe('vehicle subgraph', () => {
  it('gives the rich debtor their mortgaged car and another, and their company its pledged heavy truck', async () => {
    const answer = await entities([personRep(richDebtor.idNumber), companyRep(richDebtor.companyCreditCode)]);
    expect(answer).toEqual({
      data: {
        _entities: [
          { idNumber: richDebtor.idNumber, vehicles: vehiclesOf(richDebtor.idNumber) },
          { creditCode: richDebtor.companyCreditCode, vehicles: vehiclesOf(richDebtor.companyCreditCode) },
        ],
      },
    });
    // The scenario itself, stated without the expectation helper.
    const [car, other] = answer.data!._entities[0]!.vehicles as Array<Record<string, unknown>>;
    const [truck] = answer.data!._entities[1]!.vehicles as Array<Record<string, unknown>>;
    expect([car, other, truck].map((v) => [v?.vin === richDebtor.mortgagedVin, v?.vehicleType, v?.status, v?.mortgaged])).toEqual([
      [true, 'SMALL_CAR', ['MORTGAGED'], true],
      [false, 'SMALL_CAR', ['NORMAL'], false],
      [false, 'HEAVY_TRUCK', ['PLEDGED'], false],
    ]);
  });

  it("resolves the mortgaged car as an entity from its owner's own vehicles, with status [MORTGAGED], asking by owner only", async () => {
    const answer = await entities([vehicleRep(richDebtor.mortgagedVin)], [richDebtor.idNumber]);
    expect(answer).toEqual({
      data: {
        _entities: [{ ...vehiclesOf(richDebtor.idNumber).find((v) => v.vin === richDebtor.mortgagedVin), status: ['MORTGAGED'], mortgaged: true }],
      },
    });
    expect(batchesSent('/jdc/query/byOwner', 'SFZMHM')).toEqual([[richDebtor.idNumber]]);
    expect(emulator.calls.map((c) => c.path)).toEqual(['/jdc/query/byOwner']);
  });

  it("resolves every vehicle of the province exactly as its owners' entity, in ceil(owners / 25) owner queries and no query by VIN", async () => {
    const all = population.vehicles;
    // Not vacuous: every flag, both owner kinds and every vehicle type the population has are among them.
    expect(new Set(all.flatMap((v) => [...v.flags, v.owner.kind, v.vehicleType]))).toEqual(
      new Set(['MORTGAGED', 'PLEDGED', 'PERSON', 'COMPANY', 'SMALL_CAR', 'LIGHT_TRUCK', 'HEAVY_TRUCK']),
    );
    const owners = [...new Set(all.map((v) => keyOf(v.owner)))];
    const answer = await entities(all.map((v) => vehicleRep(v.vin)), owners);
    expect(answer).toEqual({ data: { _entities: all.map(expectedVehicle) } });
    // Every call is an owner query (batchesSent checks each call's path).
    expect(batchesSent('/jdc/query/byOwner', 'SFZMHM').length).toBe(Math.ceil(owners.length / VEHICLE_MAX_BATCH));
  });

  it("answers a stranger's vehicle and an unknown VIN alike (NOT_A_DEBTOR); the registry hears only of the debtors", async () => {
    const stranger = population.vehicles.find((v) => keyOf(v.owner) !== richDebtor.idNumber)!;
    const answer = await entities([vehicleRep(stranger.vin), vehicleRep(UNKNOWN_VIN)], [richDebtor.idNumber]);
    expect(answer.data).toEqual({ _entities: [null, null] });
    expect([...(answer.errors as { path: number[] }[])].sort((x, y) => x.path[1]! - y.path[1]!)).toEqual([notADebtor(0), notADebtor(1)]);
    expect(batchesSent('/jdc/query/byOwner', 'SFZMHM')).toEqual([[richDebtor.idNumber]]);
    expect(emulator.calls.map((c) => c.path)).toEqual(['/jdc/query/byOwner']);
  });

  it('costs ceil(N / 25) owner queries for N persons and companies in one request, each within the limit', async () => {
    const owners = [
      ...population.persons.slice(0, 40).map((p) => ({ key: p.idNumber, rep: personRep(p.idNumber), entity: { idNumber: p.idNumber, vehicles: vehiclesOf(p.idNumber) } })),
      ...population.companies.slice(0, 20).map((c) => ({ key: c.creditCode, rep: companyRep(c.creditCode), entity: { creditCode: c.creditCode, vehicles: vehiclesOf(c.creditCode) } })),
    ];
    // Not vacuous: many of these owners have vehicles.
    expect(owners.filter((o) => o.entity.vehicles.length > 0).length).toBeGreaterThan(10);

    const answer = await entities(owners.map((o) => o.rep));

    expect(answer).toEqual({ data: { _entities: owners.map((o) => o.entity) } });
    const batches = batchesSent('/jdc/query/byOwner', 'SFZMHM');
    expect(batches.map((b) => b.length)).toEqual([25, 25, 10]);
    expect(batches.flat()).toEqual(owners.map((o) => o.key));
  });

  it('gives null vehicles and an error naming the registry when the registry fails', async () => {
    emulator.setFaults({ mode: 'error500' });
    const answer = await entities([personRep(richDebtor.idNumber)]);
    expect(answer).toEqual({
      data: { _entities: [{ idNumber: richDebtor.idNumber, vehicles: null }] },
      errors: [
        {
          message: 'The vehicle registry failed with HTTP 500: system busy, try later',
          locations: [locationOf('... on Person { idNumber vehicles', 'vehicles')],
          path: ['_entities', 0, 'vehicles'],
          extensions: { code: 'AGENCY_UNAVAILABLE', agency: 'vehicle registry', agencyCode: 'SYSTEM_BUSY', httpStatus: 500 },
        },
      ],
    });
  });

  it('gives unknown owners an empty list, without errors', async () => {
    expect(await entities([personRep(UNKNOWN_PERSON), companyRep(UNKNOWN_COMPANY)])).toEqual({
      data: { _entities: [{ idNumber: UNKNOWN_PERSON, vehicles: [] }, { creditCode: UNKNOWN_COMPANY, vehicles: [] }] },
    });
  });

  it('reads the registry’s HTTP 200 RESULT "0" refusal as AGENCY_REFUSED with its message', async () => {
    const client = new VehicleClient({ baseUrl: emulator.url, timeoutMs: PATIENT_AGENCY_TIMEOUT_MS });
    const refused = await client.vehiclesByOwner(Array.from({ length: VEHICLE_MAX_BATCH + 1 }, () => UNKNOWN_PERSON)).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(AgencyError);
    expect([(refused as AgencyError).message, (refused as AgencyError).extensions]).toEqual([
      'The vehicle registry refused the request: at most 25 keys per request, got 26',
      { code: 'AGENCY_REFUSED', agency: 'vehicle registry', agencyCode: 'BATCH_TOO_LARGE' },
    ]);
  });
});
