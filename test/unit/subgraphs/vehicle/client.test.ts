import nock from 'nock';
import { useNockAtAgencyEdge } from '../../../support/nockAtAgencyEdge';
import { vinCheckChar } from '../../../../schemas/identifiers';
import { AgencyError } from '../../../../subgraphs/shared/agencyError';
import { ControlClient } from '../../../../subgraphs/shared/measures/controlClient';
import { VehicleClient, VEHICLE_CONTROL_PREFIX, VEHICLE_MAX_BATCH } from '../../../../subgraphs/vehicle/client';
import type { Vehicle } from '../../../../subgraphs/vehicle/types';
import { createVehicleLoaders } from '../../../../subgraphs/vehicle/loaders';
import { PATIENT_AGENCY_TIMEOUT_MS } from '../../../support/agencyLimits';

const baseUrl = 'http://jdc.test';
const AGENCY = 'vehicle registry';
const SQBH = 'FY20250001';
const PERSON = '11010519491231002X';
const COMPANY = '91330106MA2GL0RQ1D';
const CAR = 'LSVAG2186N2100001';
const TRUCK = 'LFV2A21KXA3000002';

/** The n-th of a series of valid VINs, for batches and code tables. */
function vin(n: number): string {
  const draft = `LGBCJ5N6P0AA${String(n).padStart(5, '0')}`;
  return draft.slice(0, 8) + vinCheckChar(draft) + draft.slice(9);
}

function client(timeoutMs = 1000): VehicleClient {
  return new VehicleClient({ baseUrl, timeoutMs, requestNumber: () => SQBH });
}

function control(): ControlClient {
  return new ControlClient({ agency: AGENCY, baseUrl, prefix: VEHICLE_CONTROL_PREFIX, timeoutMs: PATIENT_AGENCY_TIMEOUT_MS });
}

/** A person's car as the registry writes it. */
function carRow(overrides: Record<string, string> = {}): Record<string, string> {
  return {
    SFZMHM: PERSON, SFZMMC: 'A', CLSBDH: CAR, FZJG: '浙A', HPHM: 'A12345', HPZL: '02', CLLX: 'K33',
    CLPP1: '大众', CLXH: '帕萨特', CSYS: 'A', CCDJRQ: '2019-03-05 00:00:00', ZT: 'A', ...overrides,
  };
}

const car: Vehicle = {
  vin: CAR,
  plateNumber: '浙A12345',
  plateKind: 'SMALL',
  brand: '大众',
  model: '帕萨特',
  vehicleType: 'SMALL_CAR',
  color: 'WHITE',
  registeredOn: '2019-03-05',
  owner: { kind: 'PERSON', idNumber: PERSON },
  status: ['NORMAL'],
};

/** A company's pledged and seized heavy truck, silver, registered in Ningbo. */
const truckRow = carRow({
  SFZMHM: COMPANY, SFZMMC: 'B', CLSBDH: TRUCK, FZJG: '浙B', HPHM: 'B7Q9K2', HPZL: '01', CLLX: 'H11',
  CLPP1: '解放', CLXH: 'J6P', CSYS: 'K', CCDJRQ: '2012-12-31 00:00:00', ZT: 'KP',
});

const truck: Vehicle = {
  vin: TRUCK,
  plateNumber: '浙B7Q9K2',
  plateKind: 'LARGE',
  brand: '解放',
  model: 'J6P',
  vehicleType: 'HEAVY_TRUCK',
  color: 'SILVER',
  registeredOn: '2012-12-31',
  owner: { kind: 'COMPANY', creditCode: COMPANY },
  status: ['PLEDGED', 'SEIZED'],
};

interface JdcRequest {
  SQBH: string;
  SFZMHM?: string[];
  CLSBDH?: string[];
}

/** Answers as the registry does, remembering each request body. */
function answer(requests: JdcRequest[], rowsFor: (body: JdcRequest) => unknown[]) {
  return (_uri: string, body: nock.Body) => {
    const request = body as unknown as JdcRequest;
    requests.push(request);
    return { RESULT: '1', SQBH: request.SQBH, TOTAL: rowsFor(request).length, ROWS: rowsFor(request) };
  };
}

function rows(...list: unknown[]) {
  return { RESULT: '1', SQBH, TOTAL: list.length, ROWS: list };
}

