import nock from 'nock';
import { useNockAtAgencyEdge } from '../../../support/nockAtAgencyEdge';
import { AgencyError } from '../../../../subgraphs/shared/agencyError';
import {
  HOUSING_FUND_MAX_BATCH,
  HousingFundClient,
  SOCIAL_INSURANCE_MAX_BATCH,
  SocialInsuranceClient,
} from '../../../../subgraphs/social-insurance/client';
import { createSocialInsuranceLoaders } from '../../../../subgraphs/social-insurance/loaders';
import { PATIENT_AGENCY_TIMEOUT_MS } from '../../../support/agencyLimits';

const SI_URL = 'http://si.test';
const GJJ_URL = 'http://gjj.test';
const SI_PATH = '/si/exchange/insured';
const GJJ_PATH = '/gjj/api/account/query';

const A = '330106197504181234';
const B = '330203198206062345';
const C = '330106198503033456';

const fixedNumber = () => 'REQ-1';
const si = (timeoutMs = PATIENT_AGENCY_TIMEOUT_MS) => new SocialInsuranceClient({ baseUrl: SI_URL, timeoutMs, requestNumber: fixedNumber });
const gjj = (timeoutMs = PATIENT_AGENCY_TIMEOUT_MS) => new HousingFundClient({ baseUrl: GJJ_URL, timeoutMs, requestNumber: fixedNumber });

/** The AgencyError a promise rejects with, as a plain object so whole errors compare. */
async function agencyErrorOf(promise: Promise<unknown>): Promise<{ name: string; message: string; extensions: Record<string, unknown> }> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof AgencyError)) throw new Error(`expected an AgencyError, got ${String(error)}`);
  return { name: error.name, message: error.message, extensions: { ...error.extensions } };
}

const ids = (n: number) => Array.from({ length: n }, (_, i) => `3301061990011${String(i).padStart(5, '0')}`);

useNockAtAgencyEdge();

