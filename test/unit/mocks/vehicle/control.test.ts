import { randomBytes } from 'node:crypto';
import { type Database, openDatabase } from '../../../../lib/db/openDatabase';
import { createPopulation, type Population } from '../../../../mocks/population';
import type { AgencyControlOptions } from '../../../../mocks/shared/measures/controlDesk';
import { MeasureBook } from '../../../../mocks/shared/measures/measureBook';
import type { Emulator } from '../../../../mocks/shared/startEmulator';
import { SCRAPPED_RETURN_REASON, startVehicleEmulator, VEHICLE_CONTROL_PREFIX } from '../../../../mocks/vehicle/server';
import { DAY_MS, plus, TestClock } from '../../../support/testClock';

const base = createPopulation({ persons: 300 });
const { richDebtor, debtorInTwoCourts } = base.scenarios;
const plain = base.vehicles.find((v) => v.owner.kind === 'PERSON' && v.owner.idNumber === debtorInTwoCourts.idNumber)!;
const scrapped = base.vehicles.find((v) => v.owner.kind === 'PERSON' && v.owner.idNumber === richDebtor.idNumber && v.vin !== richDebtor.mortgagedVin)!;
const UNKNOWN_VIN = 'LSVAG2186N2100001';

/** One vehicle scrapped, one already seized by another authority (ZT K from the population). */
const population: Population = {
  ...base,
  vehicles: base.vehicles.map((v) =>
    v.vin === scrapped.vin ? { ...v, flags: ['SCRAPPED'] } : v.vin === richDebtor.mortgagedVin ? { ...v, flags: ['MORTGAGED', 'SEIZED'] } : v,
  ),
};

const T0 = '2026-03-02T00:00:00.000Z';
const CASE = '(2024)浙0106执恢1001号';

