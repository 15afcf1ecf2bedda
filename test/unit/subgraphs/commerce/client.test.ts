import nock from 'nock';
import { useNockAtAgencyEdge } from '../../../support/nockAtAgencyEdge';
import { AgencyError } from '../../../../subgraphs/shared/agencyError';
import { COMMERCE_CONTROL_PREFIX, COMMERCE_MAX_BATCH, CommerceClient } from '../../../../subgraphs/commerce/client';
import type { Enterprise } from '../../../../subgraphs/commerce/types';
import { ControlClient } from '../../../../subgraphs/shared/measures/controlClient';
import { createCommerceLoaders } from '../../../../subgraphs/commerce/loaders';
import { PATIENT_AGENCY_TIMEOUT_MS } from '../../../support/agencyLimits';

const baseUrl = 'http://commerce.test';
const AGENCY = 'commerce registry';
const REQUEST_ID = 'FY-COMMERCE-0001';
const PERSON = '33010619750418001X';
const SPOUSE = '330106197711020027';
const STRANGER = '110101199001010031';
const COMPANY = '91330106MA2B00001Y';
const SUBSIDIARY = '91330203MA2B00002U';

function client(timeoutMs = 1000): CommerceClient {
  return new CommerceClient({ baseUrl, timeoutMs, requestId: () => REQUEST_ID });
}

function control(): ControlClient {
  return new ControlClient({ agency: AGENCY, baseUrl, prefix: COMMERCE_CONTROL_PREFIX, timeoutMs: PATIENT_AGENCY_TIMEOUT_MS });
}

/** An enterprise as the registry writes it: 万元 strings, Chinese status, a person and a spouse as investors. */
function wireCompany() {
  return {
    uniscid: COMPANY,
    entname: '杭州锦程建材有限公司',
    regstate: '存续',
    regcap: '120.5',
    regcapcur: '人民币',
    lerep_cerno: PERSON.toLowerCase(),
    estdate: '2015-03-12',
    dom: '浙江省杭州市西湖区文三路90号',
    opscope: '建筑材料销售',
    investors: [
      { inv_type: '自然人股东', inv_cerno: PERSON, subconam: '120.499999', acconam: '0.000001', condate: '2015-03-12', invid: 'INV-1' },
      { inv_type: '自然人股东', inv_cerno: SPOUSE, subconam: '0.000001', acconam: '0', condate: '', invid: 'INV-2' },
    ],
  };
}

const company: Enterprise = {
  creditCode: COMPANY,
  name: '杭州锦程建材有限公司',
  status: 'ACTIVE',
  // 120.5 万元 = 1,205,000.00 yuan
  registeredCapitalFen: 120_500_000,
  legalRepresentative: PERSON,
  establishedOn: '2015-03-12',
  address: '浙江省杭州市西湖区文三路90号',
  businessScope: '建筑材料销售',
  shareholders: [
    {
      id: `${COMPANY}:INV-1`,
      companyCreditCode: COMPANY,
      companyRegisteredCapitalFen: 120_500_000,
      holder: { kind: 'PERSON', idNumber: PERSON },
      subscribedFen: 120_499_999,
      paidInFen: 1,
      subscribedOn: '2015-03-12',
    },
    {
      id: `${COMPANY}:INV-2`,
      companyCreditCode: COMPANY,
      companyRegisteredCapitalFen: 120_500_000,
      holder: { kind: 'PERSON', idNumber: SPOUSE },
      subscribedFen: 1,
      paidInFen: 0,
      subscribedOn: null,
    },
  ],
};

/** The person's stake in the company, as /investors/batch writes it: with the company's name and capital. */
function wirePersonStake() {
  const { uniscid, entname, regcap, regcapcur, investors } = wireCompany();
  return { uniscid, entname, regcap, regcapcur, ...investors[0] };
}

/** A stake the company holds in its subsidiary, as /investors/batch writes it. */
const wireSubsidiaryStake = {
  uniscid: SUBSIDIARY,
  entname: '宁波锦程物流有限公司',
  regcap: '1000.000000',
  regcapcur: '人民币',
  inv_type: '企业法人',
  inv_cerno: COMPANY,
  subconam: '600.000000',
  acconam: '600',
  condate: '2016-07-01',
  invid: 'INV-9',
};

/** The whole AgencyError a promise rejects with. */
async function failure(promise: Promise<unknown>): Promise<{ name: string; message: string; extensions: unknown }> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof AgencyError) return { name: error.name, message: error.message, extensions: error.extensions };
    throw error;
  }
  throw new Error('expected the call to fail');
}

useNockAtAgencyEdge();