describe('SocialInsuranceClient', () => {
  test('translates the bureau fields: status codes, yuan strings to fen, compact dates and months', async () => {
    nock(SI_URL)
      .post(SI_PATH, { jbh: 'REQ-1', sfzhm: [A, B, C] })
      .reply(200, {
        status: 'OK',
        records: [
          { sfzhm: A, cbzt: '1', dwbh: '91330106MA2X00012Y', jfjs: '18000.00', cbrq: '20080229', yljj: '0.00', ffjl: [] },
          { sfzhm: B, cbzt: '2', dwbh: null, jfjs: '9000.5', cbrq: '19991231', yljj: '0', ffjl: [] },
          {
            sfzhm: C,
            cbzt: '3',
            dwbh: null,
            jfjs: '0.00',
            cbrq: '19950101',
            yljj: '4210.07',
            ffjl: [
              { ny: '202604', je: '4210.07' },
              { ny: '202612', je: '0.01' },
            ],
          },
        ],
      });
    const found = await si().insuredByIdNumbers([A, B, C]);
    expect([...found.entries()]).toEqual([
      [A, { idNumber: A, status: 'INSURED', employerCreditCode: '91330106MA2X00012Y', contributionBaseFen: 1_800_000, insuredSince: '2008-02-29', monthlyPensionFen: 0, pensionPayments: [] }],
      [B, { idNumber: B, status: 'SUSPENDED', employerCreditCode: null, contributionBaseFen: 900_050, insuredSince: '1999-12-31', monthlyPensionFen: 0, pensionPayments: [] }],
      [
        C,
        {
          idNumber: C,
          status: 'RETIRED',
          employerCreditCode: null,
          contributionBaseFen: 0,
          insuredSince: '1995-01-01',
          monthlyPensionFen: 421_007,
          pensionPayments: [
            { month: '2026-04', amountFen: 421_007 },
            { month: '2026-12', amountFen: 1 },
          ],
        },
      ],
    ]);
  });

  test('a person the bureau does not know is absent; rows not asked about are ignored', async () => {
    nock(SI_URL)
      .post(SI_PATH, { jbh: 'REQ-1', sfzhm: [A, B] })
      .reply(200, { status: 'OK', records: [{ sfzhm: C, cbzt: '1', dwbh: null, jfjs: '1.00', cbrq: '20200101', yljj: '0.00', ffjl: [] }] });
    expect(await si().insuredByIdNumbers([A, B])).toEqual(new Map());
  });

  test('gives every request its own request number by default', async () => {
    const seen: string[] = [];
    nock(SI_URL)
      .post(SI_PATH, (body: { jbh: string }) => (seen.push(body.jbh), true))
      .times(2)
      .reply(200, { status: 'OK', records: [] });
    const client = new SocialInsuranceClient({ baseUrl: SI_URL });
    await client.insuredByIdNumbers([A]);
    await client.insuredByIdNumbers([A]);
    expect(seen).toHaveLength(2);
    expect(seen[0]).toMatch(/^CAG[0-9A-F]{32}$/);
    expect(seen[1]).not.toBe(seen[0]);
  });

  test.each([
    ['a date that does not exist', { cbrq: '20230229' }, 'records.0.cbrq'],
    ['a float instead of a yuan string', { jfjs: 8500.5 }, 'records.0.jfjs'],
    ['more precision than a fen', { jfjs: '8500.505' }, 'records.0.jfjs'],
    ['an unknown status code', { cbzt: '4' }, 'records.0.cbzt'],
    ['a month 13', { ffjl: [{ ny: '202613', je: '1.00' }] }, 'records.0.ffjl.0.ny'],
  ])('refuses %s as a bad response', async (_what, patch, where) => {
    nock(SI_URL)
      .post(SI_PATH)
      .reply(200, { status: 'OK', records: [{ sfzhm: A, cbzt: '1', dwbh: null, jfjs: '8500.00', cbrq: '20200101', yljj: '0.00', ffjl: [], ...patch }] });
    expect(await agencyErrorOf(si().insuredByIdNumbers([A]))).toEqual({
      name: 'AgencyError',
      message: `The social insurance bureau answered in an unexpected shape at ${where}.`,
      extensions: { code: 'AGENCY_BAD_RESPONSE', agency: 'social insurance bureau' },
    });
  });

  test('two records for one person are a bad response, not a guess', async () => {
    const row = { sfzhm: A, cbzt: '1', dwbh: null, jfjs: '8500.00', cbrq: '20200101', yljj: '0.00', ffjl: [] };
    nock(SI_URL).post(SI_PATH).reply(200, { status: 'OK', records: [row, { ...row, jfjs: '1.00' }] });
    expect(await agencyErrorOf(si().insuredByIdNumbers([A]))).toEqual({
      name: 'AgencyError',
      message: 'The social insurance bureau answered two insured records for one ID number.',
      extensions: { code: 'AGENCY_BAD_RESPONSE', agency: 'social insurance bureau' },
    });
  });

  test('an error body with HTTP 413 is a refusal carrying the bureau reason', async () => {
    nock(SI_URL).post(SI_PATH).reply(413, { status: 'ERROR', reason: 'at most 30 keys per request, got 31' });
    expect(await agencyErrorOf(si().insuredByIdNumbers([A]))).toEqual({
      name: 'AgencyError',
      message: 'The social insurance bureau refused the request (HTTP 413): at most 30 keys per request, got 31',
      extensions: { code: 'AGENCY_REFUSED', agency: 'social insurance bureau', httpStatus: 413 },
    });
  });

  test('an error body with HTTP 200 is a refusal too', async () => {
    nock(SI_URL).post(SI_PATH).reply(200, { status: 'ERROR', reason: '交换请求编号重复' });
    expect(await agencyErrorOf(si().insuredByIdNumbers([A]))).toEqual({
      name: 'AgencyError',
      message: 'The social insurance bureau refused the request: 交换请求编号重复',
      extensions: { code: 'AGENCY_REFUSED', agency: 'social insurance bureau' },
    });
  });

  test('an error body with HTTP 500 is unavailability with the reason', async () => {
    nock(SI_URL).post(SI_PATH).reply(500, { status: 'ERROR', reason: 'system busy, try later' });
    expect(await agencyErrorOf(si().insuredByIdNumbers([A]))).toEqual({
      name: 'AgencyError',
      message: 'The social insurance bureau failed with HTTP 500: system busy, try later',
      extensions: { code: 'AGENCY_UNAVAILABLE', agency: 'social insurance bureau', httpStatus: 500 },
    });
  });

  test('refuses a batch beyond its limit before calling the bureau', async () => {
    await expect(si().insuredByIdNumbers(ids(SOCIAL_INSURANCE_MAX_BATCH + 1))).rejects.toThrow(
      new RangeError('The social insurance bureau takes 1 to 30 ID numbers per request, got 31.'),
    );
  });
});

