import nock from 'nock';
import { RCC_MAX_BATCH, RCC_MAX_PAGES, RccClient } from '../../../../subgraphs/bank/client';
import { bodyOf, COMPANY_ID, connectOne, failureCases, failureOf, loadersFor, nockAtTheBankEdge, PERSON_ID, TIMEOUT_MS } from '../../../support/bankHarness';

const BASE = 'http://rcc.bank.test';
const CX = '/rcc/cx';

nockAtTheBankEdge();

const client = new RccClient({ baseUrl: BASE, timeoutMs: TIMEOUT_MS });

const row = (zh: string, zjhm = PERSON_ID) => ({
  zjhm,
  zjlx: zjhm === COMPANY_ID ? '统一社会信用代码' : '身份证',
  zh,
  zhlx: '活期',
  bz: '人民币',
  ye: '12000.00',
  kyye: '9600.05',
  zhzt: '正常',
  wdh: 'RCC5541',
  khrq: '2021/08/21',
});

/** RCC's pages of the given rows, 10 a page, answered to whichever page is asked. */
function pagedAnswer(rows: unknown[], asked: Record<string, unknown>[]) {
  const pageCount = Math.max(1, Math.ceil(rows.length / 10));
  return (_uri: string, body: unknown) => {
    const b = bodyOf(body);
    asked.push(b);
    const page = b.page as number;
    return [200, { qqdh: b.qqdh, page, pageCount, rows: rows.slice((page - 1) * 10, page * 10) }] as const;
  };
}