describe('CommerceClient translation', () => {
  it('reads enterprises with 万元 amounts exact to the fen, ISO dates and normalised ID numbers', async () => {
    nock(baseUrl)
      .post('/api/v2/enterprises/batch', { requestId: REQUEST_ID, uniscids: [COMPANY, SUBSIDIARY] })
      .reply(200, { success: true, data: [wireCompany()] });
    expect(await client().enterprises([COMPANY, SUBSIDIARY])).toEqual(new Map([[COMPANY, company]]));
  });

  it.each([
    ['存续', 'ACTIVE'],
    ['吊销', 'REVOKED'],
    ['注销', 'CANCELLED'],
    ['清算', 'LIQUIDATING'],
  ])('reads regstate %s as %s', async (regstate, status) => {
    nock(baseUrl).post('/api/v2/enterprises/batch').reply(200, { success: true, data: [{ ...wireCompany(), regstate }] });
    expect((await client().enterprises([COMPANY])).get(COMPANY)?.status).toBe(status);
  });

  it.each([
    ['120.5', 120_500_000],
    ['0.000001', 1],
    ['500.000000', 500_000_000],
    ['0', 0],
    ['9007199254.740991', Number.MAX_SAFE_INTEGER],
  ])('reads regcap %s 万元 as %d fen', async (regcap, fen) => {
    nock(baseUrl).post('/api/v2/enterprises/batch').reply(200, { success: true, data: [{ ...wireCompany(), regcap }] });
    expect((await client().enterprises([COMPANY])).get(COMPANY)?.registeredCapitalFen).toBe(fen);
  });

  it('groups the stakes of persons and companies asked together by holder, each with its company’s capital', async () => {
    nock(baseUrl)
      .post('/api/v2/investors/batch', { requestId: REQUEST_ID, cernos: [PERSON, COMPANY, STRANGER] })
      .reply(200, {
        success: true,
        data: [wirePersonStake(), wireSubsidiaryStake],
      });
    expect(await client().holdingsOf([PERSON, COMPANY, STRANGER])).toEqual(
      new Map([
        [PERSON, [company.shareholders[0]]],
        [
          COMPANY,
          [
            {
              id: `${SUBSIDIARY}:INV-9`,
              companyCreditCode: SUBSIDIARY,
              // 1000 万元 = 10,000,000.00 yuan
              companyRegisteredCapitalFen: 1_000_000_000,
              holder: { kind: 'COMPANY', creditCode: COMPANY },
              subscribedFen: 600_000_000,
              paidInFen: 600_000_000,
              subscribedOn: '2016-07-01',
            },
          ],
        ],
      ]),
    );
  });

  it.each([
    ['120.5', 120_500_000],
    ['0.000001', 1],
    ['0', 0],
    ['9007199254.740991', Number.MAX_SAFE_INTEGER],
  ])('reads the capital %s 万元 given with a stake as %d fen', async (regcap, fen) => {
    nock(baseUrl).post('/api/v2/investors/batch').reply(200, { success: true, data: [{ ...wirePersonStake(), regcap }] });
    expect((await client().holdingsOf([PERSON])).get(PERSON)?.map((stake) => stake.companyRegisteredCapitalFen)).toEqual([fen]);
  });

  it('groups represented companies by legal representative', async () => {
    nock(baseUrl)
      .post('/api/v2/lerep/batch', { requestId: REQUEST_ID, cernos: [PERSON, SPOUSE] })
      .reply(200, {
        success: true,
        data: [
          { lerep_cerno: PERSON, uniscid: COMPANY, entname: '杭州锦程建材有限公司', regstate: '存续' },
          { lerep_cerno: PERSON, uniscid: SUBSIDIARY, entname: '宁波锦程物流有限公司', regstate: '吊销' },
        ],
      });
    expect(await client().legalRepresentativeOf([PERSON, SPOUSE])).toEqual(new Map([[PERSON, [COMPANY, SUBSIDIARY]]]));
  });

  it('refuses an empty or oversized batch before calling the registry', async () => {
    const keys = Array.from({ length: COMMERCE_MAX_BATCH + 1 }, () => PERSON);
    await expect(client().holdingsOf(keys)).rejects.toThrow(new Error('A commerce registry batch holds 1 to 20 keys, got 21.'));
    await expect(client().enterprises([])).rejects.toThrow(new Error('A commerce registry batch holds 1 to 20 keys, got 0.'));
  });
});

