import nock from 'nock';
import { HZCB_MAX_BATCH, HzcbClient } from '../../../../subgraphs/bank/client';
import { bodyOf, COMPANY_ID, connectOne, failureCases, failureOf, loadersFor, nockAtTheBankEdge, OTHER_PERSON_ID, PERSON_ID, TIMEOUT_MS } from '../../../support/bankHarness';

const BASE = 'http://hzcb.bank.test';
const QUERY = '/api/query';

nockAtTheBankEdge();

const client = new HzcbClient({ baseUrl: BASE, timeoutMs: TIMEOUT_MS });

function answer(data: unknown[]) {
  return (_uri: string, body: unknown) => [200, { req_id: bodyOf(body).req_id, total: data.length, data }] as const;
}

const row = {
  account_no: '3301806500000009',
  account_type: 'demand',
  currency: 'CNY',
  balance: '76543.21',
  available_balance: '0.07',
  account_status: 'normal',
  branch_code: 'HZCB8036',
  open_date: '20210329',
};

describe('HzcbClient', () => {
  it('asks by cust_id_list with a fresh req_id and translates snake_case, yuan strings and YYYYMMDD exactly', async () => {
    const sent: Record<string, unknown>[] = [];
    nock(BASE)
      .post(QUERY, (body) => sent.push(bodyOf(body)) > 0)
      .reply(
        answer([
          { cust_id: PERSON_ID, cust_type: 'individual', account_list: [row, { ...row, account_no: '3301000000000001', account_type: 'time', account_status: 'closed', balance: '-12.30' }] },
          { cust_id: COMPANY_ID, cust_type: 'corporate', account_list: [{ ...row, account_no: '3301000000000002', account_type: 'settlement', currency: 'USD', account_status: 'dormant', open_date: '20000229' }] },
        ]),
      );
    const found = await client.holdings([PERSON_ID, COMPANY_ID, OTHER_PERSON_ID]);
    expect(sent).toEqual([{ req_id: expect.stringMatching(/^CAG[0-9A-F]{32}$/), cust_id_list: [PERSON_ID, COMPANY_ID, OTHER_PERSON_ID] }]);
    const person = { kind: 'PERSON', idNumber: PERSON_ID };
    const base = { bankCode: 'HZCB', branchCode: 'HZCB8036', currency: 'CNY' };
    expect(found).toEqual(
      new Map([
        [
          PERSON_ID,
          {
            accounts: [
              { ...base, accountNumber: '3301806500000009', holder: person, type: 'DEMAND', balanceFen: 7_654_321, availableFen: 7, status: 'NORMAL', openedOn: '2021-03-29' },
              { ...base, accountNumber: '3301000000000001', holder: person, type: 'TIME', balanceFen: -1_230, availableFen: 7, status: 'CLOSED', openedOn: '2021-03-29' },
            ],
            wealth: [],
          },
        ],
        [
          COMPANY_ID,
          {
            accounts: [
              {
                ...base,
                accountNumber: '3301000000000002',
                holder: { kind: 'COMPANY', creditCode: COMPANY_ID },
                type: 'SETTLEMENT',
                currency: 'USD',
                balanceFen: 7_654_321,
                availableFen: 7,
                status: 'DORMANT',
                openedOn: '2000-02-29',
              },
            ],
            wealth: [],
          },
        ],
      ]),
    );
  });

  it('looks accounts up by account_no_list', async () => {
    nock(BASE)
      .post(QUERY, (body) => JSON.stringify(bodyOf(body).account_no_list) === JSON.stringify(['3301806500000009']))
      .reply(answer([{ cust_id: PERSON_ID, cust_type: 'individual', account_list: [row] }]));
    const found = await client.accountsByNumber(['3301806500000009']);
    expect([...found.values()].map((a) => [a.accountNumber, a.holder, a.balanceFen])).toEqual([
      ['3301806500000009', { kind: 'PERSON', idNumber: PERSON_ID }, 7_654_321],
    ]);
  });

  it('has no wealth-management endpoint', () => {
    expect(client.wealth).toEqual({ from: 'NONE' });
  });

  it(`splits ${2 * HZCB_MAX_BATCH + 1} holders into exactly 3 calls of at most ${HZCB_MAX_BATCH}`, async () => {
    const batches: string[][] = [];
    nock(BASE)
      .post(QUERY)
      .times(3)
      .reply((_uri, body) => {
        batches.push(bodyOf(body).cust_id_list as string[]);
        return [200, { req_id: bodyOf(body).req_id, total: 0, data: [] }];
      });
    const keys = Array.from({ length: 2 * HZCB_MAX_BATCH + 1 }, (_, i) => `K${i}`);
    const loader = loadersFor(connectOne('HZCB', BASE));
    await Promise.all(keys.map((k) => loader.holdings.load(k)));
    expect(batches.map((b) => b.length)).toEqual([HZCB_MAX_BATCH, HZCB_MAX_BATCH, 1]);
    expect(batches.flat()).toEqual(keys);
  });

  it.each([
    ['an amount with one decimal', { balance: '76543.2' }, 'data.0.account_list.0.balance'],
    ['an amount as a number', { available_balance: 76543.21 }, 'data.0.account_list.0.available_balance'],
    ['an ISO date', { open_date: '2021-03-29' }, 'data.0.account_list.0.open_date'],
    ['a status it does not document', { account_status: 'frozen' }, 'data.0.account_list.0.account_status'],
  ])('refuses %s as a bad response', async (_what, change, at) => {
    nock(BASE).post(QUERY).reply(answer([{ cust_id: PERSON_ID, cust_type: 'individual', account_list: [{ ...row, ...change }] }]));
    expect(await failureOf(client.holdings([PERSON_ID]))).toEqual({
      agencyError: true,
      message: `The bank HZCB answered in an unexpected shape at ${at}.`,
      extensions: { code: 'AGENCY_BAD_RESPONSE', agency: 'bank', provider: 'HZCB' },
    });
  });

  it.each(
    failureCases({
      code: 'HZCB',
      refusal: { status: 409, body: { error_code: 'INVALID_PARAM', error_message: 'req_id R1 was already used' }, agencyCode: 'INVALID_PARAM', message: 'req_id R1 was already used' },
      serverError: { body: { error_code: 'SYSTEM_BUSY', error_message: 'system busy, try later' }, agencyCode: 'SYSTEM_BUSY', message: 'system busy, try later' },
      wrongShape: { body: { req_id: 'X', total: 1, data: [{ cust_id: PERSON_ID }] }, at: 'data.0.cust_type' },
    }),
  )('turns %s into an AgencyError naming the bank', async (_what, arrange, expected) => {
    arrange(nock(BASE).post(QUERY));
    expect(await failureOf(client.holdings([PERSON_ID]))).toEqual(expected);
  });
});
