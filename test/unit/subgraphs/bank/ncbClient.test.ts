import nock from 'nock';
import { NCB_MAX_BATCH, NcbClient } from '../../../../subgraphs/bank/client';
import { bodyOf, COMPANY_ID, connectOne, failureCases, failureOf, loadersFor, nockAtTheBankEdge, OTHER_PERSON_ID, PERSON_ID, TIMEOUT_MS } from '../../../support/bankHarness';

const BASE = 'http://ncb.bank.test';
const ACCOUNTS = '/ncb/v3/inquiry/accounts';
const WEALTH = '/ncb/v3/inquiry/wealth';

nockAtTheBankEdge();

const client = new NcbClient({ baseUrl: BASE, timeoutMs: TIMEOUT_MS });

/** Answers as NCB does, echoing the request number it was sent. */
function answer(results: unknown[]) {
  return (_uri: string, body: unknown) => [200, { retCode: '0000', retMsg: 'success', requestNo: bodyOf(body).requestNo, results }] as const;
}

const personRow = {
  acctNo: '6222247175700000007',
  acctType: '01',
  ccy: '156',
  balance: 18_234_567,
  availBalance: 14_587_653,
  acctStatus: '0',
  branchNo: 'NCB8345',
  openDate: '2017-06-01',
};
const companyRow = { ...personRow, acctNo: '6222000000000000099', acctType: '04', ccy: '840', balance: 1, availBalance: 0, acctStatus: '1', openDate: '2024-02-29' };

