import fc from 'fast-check';
import { decimalToFen } from '../../../../schemas/identifiers';
import { startRealEstateEmulator } from '../../../../mocks/realestate/server';
import { chineseDate, fenToWan, wireUnit } from '../../../../mocks/realestate/wire';
import { createPopulation } from '../../../../mocks/population';
import type { Emulator } from '../../../../mocks/shared/startEmulator';

describe('the platform’s wire formats', () => {
  it('writes any amount in 万元 so that it reads back to the same fen', () => {
    fc.assert(fc.property(fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER }), (fen) => decimalToFen(fenToWan(fen), 1_000_000) === fen));
    expect([fenToWan(120_500_000), fenToWan(1), fenToWan(300_000_000), fenToWan(Number.MAX_SAFE_INTEGER)]).toEqual([
      '120.5',
      '0.000001',
      '300',
      '9007199254.740991',
    ]);
  });

  it('writes dates padded, or unpadded for the compact counties', () => {
    expect([chineseDate('2019-03-05'), chineseDate('2019-03-05', true), chineseDate('2019-12-15', true)]).toEqual([
      '2019年03月05日',
      '2019年3月5日',
      '2019年12月15日',
    ]);
  });
});

describe('startRealEstateEmulator', () => {
  const population = createPopulation({ persons: 300 });
  let emulator: Emulator;

  beforeAll(async () => {
    emulator = await startRealEstateEmulator(population, { latencyMs: 0 });
  });
  afterAll(() => emulator.close());
  afterEach(() => emulator.setFaults({ mode: 'none' }));

  async function call(method: 'GET' | 'POST', path: string, body?: unknown): Promise<{ status: number; body: unknown }> {
    const response = await fetch(emulator.url + path, {
      method,
      headers: { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: response.status, body: await response.json() };
  }

  it('answers every asked owner, in order, with [] for an unknown one', async () => {
    const { jointUnitNumber, spouseIdNumber } = population.scenarios.richDebtor;
    const joint = population.realEstate.find((u) => u.unitNumber === jointUnitNumber)!;
    const answer = await call('POST', '/bdc/api/qlr/cx', { cxsqh: 'T1', zjhm: ['110101199001011237', spouseIdNumber] });
    expect(answer).toEqual({
      status: 200,
      body: {
        code: '0000',
        msg: '查询成功',
        cxsqh: 'T1',
        data: [
          { zjhm: '110101199001011237', bdcdy: [] },
          { zjhm: spouseIdNumber, bdcdy: [wireUnit(joint)] },
        ],
      },
    });
  });

  it('refuses more than 10 owners with 413 and code 1002', async () => {
    const ids = population.persons.slice(0, 11).map((p) => p.idNumber);
    expect(await call('POST', '/bdc/api/qlr/cx', { cxsqh: 'T2', zjhm: ids })).toEqual({
      status: 413,
      body: { code: '1002', msg: 'at most 10 keys per request, got 11' },
    });
  });

  it('refuses an owner query without a request number with code 1001', async () => {
    expect(await call('POST', '/bdc/api/qlr/cx', { zjhm: [population.persons[0]!.idNumber] })).toEqual({
      status: 400,
      body: { code: '1001', msg: '缺少查询申请号 cxsqh' },
    });
  });

  it('answers 404 with code 1004 for a unit it does not hold, and 1003 for an unknown endpoint', async () => {
    expect(await call('GET', '/bdc/api/bdcdy/330106001002GB00099F00010001')).toEqual({
      status: 404,
      body: { code: '1004', msg: '不动产单元不存在' },
    });
    expect(await call('GET', '/bdc/api/nothing')).toEqual({
      status: 404,
      body: { code: '1003', msg: 'no such endpoint GET /bdc/api/nothing' },
    });
  });

  it('writes an injected server error in its own shape', async () => {
    emulator.setFaults({ mode: 'error500' });
    expect(await call('POST', '/bdc/api/bdcdy/cx', { bdcdyh: [population.realEstate[0]!.unitNumber] })).toEqual({
      status: 500,
      body: { code: '9001', msg: 'system busy, try later' },
    });
  });
});