describe('the vehicle registry’s control interface', () => {
  let db: Database;
  let clock: TestClock;
  let options: AgencyControlOptions;
  let emulator: Emulator;

  beforeAll(async () => {
    db = await openDatabase({ url: process.env.DATABASE_URL || undefined });
  });
  beforeEach(async () => {
    clock = new TestClock(T0);
    options = { database: db, table: `vehicle_test_${randomBytes(6).toString('hex')}`, clock: clock.now };
    emulator = await startVehicleEmulator(population, { latencyMs: 0, control: options });
  });
  afterEach(async () => {
    await emulator.close();
    await db.query(`DROP TABLE IF EXISTS "${options.table}", "${options.table}_events", "${options.table}_deductions" CASCADE`);
  });
  afterAll(() => db.close());

  async function post(path: string, body: unknown): Promise<{ status: number; body: any }> {
    const response = await fetch(emulator.url + path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    return { status: response.status, body: await response.json() };
  }
  const seize = (vin: string, overrides: Record<string, unknown> = {}) =>
    post(`${VEHICLE_CONTROL_PREFIX}/submit`, {
      requestId: `浙0106/${vin}`,
      caseNumber: CASE,
      courtCode: '浙0106',
      documentNumber: `${CASE}之一`,
      kind: 'SEIZE',
      assetKind: 'VEHICLE',
      assetKey: vin,
      termDays: 730,
      ...overrides,
    });
  const zt = async (vin: string) => (await post('/jdc/query/byVin', { SQBH: 'Q', CLSBDH: [vin] })).body.ROWS[0].ZT as string;

  it('refuses a VIN it does not hold (404 ASSET_NOT_FOUND) and anything but a vehicle seizure (NOT_SUPPORTED)', async () => {
    expect(await seize(UNKNOWN_VIN)).toEqual({
      status: 404,
      body: { code: 'ASSET_NOT_FOUND', message: `no vehicle with VIN ${UNKNOWN_VIN} in the registry`, details: {} },
    });
    expect((await seize(plain.vin, { kind: 'FREEZE' })).body.code).toBe('NOT_SUPPORTED');
    expect((await seize(plain.vin, { assetKind: 'EQUITY', kind: 'FREEZE' })).status).toBe(422);
  });

  it('returns (回退) a seizure of a scrapped vehicle with its reason, and the vehicle is not reported seized', async () => {
    const answer = await seize(scrapped.vin);
    expect(answer.status).toBe(200);
    expect(answer.body.measure).toMatchObject({ status: 'RETURNED', returnReason: SCRAPPED_RETURN_REASON, termStart: null });
    expect(await zt(scrapped.vin)).toBe('M');
  });

  it('reports K while a court’s seizure is ACTIVE: not before the registry answers, not after release or lapse', async () => {
    await emulator.close();
    emulator = await startVehicleEmulator(population, { latencyMs: 0, control: { ...options, answerDelayMs: 3_600_000 } });
    expect(await zt(plain.vin)).toBe('A');
    const served = await seize(plain.vin, { termDays: 10 });
    expect(served.body.measure).toMatchObject({ status: 'SUBMITTED' });
    expect(await zt(plain.vin)).toBe('A');
    clock.advance(3_600_000);
    expect(await zt(plain.vin)).toBe('K');
    // By owner too, and with another vehicle of the owner list untouched.
    const byOwner = await post('/jdc/query/byOwner', { SQBH: 'O', SFZMHM: [debtorInTwoCourts.idNumber, richDebtor.idNumber] });
    expect(byOwner.body.ROWS.map((r: { CLSBDH: string; ZT: string }) => [r.CLSBDH, r.ZT])).toEqual(
      expect.arrayContaining([[plain.vin, 'K'], [richDebtor.mortgagedVin, 'GK'], [scrapped.vin, 'M']]),
    );
    clock.set(plus(T0, 11 * DAY_MS));
    expect(await zt(plain.vin)).toBe('A');
  });

  it('reports K once on a vehicle another authority has seized too, and drops only its own on release', async () => {
    const measure = (await seize(richDebtor.mortgagedVin)).body.measure;
    expect(await zt(richDebtor.mortgagedVin)).toBe('GK');
    const released = await post(`${VEHICLE_CONTROL_PREFIX}/release`, { measureId: measure.id, courtCode: '浙0106', caseNumber: CASE, documentNumber: `${CASE}之二` });
    expect(released.body.measure.status).toBe('RELEASED');
    expect(await zt(richDebtor.mortgagedVin)).toBe('GK');
  });

  it('keeps inquiries about vehicles it was never served a seizure for off the book', async () => {
    await seize(plain.vin);
    const reads = jest.spyOn(MeasureBook.prototype, 'measuresOf');
    const settles = jest.spyOn(MeasureBook.prototype, 'settleDue');
    try {
      const owners = population.persons.slice(0, 25).map((p) => p.idNumber).filter((id) => id !== debtorInTwoCourts.idNumber);
      expect((await post('/jdc/query/byOwner', { SQBH: 'B', SFZMHM: owners })).body.RESULT).toBe('1');
      expect([reads.mock.calls.length, settles.mock.calls.length]).toEqual([0, 0]);
      expect(await zt(plain.vin)).toBe('K');
      expect(reads.mock.calls).toEqual([[[plain.vin]]]);
    } finally {
      reads.mockRestore();
      settles.mockRestore();
    }
  });

  it('still reports a seizure after a restart over the same book', async () => {
    await seize(plain.vin);
    await emulator.close();
    emulator = await startVehicleEmulator(population, { latencyMs: 0, control: options });
    expect(await zt(plain.vin)).toBe('K');
    const measures = await post(`${VEHICLE_CONTROL_PREFIX}/measures`, { assetKeys: [plain.vin] });
    expect(measures.body.measures.map((m: { assetKey: string; status: string }) => [m.assetKey, m.status])).toEqual([[plain.vin, 'ACTIVE']]);
  });
});