describe('NcbClient', () => {
  it('asks by idNos with a fresh requestNo and translates codes, fen and dates exactly', async () => {
    const sent: Record<string, unknown>[] = [];
    nock(BASE)
      .post(ACCOUNTS, (body) => sent.push(bodyOf(body)) > 0)
      .reply(
        answer([
          { idNo: PERSON_ID, custFound: 'Y', idType: '01', accounts: [personRow] },
          { idNo: COMPANY_ID, custFound: 'Y', idType: '20', accounts: [companyRow] },
          { idNo: OTHER_PERSON_ID, custFound: 'N', accounts: [] },
        ]),
      );
    const found = await client.holdings([PERSON_ID, COMPANY_ID, OTHER_PERSON_ID]);
    expect(sent).toEqual([{ requestNo: expect.stringMatching(/^CAG[0-9A-F]{32}$/), idNos: [PERSON_ID, COMPANY_ID, OTHER_PERSON_ID] }]);
    expect(found).toEqual(
      new Map([
        [
          PERSON_ID,
          {
            accounts: [
              {
                bankCode: 'NCB',
                accountNumber: '6222247175700000007',
                holder: { kind: 'PERSON', idNumber: PERSON_ID },
                type: 'DEMAND',
                currency: 'CNY',
                balanceFen: 18_234_567,
                availableFen: 14_587_653,
                status: 'NORMAL',
                branchCode: 'NCB8345',
                openedOn: '2017-06-01',
              },
            ],
            wealth: [],
          },
        ],
        [
          COMPANY_ID,
          {
            accounts: [
              {
                bankCode: 'NCB',
                accountNumber: '6222000000000000099',
                holder: { kind: 'COMPANY', creditCode: COMPANY_ID },
                type: 'SETTLEMENT',
                currency: 'USD',
                balanceFen: 1,
                availableFen: 0,
                status: 'DORMANT',
                branchCode: 'NCB8345',
                openedOn: '2024-02-29',
              },
            ],
            wealth: [],
          },
        ],
      ]),
    );
  });

  it('looks accounts up by acctNos, holder from the answer', async () => {
    nock(BASE)
      .post(ACCOUNTS, (body) => JSON.stringify(bodyOf(body).acctNos) === JSON.stringify(['6222000000000000099', '6222999']))
      .reply(answer([{ idNo: COMPANY_ID, custFound: 'Y', idType: '20', accounts: [companyRow] }]));
    const found = await client.accountsByNumber(['6222000000000000099', '6222999']);
    expect([...found.keys()]).toEqual(['6222000000000000099']);
    expect(found.get('6222000000000000099')?.holder).toEqual({ kind: 'COMPANY', creditCode: COMPANY_ID });
  });

  it('reads wealth holdings from their own endpoint: shares to thousandths, market value in fen', async () => {
    nock(BASE)
      .post(WEALTH, (body) => JSON.stringify(bodyOf(body).idNos) === JSON.stringify([PERSON_ID]))
      .reply(
        answer([
          {
            idNo: PERSON_ID,
            custFound: 'Y',
            idType: '01',
            holdings: [{ prodCode: 'NCB-WM-2024-017', prodName: '稳享180天理财', shares: '195427.008', marketValue: 20_000_000, valueDate: '2026-10-01' }],
          },
        ]),
      );
    expect(client.wealth.from).toBe('OWN_ENDPOINT');
    expect(await client.wealthHoldings([PERSON_ID])).toEqual(
      new Map([
        [
          PERSON_ID,
          [{ bankCode: 'NCB', productCode: 'NCB-WM-2024-017', productName: '稳享180天理财', unitsMilli: 195_427_008, marketValueFen: 20_000_000, valuedOn: '2026-10-01' }],
        ],
      ]),
    );
  });

  it(`splits ${2 * NCB_MAX_BATCH + 1} holders into exactly 3 calls of at most ${NCB_MAX_BATCH}`, async () => {
    const batches: string[][] = [];
    nock(BASE)
      .post(ACCOUNTS)
      .times(3)
      .reply((_uri, body) => {
        batches.push(bodyOf(body).idNos as string[]);
        return [200, { retCode: '0000', retMsg: 'success', requestNo: bodyOf(body).requestNo, results: [] }];
      });
    const keys = Array.from({ length: 2 * NCB_MAX_BATCH + 1 }, (_, i) => `K${i}`);
    const loader = loadersFor(connectOne('NCB', BASE));
    const outcomes = await Promise.all(keys.map((k) => loader.holdings.load(k)));
    expect(outcomes.every((o) => o.ok && o.value.accounts.length === 0)).toBe(true);
    expect(batches.map((b) => b.length)).toEqual([NCB_MAX_BATCH, NCB_MAX_BATCH, 1]);
    expect(batches.flat()).toEqual(keys);
  });

  it('calls an answer to another requestNo a bad response', async () => {
    nock(BASE).post(ACCOUNTS).reply(200, { retCode: '0000', retMsg: 'success', requestNo: 'SOMEONE-ELSE', results: [] });
    const failure = await failureOf(client.holdings([PERSON_ID]));
    expect(failure).toEqual({
      agencyError: true,
      message: expect.stringMatching(/^The bank NCB answered request SOMEONE-ELSE to request CAG[0-9A-F]{32}\.$/),
      extensions: { code: 'AGENCY_BAD_RESPONSE', agency: 'bank', provider: 'NCB' },
    });
  });

  it.each([
    ['an amount in yuan', { balance: 182345.67 }, 'results.0.accounts.0.balance'],
    ['a currency code it does not document', { ccy: '999' }, 'results.0.accounts.0.ccy'],
    ['a date that does not exist', { openDate: '2023-02-29' }, 'results.0.accounts.0.openDate'],
  ])('refuses %s as a bad response', async (_what, change, at) => {
    nock(BASE).post(ACCOUNTS).reply(answer([{ idNo: PERSON_ID, custFound: 'Y', idType: '01', accounts: [{ ...personRow, ...change }] }]));
    expect(await failureOf(client.holdings([PERSON_ID]))).toEqual({
      agencyError: true,
      message: `The bank NCB answered in an unexpected shape at ${at}.`,
      extensions: { code: 'AGENCY_BAD_RESPONSE', agency: 'bank', provider: 'NCB' },
    });
  });

  it.each(
    failureCases({
      code: 'NCB',
      refusal: { status: 413, body: { retCode: 'E1003', retMsg: 'at most 100 keys per request, got 101' }, agencyCode: 'E1003', message: 'at most 100 keys per request, got 101' },
      serverError: { body: { retCode: 'SYSTEM_BUSY', retMsg: 'system busy, try later' }, agencyCode: 'SYSTEM_BUSY', message: 'system busy, try later' },
      wrongShape: { body: { retCode: '0000', retMsg: 'success', requestNo: 'X', results: 'none' }, at: 'results' },
    }),
  )('turns %s into an AgencyError naming the bank', async (_what, arrange, expected) => {
    arrange(nock(BASE).post(ACCOUNTS));
    expect(await failureOf(client.holdings([PERSON_ID]))).toEqual(expected);
  });
});
