import nock from 'nock';
import { useNockAtAgencyEdge } from '../../../support/nockAtAgencyEdge';
import { AgencyError } from '../../../../subgraphs/shared/agencyError';
import { REAL_ESTATE_CONTROL_PREFIX, REAL_ESTATE_MAX_BATCH, RealEstateClient } from '../../../../subgraphs/realestate/client';
import type { RealEstateUnit } from '../../../../subgraphs/realestate/types';
import { createRealEstateLoaders } from '../../../../subgraphs/realestate/loaders';
import { ControlClient } from '../../../../subgraphs/shared/measures/controlClient';
import { PATIENT_AGENCY_TIMEOUT_MS } from '../../../support/agencyLimits';

const baseUrl = 'http://registry.test';
const AGENCY = 'real-estate registry';
const PERSON = '330106197504189356';
const SPOUSE = '330106197709027668';
const COMPANY = '91330106MA2C000015';
const UNIT = '330106016008GB00016F00010737';
const OFFICE = '330106001002GB00012F00010001';

function control(): ControlClient {
  return new ControlClient({ agency: 'real-estate registry', baseUrl, prefix: REAL_ESTATE_CONTROL_PREFIX, timeoutMs: PATIENT_AGENCY_TIMEOUT_MS });
}

function client(timeoutMs = 1000): RealEstateClient {
  return new RealEstateClient({ baseUrl, timeoutMs, requestNumber: () => 'FY2025-0001' });
}

/** A unit as the platform writes it, in a padded county, with two owners by shares and a mortgage. */
function wireFlat() {
  return {
    bdcdyh: UNIT,
    bdcqzh: '浙(2018)杭州不动产权第0000017号',
    zl: '浙江省杭州市西湖区凤起路976号27幢2单元1601室',
    xzqdm: '330106',
    yt: '住宅',
    mj: '89.50',
    gyfs: '按份共有',
    qlr: [
      { zjzl: '身份证', zjhm: PERSON, fe: '50%' },
      { zjzl: '身份证', zjhm: SPOUSE, fe: '50%' },
    ],
    dyxx: [{ dyqr: '华夏国民银行', dyje: '120.0512', djrq: '2019年03月05日', dyqx_end: '2049年03月05日' }],
    djrq: '2018年11月30日',
  };
}

const flat: RealEstateUnit = {
  unitNumber: UNIT,
  certificateNumber: '浙(2018)杭州不动产权第0000017号',
  address: '浙江省杭州市西湖区凤起路976号27幢2单元1601室',
  countyCode: '330106',
  usage: 'RESIDENTIAL',
  floorArea: '89.50',
  ownership: 'BY_SHARES',
  owners: [
    { owner: { __typename: 'Person', idNumber: PERSON }, share: '50.00' },
    { owner: { __typename: 'Person', idNumber: SPOUSE }, share: '50.00' },
  ],
  // 120.0512 万元 = 1,200,512.00 yuan
  mortgages: [{ mortgagee: '华夏国民银行', amountFen: 120_051_200, registeredOn: '2019-03-05', endsOn: '2049-03-05' }],
  registeredOn: '2018-11-30',
};

/** A company's office in a county that writes compactly, held jointly, an open-ended tiny mortgage. */
function wireOffice() {
  return {
    bdcdyh: OFFICE,
    bdcqzh: '浙(2009)温州不动产权第0000042号',
    zl: '浙江省温州市鹿城区五马街8号',
    xzqdm: '330302',
    yt: '办公',
    mj: '320',
    gyfs: '共同共有',
    qlr: [{ zjzl: '统一社会信用代码', zjhm: COMPANY }, { zjzl: '身份证', zjhm: PERSON, fe: null }],
    dyxx: [{ dyqr: '杭州城市商业银行', dyje: '0.000001', djrq: '2009年3月5日', dyqx_end: '' }],
  };
}