describe('RccClient', () => {
  it('translates pinyin-initial fields, yuan strings and YYYY/MM/DD exactly', async () => {
    const asked: Record<string, unknown>[] = [];
    nock(BASE)
      .post(CX)
      .reply(pagedAnswer([row('201278864000000010'), { ...row('201000000000000001', COMPANY_ID), zhlx: '对公结算', bz: '美元', zhzt: '久悬', ye: '0.00', kyye: '-0.01', khrq: '2004/02/29' }], asked));
    const found = await client.holdings([PERSON_ID, COMPANY_ID]);
    expect(asked).toEqual([{ qqdh: expect.stringMatching(/^CAG[0-9A-F]{32}$/), zjhm: [PERSON_ID, COMPANY_ID], page: 1 }]);
    expect(found).toEqual(
      new Map([
        [
          PERSON_ID,
          {
            accounts: [
              {
                bankCode: 'RCC',
                accountNumber: '201278864000000010',
                holder: { kind: 'PERSON', idNumber: PERSON_ID },
                type: 'DEMAND',
                currency: 'CNY',
                balanceFen: 1_200_000,
                availableFen: 960_005,
                status: 'NORMAL',
                branchCode: 'RCC5541',
                openedOn: '2021-08-21',
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
                bankCode: 'RCC',
                accountNumber: '201000000000000001',
                holder: { kind: 'COMPANY', creditCode: COMPANY_ID },
                type: 'SETTLEMENT',
                currency: 'USD',
                balanceFen: 0,
                availableFen: -1,
                status: 'DORMANT',
                branchCode: 'RCC5541',
                openedOn: '2004-02-29',
              },
            ],
            wealth: [],
          },
        ],
      ]),
    );
  });

  it('follows every page, each with its own qqdh, and returns all 23 rows', async () => {
    const rows = Array.from({ length: 23 }, (_, i) => row(`2010000000000000${String(i).padStart(2, '0')}`));
    const asked: Record<string, unknown>[] = [];
    nock(BASE).post(CX).times(3).reply(pagedAnswer(rows, asked));
    const found = await client.holdings([PERSON_ID]);
    expect(asked.map((b) => b.page)).toEqual([1, 2, 3]);
    expect(new Set(asked.map((b) => b.qqdh)).size).toBe(3);
    expect(found.get(PERSON_ID)?.accounts.map((a) => a.accountNumber)).toEqual(rows.map((r) => r.zh));
  });

  it('looks accounts up by zh', async () => {
    const asked: Record<string, unknown>[] = [];
    nock(BASE).post(CX).reply(pagedAnswer([row('201278864000000010')], asked));
    const found = await client.accountsByNumber(['201278864000000010', '201999']);
    expect(asked.map((b) => b.zh)).toEqual([['201278864000000010', '201999']]);
    expect([...found.keys()]).toEqual(['201278864000000010']);
  });

  it('answers queries only: no wealth-management products', () => {
    expect(client.wealth).toEqual({ from: 'NONE' });
  });

  it(`splits ${2 * RCC_MAX_BATCH + 1} holders into exactly 3 calls of at most ${RCC_MAX_BATCH}`, async () => {
    const asked: Record<string, unknown>[] = [];
    nock(BASE).post(CX).times(3).reply(pagedAnswer([], asked));
    const keys = Array.from({ length: 2 * RCC_MAX_BATCH + 1 }, (_, i) => `K${i}`);
    const loader = loadersFor(connectOne('RCC', BASE));
    await Promise.all(keys.map((k) => loader.holdings.load(k)));
    expect(asked.map((b) => (b.zjhm as string[]).length)).toEqual([RCC_MAX_BATCH, RCC_MAX_BATCH, 1]);
    expect(asked.flatMap((b) => b.zjhm as string[])).toEqual(keys);
  });

  it.each([
    ['a page count that changes between pages', [{ page: 1, pageCount: 2 }, { page: 2, pageCount: 3 }], 'The bank RCC changed its page count from 2 to 3 during one inquiry.'],
    ['another page than the one asked', [{ page: 1, pageCount: 2 }, { page: 1, pageCount: 2 }], 'The bank RCC answered page 1 when asked for page 2.'],
    ['more pages than any real answer', [{ page: 1, pageCount: RCC_MAX_PAGES + 1 }], `The bank RCC announced ${RCC_MAX_PAGES + 1} pages for 1 keys, more than any real answer.`],
  ])('calls %s a bad response', async (_what, pages, message) => {
    let call = 0;
    nock(BASE)
      .post(CX)
      .times(pages.length)
      .reply((_uri, body) => [200, { qqdh: bodyOf(body).qqdh, ...pages[call++], rows: [] }]);
    expect(await failureOf(client.holdings([PERSON_ID]))).toEqual({
      agencyError: true,
      message,
      extensions: { code: 'AGENCY_BAD_RESPONSE', agency: 'bank', provider: 'RCC' },
    });
  });

  it.each([
    ['a date written YYYY-MM-DD', { khrq: '2021-08-21' }, 'rows.0.khrq'],
    ['a currency word it does not document', { bz: 'CNY' }, 'rows.0.bz'],
    ['an amount in fen', { ye: '1200000' }, 'rows.0.ye'],
  ])('refuses %s as a bad response', async (_what, change, at) => {
    nock(BASE)
      .post(CX)
      .reply((_uri, body) => [200, { qqdh: bodyOf(body).qqdh, page: 1, pageCount: 1, rows: [{ ...row('201278864000000010'), ...change }] }]);
    expect(await failureOf(client.holdings([PERSON_ID]))).toEqual({
      agencyError: true,
      message: `The bank RCC answered in an unexpected shape at ${at}.`,
      extensions: { code: 'AGENCY_BAD_RESPONSE', agency: 'bank', provider: 'RCC' },
    });
  });

  it.each(
    failureCases({
      code: 'RCC',
      refusal: { status: 400, body: { code: '1004', msg: 'page 3 is beyond the last page 2' }, agencyCode: '1004', message: 'page 3 is beyond the last page 2' },
      serverError: { body: { code: 'SYSTEM_BUSY', msg: 'system busy, try later' }, agencyCode: 'SYSTEM_BUSY', message: 'system busy, try later' },
      wrongShape: { body: { qqdh: 'X', page: 1, rows: [] }, at: 'pageCount' },
    }),
  )('turns %s into an AgencyError naming the bank', async (_what, arrange, expected) => {
    arrange(nock(BASE).post(CX));
    expect(await failureOf(client.holdings([PERSON_ID]))).toEqual(expected);
  });
});