describe('commerce loaders', () => {
  /** Answers every batch call with nothing found, recording the keys each call carried. */
  function recordBatches(path: string, field: string, calls: number): string[][] {
    const batches: string[][] = [];
    nock(baseUrl)
      .post(path)
      .times(calls)
      .reply(200, (_uri, body) => {
        batches.push((body as Record<string, string[]>)[field]!);
        return { success: true, data: [] };
      });
    return batches;
  }

  const keys = Array.from({ length: 2 * COMMERCE_MAX_BATCH + 1 }, (_, i) => `KEY${String(i).padStart(2, '0')}`);

  it.each([
    ['enterprises', '/api/v2/enterprises/batch', 'uniscids', null],
    ['holdingsOf', '/api/v2/investors/batch', 'cernos', []],
    ['legalRepresentativeOf', '/api/v2/lerep/batch', 'cernos', []],
  ] as const)('%s splits 2 * max + 1 keys into exactly 3 calls of at most max keys', async (loader, path, field, missing) => {
    const batches = recordBatches(path, field, 3);
    const loaders = createCommerceLoaders(client(), control());
    const answers = await Promise.all(keys.map((key) => loaders[loader].load(key)));
    expect(batches.map((b) => b.length)).toEqual([20, 20, 1]);
    expect(batches.flat()).toEqual(keys);
    expect(answers).toEqual(keys.map(() => missing));
  });
});