/** The whole error a failing call ends in. */
async function failure(call: Promise<unknown>): Promise<{ message: string; extensions: Record<string, unknown> }> {
  try {
    await call;
  } catch (error) {
    if (error instanceof AgencyError) return { message: error.message, extensions: error.extensions };
    throw error;
  }
  throw new Error('Expected the call to fail.');
}

useNockAtAgencyEdge();

describe('translation of the registry rows', () => {
  it('turns rows into vehicles by owner: full plate, enums, ISO dates, owner kinds', async () => {
    const requests: JdcRequest[] = [];
    nock(baseUrl).post('/jdc/query/byOwner').reply(200, answer(requests, () => [carRow(), truckRow]));

    const found = await client().vehiclesByOwner([PERSON, COMPANY, '330106198001011235']);

    expect(requests).toEqual([{ SQBH, SFZMHM: [PERSON, COMPANY, '330106198001011235'] }]);
    expect(found).toEqual(new Map([[PERSON, [car]], [COMPANY, [truck]]]));
  });

  it('looks vehicles up by VIN', async () => {
    const requests: JdcRequest[] = [];
    nock(baseUrl).post('/jdc/query/byVin').reply(200, answer(requests, () => [truckRow]));

    const found = await client().vehiclesByVin([TRUCK, CAR]);

    expect(requests).toEqual([{ SQBH, CLSBDH: [TRUCK, CAR] }]);
    expect(found).toEqual(new Map([[TRUCK, truck]]));
  });

  it.each([
    ['A', ['NORMAL']],
    ['G', ['MORTGAGED']],
    ['P', ['PLEDGED']],
    ['K', ['SEIZED']],
    ['M', ['SCRAPPED']],
    ['GK', ['MORTGAGED', 'SEIZED']],
    ['KG', ['MORTGAGED', 'SEIZED']],
    ['AG', ['MORTGAGED']],
    ['GKMP', ['MORTGAGED', 'PLEDGED', 'SEIZED', 'SCRAPPED']],
  ])('reads status ZT %s as %j', async (zt, status) => {
    nock(baseUrl).post('/jdc/query/byVin').reply(200, rows(carRow({ ZT: zt })));
    expect(await client().vehiclesByVin([CAR])).toEqual(new Map([[CAR, { ...car, status }]]));
  });

  it('reads every plate kind, vehicle type and colour code of the registry', async () => {
    const plateKinds = { '01': 'LARGE', '02': 'SMALL', '07': 'MOTORCYCLE', '15': 'TRAILER', '51': 'LARGE_NEW_ENERGY', '52': 'SMALL_NEW_ENERGY' };
    const types = { K11: 'LARGE_BUS', K12: 'LARGE_BUS', K31: 'SMALL_CAR', K33: 'SMALL_CAR', K41: 'SMALL_CAR', H11: 'HEAVY_TRUCK', H13: 'HEAVY_TRUCK', H31: 'LIGHT_TRUCK', H41: 'LIGHT_TRUCK', M11: 'MOTORCYCLE', M22: 'MOTORCYCLE' };
    const colours = { A: 'WHITE', B: 'GREY', C: 'YELLOW', D: 'PINK', E: 'RED', F: 'PURPLE', G: 'GREEN', H: 'BLUE', I: 'BROWN', J: 'BLACK', K: 'SILVER', Z: 'OTHER' };
    const cases = [
      ...Object.entries(plateKinds).map(([HPZL, plateKind]) => ({ row: { HPZL }, expected: { plateKind } })),
      ...Object.entries(types).map(([CLLX, vehicleType]) => ({ row: { CLLX }, expected: { vehicleType } })),
      ...Object.entries(colours).map(([CSYS, color]) => ({ row: { CSYS }, expected: { color } })),
    ].map((c, n) => ({ row: carRow({ ...c.row, CLSBDH: vin(n) }), expected: { ...car, ...c.expected, vin: vin(n) } }));
    nock(baseUrl).post('/jdc/query/byVin').reply(200, rows(...cases.map((c) => c.row)));

    const found = await client().vehiclesByVin(cases.map((c) => c.expected.vin));

    expect(found).toEqual(new Map(cases.map((c) => [c.expected.vin, c.expected])));
  });

  it('asks nothing for no keys', async () => {
    expect(await client().vehiclesByOwner([])).toEqual(new Map());
    expect(await client().vehiclesByVin([])).toEqual(new Map());
  });
});

