import { createPopulation, type Population, type VehicleRecord } from '../../../../mocks/population';
import type { Emulator } from '../../../../mocks/shared/startEmulator';
import { startVehicleEmulator } from '../../../../mocks/vehicle/server';

const base = createPopulation({ persons: 300 });
const { richDebtor } = base.scenarios;
const ABSENT_PERSON = '11010519491231002X';

/** The same province with one vehicle of the rich debtor both seized and mortgaged (ZT "GK"). */
const population: Population = {
  ...base,
  vehicles: base.vehicles.map((v) => (v.vin === richDebtor.mortgagedVin ? { ...v, flags: ['SEIZED', 'MORTGAGED'] } : v)),
};

/** The registry's row for a population vehicle, written out from the documented code tables. */
function expectedRow(v: VehicleRecord, ZT: string) {
  const codes = { SMALL_CAR: ['02', 'K33'], LARGE_BUS: ['01', 'K11'], HEAVY_TRUCK: ['01', 'H11'], LIGHT_TRUCK: ['02', 'H31'], MOTORCYCLE: ['07', 'M11'] }[v.vehicleType];
  const colours: Record<string, string> = { 白: 'A', 黑: 'J', 银: 'K', 红: 'E', 蓝: 'H' };
  return {
    SFZMHM: v.owner.kind === 'PERSON' ? v.owner.idNumber : v.owner.creditCode,
    SFZMMC: v.owner.kind === 'PERSON' ? 'A' : 'B',
    CLSBDH: v.vin,
    FZJG: v.plateNumber.slice(0, 2),
    HPHM: v.plateNumber.slice(1),
    HPZL: codes[0],
    CLLX: codes[1],
    CLPP1: v.brand,
    CLXH: v.model,
    CSYS: colours[v.color],
    CCDJRQ: `${v.registeredOn} 00:00:00`,
    ZT,
  };
}

describe('startVehicleEmulator', () => {
  let emulator: Emulator;

  beforeAll(async () => {
    emulator = await startVehicleEmulator(population);
  });
  afterAll(() => emulator.close());
  afterEach(() => emulator.setFaults({ mode: 'none' }));

  async function post(path: string, body: unknown): Promise<{ status: number; body: unknown }> {
    const response = await fetch(emulator.url + path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    return { status: response.status, body: await response.json() };
  }

  it('answers by owner with one row per vehicle, status letters sorted, the request number echoed', async () => {
    const [mortgaged, plain] = population.vehicles.filter((v) => v.owner.kind === 'PERSON' && v.owner.idNumber === richDebtor.idNumber);
    const [truck] = population.vehicles.filter((v) => v.owner.kind === 'COMPANY' && v.owner.creditCode === richDebtor.companyCreditCode);

    const answer = await post('/jdc/query/byOwner', { SQBH: 'T1', SFZMHM: [ABSENT_PERSON, richDebtor.idNumber, richDebtor.companyCreditCode] });

    expect(answer).toEqual({
      status: 200,
      body: { RESULT: '1', SQBH: 'T1', TOTAL: 3, ROWS: [expectedRow(mortgaged!, 'GK'), expectedRow(plain!, 'A'), expectedRow(truck!, 'P')] },
    });
    expect([mortgaged!.vin, truck!.vehicleType]).toEqual([richDebtor.mortgagedVin, 'HEAVY_TRUCK']);
  });

  it('answers by VIN, with nothing for an unknown VIN', async () => {
    const truck = population.vehicles.find((v) => v.owner.kind === 'COMPANY' && v.owner.creditCode === population.scenarios.subsidiary.creditCode)!;
    const answer = await post('/jdc/query/byVin', { SQBH: 'T2', CLSBDH: ['WDB123452KA000003', truck.vin] });
    expect(answer).toEqual({ status: 200, body: { RESULT: '1', SQBH: 'T2', TOTAL: 1, ROWS: [expectedRow(truck, 'A')] } });
  });

  it.each([
    ['more than 25 numbers', { SQBH: 'T3', SFZMHM: Array.from({ length: 26 }, () => ABSENT_PERSON) }, 'BATCH_TOO_LARGE', 'at most 25 keys per request, got 26'],
    ['no numbers', { SQBH: 'T4', SFZMHM: [] }, 'BAD_REQUEST', 'SFZMHM must not be empty'],
    ['no request number', { SFZMHM: [ABSENT_PERSON] }, 'NO_SQBH', 'The request number SQBH is missing.'],
  ])('refuses %s with HTTP 200 and RESULT "0"', async (_what, body, ERRCODE, ERRMSG) => {
    expect(await post('/jdc/query/byOwner', body)).toEqual({ status: 200, body: { RESULT: '0', ERRCODE, ERRMSG } });
  });

  it('fails a system error with HTTP 500 in the same error shape', async () => {
    emulator.setFaults({ mode: 'error500' });
    expect(await post('/jdc/query/byVin', { SQBH: 'T5', CLSBDH: [richDebtor.mortgagedVin] })).toEqual({
      status: 500,
      body: { RESULT: '0', ERRCODE: 'SYSTEM_BUSY', ERRMSG: 'system busy, try later' },
    });
  });
});