describe('CommerceClient failures', () => {
  it('turns an oversized-batch refusal into AGENCY_REFUSED with the registry’s code and message', async () => {
    nock(baseUrl)
      .post('/api/v2/investors/batch')
      .reply(413, { success: false, errorCode: 'BATCH_LIMIT_EXCEEDED', errorMsg: 'at most 20 keys per request, got 21' });
    expect(await failure(client().holdingsOf([PERSON]))).toEqual({
      name: 'AgencyError',
      message: 'The commerce registry refused the request (HTTP 413): at most 20 keys per request, got 21',
      extensions: { code: 'AGENCY_REFUSED', agency: AGENCY, agencyCode: 'BATCH_LIMIT_EXCEEDED', httpStatus: 413 },
    });
  });

  it('turns a 500 in the registry’s error shape into AGENCY_UNAVAILABLE', async () => {
    nock(baseUrl).post('/api/v2/enterprises/batch').reply(500, { success: false, errorCode: 'SYSTEM_BUSY', errorMsg: '系统繁忙，请稍后再试' });
    expect(await failure(client().enterprises([COMPANY]))).toEqual({
      name: 'AgencyError',
      message: 'The commerce registry failed with HTTP 500: 系统繁忙，请稍后再试',
      extensions: { code: 'AGENCY_UNAVAILABLE', agency: AGENCY, agencyCode: 'SYSTEM_BUSY', httpStatus: 500 },
    });
  });

  it('turns an error body in another shape into a refusal without the registry’s words', async () => {
    nock(baseUrl).post('/api/v2/lerep/batch').reply(400, { error: 'bad' });
    expect(await failure(client().legalRepresentativeOf([PERSON]))).toEqual({
      name: 'AgencyError',
      message: 'The commerce registry refused the request (HTTP 400).',
      extensions: { code: 'AGENCY_REFUSED', agency: AGENCY, httpStatus: 400 },
    });
  });

  it('turns a proxy error page into AGENCY_UNAVAILABLE', async () => {
    nock(baseUrl).post('/api/v2/enterprises/batch').reply(502, '<html>Bad Gateway</html>');
    expect(await failure(client().enterprises([COMPANY]))).toEqual({
      name: 'AgencyError',
      message: 'The commerce registry answered HTTP 502.',
      extensions: { code: 'AGENCY_UNAVAILABLE', agency: AGENCY, httpStatus: 502 },
    });
  });

  it.each([
    ['an HTML page', '<html><body>Service Temporarily Unavailable</body></html>'],
    ['JSON cut off half-way', JSON.stringify({ success: true, data: [wireCompany()] }).slice(0, 80)],
  ])('turns a 200 with %s into AGENCY_BAD_RESPONSE', async (_what, text) => {
    nock(baseUrl).post('/api/v2/enterprises/batch').reply(200, text);
    expect(await failure(client().enterprises([COMPANY]))).toEqual({
      name: 'AgencyError',
      message: 'The commerce registry answered something that is not JSON.',
      extensions: { code: 'AGENCY_BAD_RESPONSE', agency: AGENCY, httpStatus: 200 },
    });
  });

  const withCompany = (patch: Record<string, unknown>) => ({ success: true, data: [{ ...wireCompany(), ...patch }] });
  const withInvestor = (patch: Record<string, unknown>) => withCompany({ investors: [{ ...wireCompany().investors[0], ...patch }] });

  it.each([
    ['another shape', { unexpected: true, rows: 'none' }, 'success'],
    ['success false inside a 200', { success: false, errorCode: 'X', errorMsg: 'x' }, 'success'],
    ['capital finer than a fen ("0.0000001" 万元)', withCompany({ regcap: '0.0000001' }), 'data.0.regcap'],
    ['a negative capital', withCompany({ regcap: '-1' }), 'data.0.regcap'],
    ['capital written as a number', withCompany({ regcap: 120.5 }), 'data.0.regcap'],
    ['capital in exponent notation', withCompany({ regcap: '1e3' }), 'data.0.regcap'],
    ['capital in another currency', withCompany({ regcapcur: '美元' }), 'data.0.regcapcur'],
    ['an unknown status word', withCompany({ regstate: '迁出' }), 'data.0.regstate'],
    ['a date that does not exist', withCompany({ estdate: '2015-02-29' }), 'data.0.estdate'],
    ['a legal representative with a wrong check character', withCompany({ lerep_cerno: '330106197504180011' }), 'data.0.lerep_cerno'],
    ['a paid-in amount finer than a fen', withInvestor({ acconam: '1.0000005' }), 'data.0.investors.0.acconam'],
    ['a natural person investor with a credit code', withInvestor({ inv_cerno: COMPANY }), 'data.0.investors.0.inv_cerno'],
    ['an unknown investor type', withInvestor({ inv_type: '合伙企业' }), 'data.0.investors.0.inv_type'],
    ['an investor without invid', withInvestor({ invid: '' }), 'data.0.investors.0.invid'],
  ])('turns an answer with %s into AGENCY_BAD_RESPONSE naming where', async (_what, body, where) => {
    nock(baseUrl).post('/api/v2/enterprises/batch').reply(200, body);
    expect(await failure(client().enterprises([COMPANY]))).toEqual({
      name: 'AgencyError',
      message: `The commerce registry answered in an unexpected shape at ${where}.`,
      extensions: { code: 'AGENCY_BAD_RESPONSE', agency: AGENCY },
    });
  });

  const withStake = (patch: Record<string, unknown>) => ({ success: true, data: [{ ...wirePersonStake(), ...patch }] });
  const { regcap: _regcap, ...stakeWithoutCapital } = wirePersonStake();
  const { regcapcur: _regcapcur, ...stakeWithoutCurrency } = wirePersonStake();

  it.each([
    ['a stake without its company’s capital', { success: true, data: [stakeWithoutCapital] }, 'data.0.regcap'],
    ['a stake without the capital’s currency', { success: true, data: [stakeWithoutCurrency] }, 'data.0.regcapcur'],
    ['a stake in a company with capital in another currency', withStake({ regcapcur: '美元' }), 'data.0.regcapcur'],
    ['a stake in a company with capital finer than a fen', withStake({ regcap: '0.0000001' }), 'data.0.regcap'],
    ['a stake in a company with negative capital', withStake({ regcap: '-1' }), 'data.0.regcap'],
    ['a stake in a company with capital written as a number', withStake({ regcap: 120.5 }), 'data.0.regcap'],
    ['a stake with a subscribed amount finer than a fen', withStake({ subconam: '1.0000005' }), 'data.0.subconam'],
  ])('turns an investors answer with %s into AGENCY_BAD_RESPONSE naming where', async (_what, body, where) => {
    nock(baseUrl).post('/api/v2/investors/batch').reply(200, body);
    expect(await failure(client().holdingsOf([PERSON]))).toEqual({
      name: 'AgencyError',
      message: `The commerce registry answered in an unexpected shape at ${where}.`,
      extensions: { code: 'AGENCY_BAD_RESPONSE', agency: AGENCY },
    });
  });

  it('turns a stake in a company with a malformed credit code into AGENCY_BAD_RESPONSE', async () => {
    nock(baseUrl).post('/api/v2/investors/batch').reply(200, { success: true, data: [{ ...wireSubsidiaryStake, uniscid: 'NOT-A-CODE' }] });
    expect(await failure(client().holdingsOf([COMPANY]))).toEqual({
      name: 'AgencyError',
      message: 'The commerce registry answered in an unexpected shape at data.0.uniscid.',
      extensions: { code: 'AGENCY_BAD_RESPONSE', agency: AGENCY },
    });
  });

  it('turns a slow answer into AGENCY_TIMEOUT', async () => {
    nock(baseUrl).post('/api/v2/enterprises/batch').delay(1000).reply(200, { success: true, data: [] });
    expect(await failure(client(30).enterprises([COMPANY]))).toEqual({
      name: 'AgencyError',
      message: 'The commerce registry did not answer within 30 ms.',
      extensions: { code: 'AGENCY_TIMEOUT', agency: AGENCY },
    });
  });

  it('turns a refused connection into AGENCY_UNAVAILABLE', async () => {
    nock(baseUrl).post('/api/v2/lerep/batch').replyWithError({ code: 'ECONNREFUSED', message: 'connect ECONNREFUSED' });
    expect(await failure(client().legalRepresentativeOf([PERSON]))).toEqual({
      name: 'AgencyError',
      message: 'The commerce registry could not be reached.',
      extensions: { code: 'AGENCY_UNAVAILABLE', agency: AGENCY },
    });
  });
});
