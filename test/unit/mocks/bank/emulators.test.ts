import { startBankEmulators } from '../../../../mocks/bank';
import { formatFen } from '../../../../schemas/identifiers';
import { createPopulation } from '../../../../mocks/population';
import type { Emulator } from '../../../../mocks/shared/startEmulator';

const population = createPopulation({ persons: 40 });
const rich = population.scenarios.richDebtor;
const accountsOf = (bank: string, key: string) =>
  population.bankAccounts.filter((a) => a.bankCode === bank && (a.holder.kind === 'PERSON' ? a.holder.idNumber : a.holder.creditCode) === key);

let banks: Record<string, Emulator>;
beforeAll(async () => {
  // No latency: these tests are about each bank's wire format and refusals.
  banks = await startBankEmulators(population, { latencyMs: { NCB: 0, HZCB: 0, RCC: 0, WEB: 0 } });
});
afterAll(async () => {
  await Promise.all(Object.values(banks).map((b) => b.close()));
});

async function post(bank: string, path: string, body: unknown): Promise<{ status: number; body: unknown }> {
  const response = await fetch(new URL(path, banks[bank]!.url), { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return { status: response.status, body: await response.json() };
}

/** WEB writes units with their trailing zeros cut ("34405.5"). */
function sharesOf(key: string): string {
  const fund = population.wealthHoldings.find((w) => w.bankCode === 'WEB' && w.holder.kind === 'PERSON' && w.holder.idNumber === key)!;
  const milli = String(fund.unitsMilli % 1000).padStart(3, '0').replace(/0+$/, '');
  return milli === '' ? String(Math.floor(fund.unitsMilli / 1000)) : `${Math.floor(fund.unitsMilli / 1000)}.${milli}`;
}

const ids = (n: number) => Array.from({ length: n }, (_, i) => `ID${i}`);

describe('bank emulators', () => {
  it('start one server per bank on its own port, each with its own default latency', async () => {
    const defaults = await startBankEmulators(population);
    try {
      expect(Object.fromEntries(Object.entries(defaults).map(([code, e]) => [code, e.latencyMs]))).toEqual({ NCB: 5, HZCB: 15, RCC: 60, WEB: 3 });
      expect(new Set(Object.values(defaults).map((e) => e.url)).size).toBe(4);
    } finally {
      await Promise.all(Object.values(defaults).map((e) => e.close()));
    }
  });

  it.each([
    ['NCB', '/ncb/v3/inquiry/accounts', { requestNo: 'R-413', idNos: ids(101) }, { retCode: 'E1003', retMsg: 'at most 100 keys per request, got 101' }],
    ['HZCB', '/api/query', { req_id: 'R-413', cust_id_list: ids(21) }, { error_code: 'BATCH_LIMIT_EXCEEDED', error_message: 'at most 20 keys per request, got 21' }],
    ['RCC', '/rcc/cx', { qqdh: 'R-413', zjhm: ids(6) }, { code: '1013', msg: 'at most 5 keys per request, got 6' }],
    ['WEB', '/openapi/v1/holdings:batchQuery', { requestId: 'R-413', holderIds: ids(51) }, { error: { code: 'BATCH_SIZE_EXCEEDED', message: 'at most 50 keys per request, got 51' } }],
  ])('%s refuses an oversized batch with HTTP 413 in its own error shape', async (bank, path, body, error) => {
    expect(await post(bank, path, body)).toEqual({ status: 413, body: error });
  });

  it.each([
    ['NCB', '/ncb/v3/inquiry/accounts', 'requestNo', 'idNos', { retCode: 'E1001', retMsg: 'requestNo R-1 was already used' }],
    ['HZCB', '/api/query', 'req_id', 'cust_id_list', { error_code: 'INVALID_PARAM', error_message: 'req_id R-1 was already used' }],
    ['RCC', '/rcc/cx', 'qqdh', 'zjhm', { code: '1001', msg: 'qqdh R-1 was already used' }],
    ['WEB', '/openapi/v1/holdings:batchQuery', 'requestId', 'holderIds', { error: { code: 'INVALID_ARGUMENT', message: 'requestId R-1 was already used' } }],
  ])('%s refuses a repeated request number with HTTP 409', async (bank, path, numberField, keysField, error) => {
    expect((await post(bank, path, { [numberField]: 'R-1', [keysField]: [rich.idNumber] })).status).toBe(200);
    expect(await post(bank, path, { [numberField]: 'R-1', [keysField]: [rich.idNumber] })).toEqual({ status: 409, body: error });
  });

  it('NCB answers every idNo asked, in integer fen and its own codes', async () => {
    const [account] = accountsOf('NCB', rich.companyCreditCode);
    expect(await post('NCB', '/ncb/v3/inquiry/accounts', { requestNo: 'N-1', idNos: [rich.companyCreditCode, 'NOBODY'] })).toEqual({
      status: 200,
      body: {
        retCode: '0000',
        retMsg: 'success',
        requestNo: 'N-1',
        results: [
          {
            idNo: rich.companyCreditCode,
            custFound: 'Y',
            idType: '20',
            accounts: [
              {
                acctNo: account!.accountNumber,
                acctType: '04',
                ccy: account!.currency === 'CNY' ? '156' : '840',
                balance: 123_456_789,
                availBalance: account!.availableFen,
                acctStatus: account!.status === 'NORMAL' ? '0' : '1',
                branchNo: account!.branchCode,
                openDate: account!.openedOn,
              },
            ],
          },
          { idNo: 'NOBODY', custFound: 'N', accounts: [] },
        ],
      },
    });
  });

  it('HZCB writes yuan strings and YYYYMMDD, and leaves strangers out', async () => {
    const [account] = accountsOf('HZCB', rich.idNumber);
    const answer = await post('HZCB', '/api/query', { req_id: 'H-1', cust_id_list: [rich.idNumber, 'NOBODY'] });
    expect(answer).toEqual({
      status: 200,
      body: {
        req_id: 'H-1',
        total: 1,
        data: [
          {
            cust_id: rich.idNumber,
            cust_type: 'individual',
            account_list: [
              {
                account_no: account!.accountNumber,
                account_type: 'demand',
                currency: account!.currency,
                balance: '76543.21',
                available_balance: formatFen(account!.availableFen),
                account_status: account!.status.toLowerCase(),
                branch_code: account!.branchCode,
                open_date: account!.openedOn.replaceAll('-', ''),
              },
            ],
          },
        ],
      },
    });
  });

  it('RCC answers in pages of 10 rows with pinyin-initial fields and refuses a page beyond the last', async () => {
    const [account] = accountsOf('RCC', rich.idNumber);
    expect(await post('RCC', '/rcc/cx', { qqdh: 'Q-1', zjhm: [rich.idNumber] })).toEqual({
      status: 200,
      body: {
        qqdh: 'Q-1',
        page: 1,
        pageCount: 1,
        rows: [
          {
            zjhm: rich.idNumber,
            zjlx: '身份证',
            zh: account!.accountNumber,
            zhlx: '活期',
            bz: account!.currency === 'CNY' ? '人民币' : '美元',
            ye: '12000.00',
            kyye: formatFen(account!.availableFen),
            zhzt: account!.status === 'NORMAL' ? '正常' : '久悬',
            wdh: account!.branchCode,
            khrq: account!.openedOn.replaceAll('-', '/'),
          },
        ],
      },
    });
    expect(await post('RCC', '/rcc/cx', { qqdh: 'Q-2', zjhm: [rich.idNumber], page: 2 })).toEqual({
      status: 400,
      body: { code: '1004', msg: 'page 2 is beyond the last page 1' },
    });
  });

  it('WEB answers fen strings, epoch milliseconds of China midnight, and funds with the accounts', async () => {
    const [account] = accountsOf('WEB', rich.idNumber);
    const answer = await post('WEB', '/openapi/v1/holdings:batchQuery', { requestId: 'W-1', holderIds: [rich.idNumber, 'NOBODY'] });
    expect(answer).toEqual({
      status: 200,
      body: {
        requestId: 'W-1',
        holders: [
          {
            holderId: rich.idNumber,
            holderType: 'INDIVIDUAL',
            accounts: [
              {
                accountId: account!.accountNumber,
                productType: 'CURRENT',
                currency: account!.currency,
                balance: '345678',
                availableBalance: String(account!.availableFen),
                state: account!.status === 'NORMAL' ? 'ACTIVE' : 'DORMANT',
                branchId: account!.branchCode,
                openedAt: Date.parse(`${account!.openedOn}T00:00:00+08:00`),
              },
            ],
            funds: [{ fundCode: 'WEB-FUND-88', fundName: '余利宝货币基金', shares: sharesOf(rich.idNumber), marketValue: '3521044', valuationTime: Date.parse('2026-10-01T15:00:00+08:00') }],
          },
        ],
      },
    });
  });
});
