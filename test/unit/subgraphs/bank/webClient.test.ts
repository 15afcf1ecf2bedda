import nock from 'nock';
import { WEB_MAX_BATCH, WebClient } from '../../../../subgraphs/bank/client';
import { bodyOf, COMPANY_ID, connectOne, failureCases, failureOf, loadersFor, nockAtTheBankEdge, PERSON_ID, TIMEOUT_MS } from '../../../support/bankHarness';

const BASE = 'http://web.bank.test';
const BATCH_QUERY = '/openapi/v1/holdings:batchQuery';

nockAtTheBankEdge();

const client = new WebClient({ baseUrl: BASE, timeoutMs: TIMEOUT_MS });

function answer(holders: unknown[]) {
  return (_uri: string, body: unknown) => [200, { requestId: bodyOf(body).requestId, holders }] as const;
}

/** 2018-06-26 00:00 in China is 2018-06-25 16:00 UTC: read as UTC it would be a day early. */
const OPENED_AT = Date.parse('2018-06-26T00:00:00+08:00');
/** 2026-10-01 15:00 in China. */
const VALUED_AT = Date.parse('2026-10-01T15:00:00+08:00');

const account = {
  accountId: 'W547508000000011',
  productType: 'CURRENT',
  currency: 'CNY',
  balance: '345678',
  availableBalance: '276542',
  state: 'ACTIVE',
  branchId: 'WEB4739',
  openedAt: OPENED_AT,
};
const fund = { fundCode: 'WEB-FUND-88', fundName: '余利宝货币基金', shares: '34405.5', marketValue: '3521044', valuationTime: VALUED_AT };

describe('WebClient', () => {
  it('asks by holderIds and translates fen strings and epoch milliseconds (China days) exactly, funds included', async () => {
    const sent: Record<string, unknown>[] = [];
    nock(BASE)
      .post(BATCH_QUERY, (body) => sent.push(bodyOf(body)) > 0)
      .reply(
        answer([
          { holderId: PERSON_ID, holderType: 'INDIVIDUAL', accounts: [account], funds: [fund] },
          { holderId: COMPANY_ID, holderType: 'ENTERPRISE', accounts: [{ ...account, accountId: 'W1', productType: 'CORPORATE_SETTLEMENT', state: 'CLOSED', balance: '0', availableBalance: '-5' }], funds: [] },
        ]),
      );
    const found = await client.holdings([PERSON_ID, COMPANY_ID]);
    expect(sent).toEqual([{ requestId: expect.stringMatching(/^CAG[0-9A-F]{32}$/), holderIds: [PERSON_ID, COMPANY_ID] }]);
    expect(found).toEqual(
      new Map([
        [
          PERSON_ID,
          {
            accounts: [
              {
                bankCode: 'WEB',
                accountNumber: 'W547508000000011',
                holder: { kind: 'PERSON', idNumber: PERSON_ID },
                type: 'DEMAND',
                currency: 'CNY',
                balanceFen: 345_678,
                availableFen: 276_542,
                status: 'NORMAL',
                branchCode: 'WEB4739',
                openedOn: '2018-06-26',
              },
            ],
            wealth: [{ bankCode: 'WEB', productCode: 'WEB-FUND-88', productName: '余利宝货币基金', unitsMilli: 34_405_500, marketValueFen: 3_521_044, valuedOn: '2026-10-01' }],
          },
        ],
        [
          COMPANY_ID,
          {
            accounts: [
              {
                bankCode: 'WEB',
                accountNumber: 'W1',
                holder: { kind: 'COMPANY', creditCode: COMPANY_ID },
                type: 'SETTLEMENT',
                currency: 'CNY',
                balanceFen: 0,
                availableFen: -5,
                status: 'CLOSED',
                branchCode: 'WEB4739',
                openedOn: '2018-06-26',
              },
            ],
            wealth: [],
          },
        ],
      ]),
    );
  });

  it('answers funds with the accounts, so wealth costs no call of its own', () => {
    expect(client.wealth).toEqual({ from: 'HOLDINGS' });
  });

  it('looks accounts up by accountIds', async () => {
    nock(BASE)
      .post(BATCH_QUERY, (body) => JSON.stringify(bodyOf(body).accountIds) === JSON.stringify(['W547508000000011']))
      .reply(answer([{ holderId: PERSON_ID, holderType: 'INDIVIDUAL', accounts: [account], funds: [] }]));
    const found = await client.accountsByNumber(['W547508000000011']);
    expect([...found.values()].map((a) => [a.accountNumber, a.holder, a.openedOn])).toEqual([
      ['W547508000000011', { kind: 'PERSON', idNumber: PERSON_ID }, '2018-06-26'],
    ]);
  });

  it(`splits ${2 * WEB_MAX_BATCH + 1} holders into exactly 3 calls of at most ${WEB_MAX_BATCH}`, async () => {
    const batches: string[][] = [];
    nock(BASE)
      .post(BATCH_QUERY)
      .times(3)
      .reply((_uri, body) => {
        batches.push(bodyOf(body).holderIds as string[]);
        return [200, { requestId: bodyOf(body).requestId, holders: [] }];
      });
    const keys = Array.from({ length: 2 * WEB_MAX_BATCH + 1 }, (_, i) => `K${i}`);
    const loader = loadersFor(connectOne('WEB', BASE));
    await Promise.all(keys.map((k) => loader.holdings.load(k)));
    expect(batches.map((b) => b.length)).toEqual([WEB_MAX_BATCH, WEB_MAX_BATCH, 1]);
    expect(batches.flat()).toEqual(keys);
  });

  it.each([
    ['an amount as a JSON number', { balance: 345678 }, 'holders.0.accounts.0.balance'],
    ['an amount in yuan', { availableBalance: '3456.78' }, 'holders.0.accounts.0.availableBalance'],
    ['a time as an ISO string', { openedAt: '2018-06-26' }, 'holders.0.accounts.0.openedAt'],
    ['a time in seconds with a fraction', { openedAt: 1529942400.5 }, 'holders.0.accounts.0.openedAt'],
  ])('refuses %s as a bad response', async (_what, change, at) => {
    nock(BASE).post(BATCH_QUERY).reply(answer([{ holderId: PERSON_ID, holderType: 'INDIVIDUAL', accounts: [{ ...account, ...change }], funds: [] }]));
    expect(await failureOf(client.holdings([PERSON_ID]))).toEqual({
      agencyError: true,
      message: `The bank WEB answered in an unexpected shape at ${at}.`,
      extensions: { code: 'AGENCY_BAD_RESPONSE', agency: 'bank', provider: 'WEB' },
    });
  });

  it.each(
    failureCases({
      code: 'WEB',
      refusal: { status: 400, body: { error: { code: 'INVALID_ARGUMENT', message: 'holderIds must not be empty' } }, agencyCode: 'INVALID_ARGUMENT', message: 'holderIds must not be empty' },
      serverError: { body: { error: { code: 'SYSTEM_BUSY', message: 'system busy, try later' } }, agencyCode: 'SYSTEM_BUSY', message: 'system busy, try later' },
      wrongShape: { body: { requestId: 'X', holders: [{ holderId: PERSON_ID, holderType: 'INDIVIDUAL', accounts: [] }] }, at: 'holders.0.funds' },
    }),
  )('turns %s into an AgencyError naming the bank', async (_what, arrange, expected) => {
    arrange(nock(BASE).post(BATCH_QUERY));
    expect(await failureOf(client.holdings([PERSON_ID]))).toEqual(expected);
  });
});