describe('loaders', () => {
  it.each([
    ['owners', '/jdc/query/byOwner', 'SFZMHM'],
    ['VINs', '/jdc/query/byVin', 'CLSBDH'],
  ] as const)('split 2 * max + 1 %s into exactly 3 calls of at most max keys', async (_what, path, field) => {
    const keys = Array.from({ length: 2 * VEHICLE_MAX_BATCH + 1 }, (_, n) => (field === 'CLSBDH' ? vin(n) : `33010619800101${String(n).padStart(4, '0')}`));
    const requests: JdcRequest[] = [];
    // Every VIN is a car; no owner has a vehicle.
    const rowsFor = (body: JdcRequest) => (body.CLSBDH ?? []).map((key) => carRow({ CLSBDH: key }));
    nock(baseUrl).post(path).times(3).reply(200, answer(requests, rowsFor));
    const loaders = createVehicleLoaders(client(), control());

    const loaded = await Promise.all(keys.map((key) => (field === 'CLSBDH' ? loaders.vehicleByVin.load(key) : loaders.vehiclesByOwner.load(key))));

    expect(requests.map((r) => r[field]?.length)).toEqual([VEHICLE_MAX_BATCH, VEHICLE_MAX_BATCH, 1]);
    expect(requests.flatMap((r) => r[field])).toEqual(keys);
    expect(loaded).toEqual(field === 'CLSBDH' ? keys.map((key) => ({ ...car, vin: key })) : keys.map(() => []));
  });

  it('give an owner the registry does not know [] and an unknown VIN null', async () => {
    nock(baseUrl).post('/jdc/query/byOwner').reply(200, rows(carRow()));
    nock(baseUrl).post('/jdc/query/byVin').reply(200, rows());
    const loaders = createVehicleLoaders(client(), control());

    expect(await Promise.all([loaders.vehiclesByOwner.load(PERSON), loaders.vehiclesByOwner.load(COMPANY)])).toEqual([[car], []]);
    expect(await loaders.vehicleByVin.load(TRUCK)).toBeNull();
  });
});