describe('HousingFundClient', () => {
  test('translates the fund centre fields: fen integers kept, status words to enums', async () => {
    nock(GJJ_URL)
      .post(GJJ_PATH, { requestNo: 'REQ-1', idCards: [A, B, C] })
      .reply(200, {
        retcode: 0,
        list: [
          { idCard: A, grzh: 'GJJ330106000000123', zhye: 46_000_001, yjce: 432_000, zhzt: '正常' },
          { idCard: B, grzh: 'GJJ330203000000456', zhye: 0, yjce: 0, zhzt: '封存' },
          { idCard: C, grzh: 'GJJ330106000000789', zhye: 1, yjce: 0, zhzt: '销户' },
        ],
      });
    const found = await gjj().accountsByIdNumbers([A, B, C]);
    expect([...found.entries()]).toEqual([
      [A, { idNumber: A, accountNumber: 'GJJ330106000000123', balanceFen: 46_000_001, monthlyDepositFen: 432_000, status: 'NORMAL' }],
      [B, { idNumber: B, accountNumber: 'GJJ330203000000456', balanceFen: 0, monthlyDepositFen: 0, status: 'SEALED' }],
      [C, { idNumber: C, accountNumber: 'GJJ330106000000789', balanceFen: 1, monthlyDepositFen: 0, status: 'CLOSED' }],
    ]);
  });

  test.each([
    ['a balance in yuan with decimals', { zhye: 4600.5 }, 'list.0.zhye'],
    ['a balance as a string', { zhye: '460000' }, 'list.0.zhye'],
    ['an unknown status word', { zhzt: '冻结' }, 'list.0.zhzt'],
  ])('refuses %s as a bad response', async (_what, patch, where) => {
    nock(GJJ_URL)
      .post(GJJ_PATH)
      .reply(200, { retcode: 0, list: [{ idCard: A, grzh: 'G1', zhye: 1, yjce: 1, zhzt: '正常', ...patch }] });
    const error = await agencyErrorOf(gjj().accountsByIdNumbers([A]));
    expect(error).toEqual({
      name: 'AgencyError',
      message: `The housing provident fund centre answered in an unexpected shape at ${where}.`,
      extensions: { code: 'AGENCY_BAD_RESPONSE', agency: 'housing provident fund centre' },
    });
  });

  test('an error body with HTTP 413 is a refusal carrying the retcode and retmsg', async () => {
    nock(GJJ_URL).post(GJJ_PATH).reply(413, { retcode: 1002, retmsg: 'at most 50 keys per request, got 51' });
    expect(await agencyErrorOf(gjj().accountsByIdNumbers([A]))).toEqual({
      name: 'AgencyError',
      message: 'The housing provident fund centre refused the request (HTTP 413): at most 50 keys per request, got 51',
      extensions: { code: 'AGENCY_REFUSED', agency: 'housing provident fund centre', agencyCode: '1002', httpStatus: 413 },
    });
  });

  test('a non-zero retcode with HTTP 200 is a refusal too', async () => {
    nock(GJJ_URL).post(GJJ_PATH).reply(200, { retcode: 2001, retmsg: '查询权限未开通' });
    expect(await agencyErrorOf(gjj().accountsByIdNumbers([A]))).toEqual({
      name: 'AgencyError',
      message: 'The housing provident fund centre refused the request: 查询权限未开通',
      extensions: { code: 'AGENCY_REFUSED', agency: 'housing provident fund centre', agencyCode: '2001' },
    });
  });

  test('a non-zero retcode without retmsg is a refusal naming the code', async () => {
    nock(GJJ_URL).post(GJJ_PATH).reply(200, { retcode: 3 });
    expect(await agencyErrorOf(gjj().accountsByIdNumbers([A]))).toEqual({
      name: 'AgencyError',
      message: 'The housing provident fund centre refused the request: return code 3',
      extensions: { code: 'AGENCY_REFUSED', agency: 'housing provident fund centre', agencyCode: '3' },
    });
  });
});

