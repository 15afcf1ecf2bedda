import { formatFen } from '../../../../schemas/identifiers';
import { createPopulation, type SocialInsuranceRecord } from '../../../../mocks/population';
import type { Emulator } from '../../../../mocks/shared/startEmulator';
import { startSocialInsuranceEmulator } from '../../../../mocks/social-insurance/server';

/** The emulator's own API, as the bureau's and the fund centre's maintainers document it. */

const population = createPopulation({ persons: 120 });
const { richDebtor, closedCase, debtorWithNothing } = population.scenarios;
const recordOf = (idNumber: string): SocialInsuranceRecord => {
  const record = population.socialInsurance.find((r) => r.idNumber === idNumber);
  if (!record) throw new Error(`no social insurance record for ${idNumber} in the population`);
  return record;
};

let emulator: Emulator;

beforeAll(async () => {
  emulator = await startSocialInsuranceEmulator(population);
});
afterAll(() => emulator.close());
beforeEach(() => emulator.resetCalls());

async function post(path: string, body: unknown): Promise<{ status: number; body: unknown }> {
  const response = await fetch(`${emulator.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: await response.json() };
}

const ids = (n: number) => population.persons.slice(0, n).map((p) => p.idNumber);

describe('bureau exchange POST /si/exchange/insured', () => {
  test('answers in the bureau terms: status codes, yuan strings, compact dates; unknown persons absent', async () => {
    const rich = recordOf(richDebtor.idNumber);
    const retired = recordOf(closedCase.debtorIdNumber);
    const answer = await post('/si/exchange/insured', { jbh: 'J1', sfzhm: [richDebtor.idNumber, debtorWithNothing.idNumber, closedCase.debtorIdNumber] });
    expect(answer).toEqual({
      status: 200,
      body: {
        status: 'OK',
        records: [
          {
            sfzhm: richDebtor.idNumber,
            cbzt: '1',
            dwbh: richDebtor.companyCreditCode,
            jfjs: formatFen(rich.contributionBaseFen),
            cbrq: rich.insuredSince.replace(/-/g, ''),
            yljj: '0.00',
            ffjl: [],
          },
          {
            sfzhm: closedCase.debtorIdNumber,
            cbzt: '3',
            dwbh: null,
            jfjs: '0.00',
            cbrq: retired.insuredSince.replace(/-/g, ''),
            yljj: formatFen(retired.monthlyPensionFen),
            ffjl: retired.pensionPayments.map((p) => ({ ny: p.month.replace('-', ''), je: formatFen(p.amountFen) })),
          },
        ],
      },
    });
    expect(retired.pensionPayments).toHaveLength(6);
    expect(emulator.calls.map((c) => c.path)).toEqual(['/si/exchange/insured']);
  });

  test('refuses more than 30 ID numbers with 413 in the bureau error shape', async () => {
    expect(await post('/si/exchange/insured', { jbh: 'J2', sfzhm: ids(31) })).toEqual({
      status: 413,
      body: { status: 'ERROR', reason: 'at most 30 keys per request, got 31' },
    });
    expect((await post('/si/exchange/insured', { jbh: 'J3', sfzhm: ids(30) })).status).toBe(200);
  });

  test('refuses a request without a request number', async () => {
    expect(await post('/si/exchange/insured', { sfzhm: ids(1) })).toEqual({
      status: 400,
      body: { status: 'ERROR', reason: 'jbh (request number) is required' },
    });
  });
});

describe('fund centre POST /gjj/api/account/query', () => {
  test('answers accounts with amounts in integer fen and status words; persons without one absent', async () => {
    const fund = recordOf(richDebtor.idNumber).housingFund;
    if (!fund) throw new Error('the rich debtor must have a housing fund account');
    expect(await post('/gjj/api/account/query', { requestNo: 'R1', idCards: [richDebtor.idNumber, debtorWithNothing.idNumber, closedCase.debtorIdNumber] })).toEqual({
      status: 200,
      body: {
        retcode: 0,
        list: [{ idCard: richDebtor.idNumber, grzh: fund.accountNumber, zhye: fund.balanceFen, yjce: fund.monthlyDepositFen, zhzt: '正常' }],
      },
    });
  });

  test('refuses more than 50 ID cards with 413 and retcode 1002', async () => {
    expect(await post('/gjj/api/account/query', { requestNo: 'R2', idCards: ids(51) })).toEqual({
      status: 413,
      body: { retcode: 1002, retmsg: 'at most 50 keys per request, got 51' },
    });
    expect((await post('/gjj/api/account/query', { requestNo: 'R3', idCards: ids(50) })).status).toBe(200);
  });

  test('refuses a request without a request number or without ID cards with retcode 1001', async () => {
    expect(await post('/gjj/api/account/query', { idCards: ids(1) })).toEqual({
      status: 400,
      body: { retcode: 1001, retmsg: 'requestNo is required' },
    });
    expect(await post('/gjj/api/account/query', { requestNo: 'R4', idCards: [] })).toEqual({
      status: 400,
      body: { retcode: 1001, retmsg: 'idCards must not be empty' },
    });
  });
});