describe('errors', () => {
  it('reads RESULT "0" under HTTP 200 as a refusal, with the registry message', async () => {
    nock(baseUrl).post('/jdc/query/byOwner').reply(200, { RESULT: '0', ERRCODE: 'E102', ERRMSG: '每次查询最多25个号码' });
    expect(await failure(client().vehiclesByOwner([PERSON]))).toEqual({
      message: 'The vehicle registry refused the request: 每次查询最多25个号码',
      extensions: { code: 'AGENCY_REFUSED', agency: AGENCY, agencyCode: 'E102' },
    });
  });

  it('reads a refusal without an error code', async () => {
    nock(baseUrl).post('/jdc/query/byVin').reply(200, { RESULT: '0', ERRMSG: 'query not authorised' });
    expect(await failure(client().vehiclesByVin([CAR]))).toEqual({
      message: 'The vehicle registry refused the request: query not authorised',
      extensions: { code: 'AGENCY_REFUSED', agency: AGENCY },
    });
  });

  it('reads an HTTP 4xx with the registry error body as a refusal', async () => {
    nock(baseUrl).post('/jdc/query/byOwner').reply(404, { RESULT: '0', ERRCODE: 'NOT_FOUND', ERRMSG: 'no such endpoint' });
    expect(await failure(client().vehiclesByOwner([PERSON]))).toEqual({
      message: 'The vehicle registry refused the request (HTTP 404): no such endpoint',
      extensions: { code: 'AGENCY_REFUSED', agency: AGENCY, agencyCode: 'NOT_FOUND', httpStatus: 404 },
    });
  });

  it('reads an HTTP 500 with the registry error body as unavailable', async () => {
    nock(baseUrl).post('/jdc/query/byOwner').reply(500, { RESULT: '0', ERRCODE: 'SYSTEM_BUSY', ERRMSG: 'system busy, try later' });
    expect(await failure(client().vehiclesByOwner([PERSON]))).toEqual({
      message: 'The vehicle registry failed with HTTP 500: system busy, try later',
      extensions: { code: 'AGENCY_UNAVAILABLE', agency: AGENCY, agencyCode: 'SYSTEM_BUSY', httpStatus: 500 },
    });
  });

  it('reads an HTTP 503 page as unavailable', async () => {
    nock(baseUrl).post('/jdc/query/byVin').reply(503, '<html>Service Unavailable</html>');
    expect(await failure(client().vehiclesByVin([CAR]))).toEqual({
      message: 'The vehicle registry answered HTTP 503.',
      extensions: { code: 'AGENCY_UNAVAILABLE', agency: AGENCY, httpStatus: 503 },
    });
  });

  it('reads a connection failure as unavailable', async () => {
    nock(baseUrl).post('/jdc/query/byOwner').replyWithError('connect ECONNREFUSED');
    expect(await failure(client().vehiclesByOwner([PERSON]))).toEqual({
      message: 'The vehicle registry could not be reached.',
      extensions: { code: 'AGENCY_UNAVAILABLE', agency: AGENCY },
    });
  });

  it('gives up after timeoutMs', async () => {
    nock(baseUrl).post('/jdc/query/byOwner').delay(1000).reply(200, rows());
    expect(await failure(client(30).vehiclesByOwner([PERSON]))).toEqual({
      message: 'The vehicle registry did not answer within 30 ms.',
      extensions: { code: 'AGENCY_TIMEOUT', agency: AGENCY },
    });
  });

  it.each([
    ['a page that is not JSON', '<html><body>Service Temporarily Unavailable</body></html>'],
    ['JSON cut off half-way', JSON.stringify(rows(carRow())).slice(0, 60)],
  ])('reads %s under HTTP 200 as a bad response', async (_what, text) => {
    nock(baseUrl).post('/jdc/query/byOwner').reply(200, text);
    expect(await failure(client().vehiclesByOwner([PERSON]))).toEqual({
      message: 'The vehicle registry answered something that is not JSON.',
      extensions: { code: 'AGENCY_BAD_RESPONSE', agency: AGENCY, httpStatus: 200 },
    });
  });

  it.each([
    ['no RESULT', { unexpected: true, rows: 'none' }, 'RESULT'],
    ['ROWS that are not a list', { RESULT: '1', SQBH, ROWS: 'none' }, 'ROWS'],
    ['a refusal without ERRMSG', { RESULT: '0', ERRCODE: 'E1' }, 'ERRMSG'],
    ['a VIN whose check character is wrong', rows(carRow({ CLSBDH: 'LSVAG2180N2100001' })), 'ROWS.0.CLSBDH'],
    ['a company number given as a resident ID', rows(carRow({ SFZMHM: COMPANY })), 'ROWS.0.SFZMHM'],
    ['an unknown status letter', rows(carRow({ ZT: 'AQ' })), 'ROWS.0.ZT'],
    ['an empty status', rows(carRow({ ZT: '' })), 'ROWS.0.ZT'],
    ['a date that does not exist', rows(carRow({ CCDJRQ: '2019-02-29 00:00:00' })), 'ROWS.0.CCDJRQ'],
    ['a date without its time', rows(carRow({ CCDJRQ: '2019-03-05' })), 'ROWS.0.CCDJRQ'],
    ['an unknown plate kind', rows(carRow({ HPZL: '99' })), 'ROWS.0.HPZL'],
    ['an unknown vehicle type', rows(carRow({ CLLX: 'Q21' })), 'ROWS.0.CLLX'],
    ['an unknown colour', rows(carRow({ CSYS: 'X' })), 'ROWS.0.CSYS'],
    ['a plate with the province character in HPHM', rows(carRow({ HPHM: '浙A12345' })), 'ROWS.0.HPHM'],
  ])('reads an answer with %s as a bad response', async (_what, body, where) => {
    nock(baseUrl).post('/jdc/query/byOwner').reply(200, body);
    expect(await failure(client().vehiclesByOwner([PERSON]))).toEqual({
      message: `The vehicle registry answered in an unexpected shape at ${where}.`,
      extensions: { code: 'AGENCY_BAD_RESPONSE', agency: AGENCY },
    });
  });

  it('reads an answer to another request number as a bad response', async () => {
    nock(baseUrl).post('/jdc/query/byVin').reply(200, { ...rows(carRow()), SQBH: 'FY20259999' });
    expect(await failure(client().vehiclesByVin([CAR]))).toEqual({
      message: 'The vehicle registry answered request FY20259999, not the one sent.',
      extensions: { code: 'AGENCY_BAD_RESPONSE', agency: AGENCY },
    });
  });
});