describe.each([
  { agency: 'social insurance bureau', url: SI_URL, path: SI_PATH, discriminator: 'status', call: (timeoutMs?: number) => si(timeoutMs).insuredByIdNumbers([A]) },
  { agency: 'housing provident fund centre', url: GJJ_URL, path: GJJ_PATH, discriminator: 'retcode', call: (timeoutMs?: number) => gjj(timeoutMs).accountsByIdNumbers([A]) },
])('failures of the $agency', ({ agency, url, path, discriminator, call }) => {
  test('a body that is not JSON is a bad response', async () => {
    nock(url).post(path).reply(200, '<html>维护中</html>', { 'content-type': 'text/html' });
    expect(await agencyErrorOf(call())).toEqual({
      name: 'AgencyError',
      message: `The ${agency} answered something that is not JSON.`,
      extensions: { code: 'AGENCY_BAD_RESPONSE', agency, httpStatus: 200 },
    });
  });

  test('JSON of the wrong shape is a bad response', async () => {
    nock(url).post(path).reply(200, { rows: [] });
    expect(await agencyErrorOf(call())).toEqual({
      name: 'AgencyError',
      message: `The ${agency} answered in an unexpected shape at ${discriminator}.`,
      extensions: { code: 'AGENCY_BAD_RESPONSE', agency },
    });
  });

  test('HTTP 500 with an HTML page is unavailability', async () => {
    nock(url).post(path).reply(500, '<html>Internal Server Error</html>');
    expect(await agencyErrorOf(call())).toEqual({
      name: 'AgencyError',
      message: `The ${agency} answered HTTP 500.`,
      extensions: { code: 'AGENCY_UNAVAILABLE', agency, httpStatus: 500 },
    });
  });

  test('an answer later than the time limit is a timeout', async () => {
    nock(url).post(path).delay(500).reply(200, {});
    expect(await agencyErrorOf(call(20))).toEqual({
      name: 'AgencyError',
      message: `The ${agency} did not answer within 20 ms.`,
      extensions: { code: 'AGENCY_TIMEOUT', agency },
    });
  });

  test('a refused connection is unavailability', async () => {
    nock(url).post(path).replyWithError({ code: 'ECONNREFUSED', message: 'connect ECONNREFUSED' });
    expect(await agencyErrorOf(call())).toEqual({
      name: 'AgencyError',
      message: `The ${agency} could not be reached.`,
      extensions: { code: 'AGENCY_UNAVAILABLE', agency },
    });
  });
});

describe('loaders', () => {
  const loaders = () => createSocialInsuranceLoaders({ socialInsurance: si(), housingFund: gjj() });

  test('2 * max + 1 keys for each system go out as exactly 3 calls each, none above its limit', async () => {
    const { insured, housingFund } = loaders();
    const siKeys = ids(2 * SOCIAL_INSURANCE_MAX_BATCH + 1);
    const gjjKeys = ids(2 * HOUSING_FUND_MAX_BATCH + 1);
    const siSizes: number[] = [];
    const gjjSizes: number[] = [];
    nock(SI_URL)
      .post(SI_PATH, (body: { sfzhm: string[] }) => (siSizes.push(body.sfzhm.length), true))
      .times(3)
      .reply(200, (_uri, body) => ({
        status: 'OK',
        records: (body as { sfzhm: string[] }).sfzhm.map((sfzhm) => ({ sfzhm, cbzt: '1', dwbh: null, jfjs: '1.00', cbrq: '20200101', yljj: '0.00', ffjl: [] })),
      }));
    nock(GJJ_URL)
      .post(GJJ_PATH, (body: { idCards: string[] }) => (gjjSizes.push(body.idCards.length), true))
      .times(3)
      .reply(200, (_uri, body) => ({
        retcode: 0,
        list: (body as { idCards: string[] }).idCards.slice(1).map((idCard) => ({ idCard, grzh: `G${idCard}`, zhye: 1, yjce: 1, zhzt: '正常' })),
      }));
    const [records, accounts] = await Promise.all([
      Promise.all(siKeys.map((k) => insured.load(k))),
      Promise.all(gjjKeys.map((k) => housingFund.load(k))),
    ]);
    expect(siSizes).toEqual([30, 30, 1]);
    expect(gjjSizes).toEqual([50, 50, 1]);
    expect(records.map((r) => r?.idNumber)).toEqual(siKeys);
    // The first of each fund-centre batch has no account: null, not an error.
    const missing = gjjKeys.filter((_, i) => accounts[i] === null);
    expect(missing).toEqual([gjjKeys[0], gjjKeys[50], gjjKeys[100]]);
  });

  test('a failing batch fails every key in it with the same AgencyError', async () => {
    nock(GJJ_URL).post(GJJ_PATH).reply(500, { retcode: 9999, retmsg: '系统繁忙' });
    const { housingFund } = loaders();
    const errors = await Promise.all([A, B].map((k) => agencyErrorOf(housingFund.load(k))));
    const expected = {
      name: 'AgencyError',
      message: 'The housing provident fund centre failed with HTTP 500: 系统繁忙',
      extensions: { code: 'AGENCY_UNAVAILABLE', agency: 'housing provident fund centre', agencyCode: '9999', httpStatus: 500 },
    };
    expect(errors).toEqual([expected, expected]);
  });
});
