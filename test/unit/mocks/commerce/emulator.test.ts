import { startCommerceEmulator } from '../../../../mocks/commerce/server';
import { wanYuan } from '../../../../mocks/commerce/wire';
import { createPopulation } from '../../../../mocks/population';
import type { Emulator } from '../../../../mocks/shared/startEmulator';

const population = createPopulation({ persons: 40 });
const { richDebtor, subsidiary } = population.scenarios;
const company = population.companies.find((c) => c.creditCode === richDebtor.companyCreditCode)!;
const stakes = population.shareholdings.filter((s) => s.companyCreditCode === richDebtor.companyCreditCode);
const stakeInSubsidiary = population.shareholdings.find((s) => s.companyCreditCode === subsidiary.creditCode && s.holder.kind === 'COMPANY')!;
let emulator: Emulator;

beforeAll(async () => {
  emulator = await startCommerceEmulator(population);
});
afterAll(() => emulator.close());
afterEach(() => emulator.setFaults({ mode: 'none' }));

async function post(path: string, body: unknown): Promise<{ status: number; body: unknown }> {
  const response = await fetch(new URL(path, emulator.url), {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: await response.json() };
}

describe('commerce registry emulator', () => {
  it('writes 万元 with 6 decimals', () => {
    expect([0, 1, 120_500_000, 500_000_000, Number.MAX_SAFE_INTEGER].map(wanYuan)).toEqual([
      '0.000000',
      '0.000001',
      '120.500000',
      '500.000000',
      '9007199254.740991',
    ]);
    expect(() => wanYuan(-1)).toThrow(new RangeError('amount must be non-negative integer fen, got -1'));
  });

  it('answers enterprises in its own words, without the legal representative’s name, and skips unknown codes', async () => {
    const answer = await post('/api/v2/enterprises/batch', { requestId: 'R1', uniscids: [company.creditCode, '91110000MA0000009D'] });
    expect(answer).toEqual({
      status: 200,
      body: {
        success: true,
        data: [
          {
            uniscid: company.creditCode,
            entname: '杭州锦程建材有限公司',
            regstate: '存续',
            regcap: '500.000000',
            regcapcur: '人民币',
            lerep_cerno: richDebtor.idNumber,
            estdate: company.establishedOn,
            dom: company.address,
            opscope: company.businessScope,
            investors: [
              { inv_type: '自然人股东', inv_cerno: richDebtor.idNumber, subconam: '400.000000', acconam: '400.000000', condate: company.establishedOn, invid: stakes[0]!.id },
              { inv_type: '自然人股东', inv_cerno: richDebtor.spouseIdNumber, subconam: '100.000000', acconam: '20.000000', condate: company.establishedOn, invid: stakes[1]!.id },
            ],
          },
        ],
      },
    });
  });

  it('answers the stakes a company holds, with the enterprise each is in, its name and its registered capital', async () => {
    const answer = await post('/api/v2/investors/batch', { requestId: 'R2', cernos: [company.creditCode, company.creditCode] });
    expect(answer).toEqual({
      status: 200,
      body: {
        success: true,
        data: [
          {
            uniscid: subsidiary.creditCode,
            entname: '宁波锦程物流有限公司',
            regcap: '1000.000000',
            regcapcur: '人民币',
            inv_type: '企业法人',
            inv_cerno: company.creditCode,
            subconam: '600.000000',
            acconam: '600.000000',
            condate: stakeInSubsidiary.subscribedOn,
            invid: stakeInSubsidiary.id,
          },
        ],
      },
    });
  });

  it('gives every investment row the name and registered capital of the enterprise it is in', async () => {
    const holders = population.persons.slice(0, 20).map((p) => p.idNumber);
    const answer = await post('/api/v2/investors/batch', { requestId: 'R7', cernos: holders });
    const rows = (answer.body as { data: { uniscid: string; invid: string; entname: string; regcap: string; regcapcur: string }[] }).data;
    const held = population.shareholdings.filter((s) => s.holder.kind === 'PERSON' && holders.includes(s.holder.idNumber));
    // Several companies, or one capital copied onto every row would pass.
    expect(new Set(held.map((s) => s.companyCreditCode)).size).toBeGreaterThan(1);
    const byCompanyAndStake = (x: { uniscid: string; invid: string }, y: { uniscid: string; invid: string }) =>
      `${x.uniscid}:${x.invid}`.localeCompare(`${y.uniscid}:${y.invid}`);
    const read = rows.map(({ uniscid, invid, entname, regcap, regcapcur }) => ({ uniscid, invid, entname, regcap, regcapcur }));
    expect(read.sort(byCompanyAndStake)).toEqual(
      held
        .map((s) => {
          const c = population.companies.find((company) => company.creditCode === s.companyCreditCode)!;
          return { uniscid: c.creditCode, invid: s.id, entname: c.name, regcap: wanYuan(c.registeredCapitalFen), regcapcur: '人民币' };
        })
        .sort(byCompanyAndStake),
    );
  });

  it('answers the companies a person represents', async () => {
    const answer = await post('/api/v2/lerep/batch', { requestId: 'R3', cernos: [richDebtor.idNumber, richDebtor.spouseIdNumber] });
    expect(answer).toEqual({
      status: 200,
      body: { success: true, data: [{ lerep_cerno: richDebtor.idNumber, uniscid: company.creditCode, entname: '杭州锦程建材有限公司', regstate: '存续' }] },
    });
  });

  it.each([
    ['more than 20 keys', { requestId: 'R4', cernos: Array.from({ length: 21 }, () => richDebtor.idNumber) }, 413, 'BATCH_LIMIT_EXCEEDED', 'at most 20 keys per request, got 21'],
    ['no requestId', { cernos: [richDebtor.idNumber] }, 400, 'MISSING_REQUEST_ID', 'requestId is required'],
    ['keys that are not a list', { requestId: 'R5', cernos: richDebtor.idNumber }, 400, 'BAD_REQUEST', 'cernos must be an array of strings'],
  ])('refuses a request with %s in its error shape', async (_what, body, status, errorCode, errorMsg) => {
    expect(await post('/api/v2/investors/batch', body)).toEqual({ status, body: { success: false, errorCode, errorMsg } });
  });

  it('fails with a 500 in its error shape when told to', async () => {
    emulator.setFaults({ mode: 'error500' });
    expect(await post('/api/v2/lerep/batch', { requestId: 'R6', cernos: [richDebtor.idNumber] })).toEqual({
      status: 500,
      body: { success: false, errorCode: 'SYSTEM_BUSY', errorMsg: 'system busy, try later' },
    });
  });
});