const office: RealEstateUnit = {
  unitNumber: OFFICE,
  certificateNumber: '浙(2009)温州不动产权第0000042号',
  address: '浙江省温州市鹿城区五马街8号',
  countyCode: '330302',
  usage: 'OFFICE',
  floorArea: '320.00',
  ownership: 'JOINT',
  owners: [
    { owner: { __typename: 'Company', creditCode: COMPANY }, share: null },
    { owner: { __typename: 'Person', idNumber: PERSON }, share: null },
  ],
  mortgages: [{ mortgagee: '杭州城市商业银行', amountFen: 1, registeredOn: '2009-03-05', endsOn: null }],
  registeredOn: null,
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

function ownersAnswer(zjhm: string, unit: unknown) {
  return { code: '0000', msg: '查询成功', cxsqh: 'FY2025-0001', data: [{ zjhm, bdcdy: [unit] }] };
}

useNockAtAgencyEdge();

describe('RealEstateClient translation', () => {
  it('numbers the owner query and translates areas, shares, 万元 amounts and dates exactly', async () => {
    nock(baseUrl)
      .post('/bdc/api/qlr/cx', { cxsqh: 'FY2025-0001', zjhm: [PERSON, SPOUSE, '110101199001011237'] })
      .reply(200, {
        code: '0000',
        msg: '查询成功',
        data: [
          { zjhm: PERSON, bdcdy: [wireFlat(), wireOffice()] },
          { zjhm: SPOUSE, bdcdy: [wireFlat()] },
          { zjhm: '110101199001011237', bdcdy: [] },
        ],
      });
    const found = await client().unitsOfOwners([PERSON, SPOUSE, '110101199001011237']);
    expect(found).toEqual(new Map([[PERSON, [flat, office]], [SPOUSE, [flat]], ['110101199001011237', []]]));
  });

  it('keeps amounts exact far beyond float precision', async () => {
    const big = { ...wireFlat(), dyxx: [{ dyqr: '网商互联银行', dyje: '123456.789012', djrq: '2020年01月31日', dyqx_end: '2050年01月31日' }] };
    nock(baseUrl).post('/bdc/api/bdcdy/cx', { bdcdyh: [UNIT] }).reply(200, { code: '0000', msg: '查询成功', data: [big] });
    const found = await client().unitsByNumber([UNIT]);
    expect(found.get(UNIT)?.mortgages).toEqual([
      { mortgagee: '网商互联银行', amountFen: 123_456_789_012, registeredOn: '2020-01-31', endsOn: '2050-01-31' },
    ]);
  });

  it('reads one unit by number, and a 1004 answer as no such unit', async () => {
    nock(baseUrl)
      .get(`/bdc/api/bdcdy/${OFFICE}`)
      .reply(200, { code: '0000', msg: '查询成功', data: wireOffice() })
      .get(`/bdc/api/bdcdy/${UNIT}`)
      .reply(404, { code: '1004', msg: '不动产单元不存在' });
    expect(await client().unit(OFFICE)).toEqual(office);
    expect(await client().unit(UNIT)).toBeNull();
  });

  it('refuses more keys than the platform takes before calling it', async () => {
    const keys = Array.from({ length: REAL_ESTATE_MAX_BATCH + 1 }, (_, i) => `K${i}`);
    await expect(client().unitsOfOwners(keys)).rejects.toThrow(
      new Error('The real-estate registry takes at most 10 keys per query, got 11.'),
    );
  });
});

describe('real-estate loaders', () => {
  it('split 2 * max + 1 owners into exactly 3 calls of at most max keys', async () => {
    const ids = Array.from({ length: 2 * REAL_ESTATE_MAX_BATCH + 1 }, (_, i) => `OWNER${String(i).padStart(2, '0')}`);
    const batches: string[][] = [];
    nock(baseUrl)
      .post('/bdc/api/qlr/cx')
      .times(3)
      .reply(200, (_uri, body) => {
        const { zjhm } = body as { zjhm: string[] };
        batches.push(zjhm);
        return { code: '0000', msg: '查询成功', data: zjhm.map((id) => ({ zjhm: id, bdcdy: id === 'OWNER20' ? [wireFlat()] : [] })) };
      });
    const loaders = createRealEstateLoaders(client(), control());
    const answers = await Promise.all(ids.map((id) => loaders.unitsOfOwner.load(id)));
    expect(batches.map((b) => b.length)).toEqual([10, 10, 1]);
    expect(batches.flat()).toEqual(ids);
    expect(answers).toEqual([...ids.slice(0, 20).map(() => []), [flat]]);
  });

  it('look a lone unit up by GET and several by the batch endpoint; unknown numbers give null', async () => {
    nock(baseUrl)
      .get(`/bdc/api/bdcdy/${UNIT}`)
      .reply(200, { code: '0000', msg: '查询成功', data: wireFlat() })
      .post('/bdc/api/bdcdy/cx', { bdcdyh: [OFFICE, '330106001002GB00099F00010001'] })
      .reply(200, { code: '0000', msg: '查询成功', data: [wireOffice()] });
    expect(await createRealEstateLoaders(client(), control()).unitByNumber.load(UNIT)).toEqual(flat);
    const loaders = createRealEstateLoaders(client(), control());
    expect(await Promise.all([loaders.unitByNumber.load(OFFICE), loaders.unitByNumber.load('330106001002GB00099F00010001')])).toEqual([
      office,
      null,
    ]);
  });
});

describe('RealEstateClient failures', () => {
  it('turns an oversized-batch refusal into AGENCY_REFUSED with the registry’s code and message', async () => {
    nock(baseUrl).post('/bdc/api/qlr/cx').reply(413, { code: '1002', msg: '每次查询最多10个证件号码' });
    expect(await failure(client().unitsOfOwners([PERSON]))).toEqual({
      name: 'AgencyError',
      message: 'The real-estate registry refused the request (HTTP 413): 每次查询最多10个证件号码',
      extensions: { code: 'AGENCY_REFUSED', agency: AGENCY, agencyCode: '1002', httpStatus: 413 },
    });
  });

  it('turns a 500 in the registry’s error shape into AGENCY_UNAVAILABLE', async () => {
    nock(baseUrl).post('/bdc/api/bdcdy/cx').reply(500, { code: '9001', msg: '系统繁忙' });
    expect(await failure(client().unitsByNumber([UNIT]))).toEqual({
      name: 'AgencyError',
      message: 'The real-estate registry failed with HTTP 500: 系统繁忙',
      extensions: { code: 'AGENCY_UNAVAILABLE', agency: AGENCY, agencyCode: '9001', httpStatus: 500 },
    });
  });

  it('turns a 404 other than "no such unit" into AGENCY_REFUSED, not null', async () => {
    nock(baseUrl).get(`/bdc/api/bdcdy/${UNIT}`).reply(404, { code: '1003', msg: 'no such endpoint' });
    expect(await failure(client().unit(UNIT))).toEqual({
      name: 'AgencyError',
      message: 'The real-estate registry refused the request (HTTP 404): no such endpoint',
      extensions: { code: 'AGENCY_REFUSED', agency: AGENCY, agencyCode: '1003', httpStatus: 404 },
    });
  });

  it('turns a gateway error page into AGENCY_UNAVAILABLE', async () => {
    nock(baseUrl).post('/bdc/api/qlr/cx').reply(502, '<html>Bad Gateway</html>');
    expect(await failure(client().unitsOfOwners([PERSON]))).toEqual({
      name: 'AgencyError',
      message: 'The real-estate registry answered HTTP 502.',
      extensions: { code: 'AGENCY_UNAVAILABLE', agency: AGENCY, httpStatus: 502 },
    });
  });

  it('turns a 200 that is not JSON into AGENCY_BAD_RESPONSE', async () => {
    nock(baseUrl).post('/bdc/api/qlr/cx').reply(200, '<html><body>Service Temporarily Unavailable</body></html>');
    expect(await failure(client().unitsOfOwners([PERSON]))).toEqual({
      name: 'AgencyError',
      message: 'The real-estate registry answered something that is not JSON.',
      extensions: { code: 'AGENCY_BAD_RESPONSE', agency: AGENCY, httpStatus: 200 },
    });
  });

  it.each([
    ['no data', { code: '0000', msg: '查询成功' }, 'data'],
    ['an error code inside a 200', { code: '1001', msg: '参数错误', data: [] }, 'code'],
    ['an amount finer than a fen', ownersAnswer(PERSON, { ...wireFlat(), dyxx: [{ ...wireFlat().dyxx[0], dyje: '1.0000001' }] }), 'data.0.bdcdy.0.dyxx.0.dyje'],
    ['a date that does not exist', ownersAnswer(PERSON, { ...wireFlat(), djrq: '2023年02月29日' }), 'data.0.bdcdy.0.djrq'],
    ['an area with 3 decimals', ownersAnswer(PERSON, { ...wireFlat(), mj: '89.505' }), 'data.0.bdcdy.0.mj'],
    ['a share above 100%', ownersAnswer(PERSON, { ...wireFlat(), qlr: [{ zjzl: '身份证', zjhm: PERSON, fe: '100.01%' }] }), 'data.0.bdcdy.0.qlr.0.fe'],
    ['an unknown usage word', ownersAnswer(PERSON, { ...wireFlat(), yt: '仓储' }), 'data.0.bdcdy.0.yt'],
  ])('turns an answer with %s into AGENCY_BAD_RESPONSE naming where', async (_what, body, where) => {
    nock(baseUrl).post('/bdc/api/qlr/cx').reply(200, body);
    expect(await failure(client().unitsOfOwners([PERSON]))).toEqual({
      name: 'AgencyError',
      message: `The real-estate registry answered in an unexpected shape at ${where}.`,
      extensions: { code: 'AGENCY_BAD_RESPONSE', agency: AGENCY },
    });
  });

  it('turns a slow answer into AGENCY_TIMEOUT', async () => {
    nock(baseUrl).post('/bdc/api/qlr/cx').delay(1000).reply(200, ownersAnswer(PERSON, wireFlat()));
    expect(await failure(client(30).unitsOfOwners([PERSON]))).toEqual({
      name: 'AgencyError',
      message: 'The real-estate registry did not answer within 30 ms.',
      extensions: { code: 'AGENCY_TIMEOUT', agency: AGENCY },
    });
  });

  it('turns a refused connection into AGENCY_UNAVAILABLE', async () => {
    nock(baseUrl).post('/bdc/api/qlr/cx').replyWithError({ code: 'ECONNREFUSED', message: 'connect ECONNREFUSED' });
    expect(await failure(client().unitsOfOwners([PERSON]))).toEqual({
      name: 'AgencyError',
      message: 'The real-estate registry could not be reached.',
      extensions: { code: 'AGENCY_UNAVAILABLE', agency: AGENCY },
    });
  });
});
