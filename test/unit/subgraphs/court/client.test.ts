import nock from 'nock';
import { useNockAtAgencyEdge } from '../../../support/nockAtAgencyEdge';
import { CourtClient, COURT_LIMITS } from '../../../../subgraphs/court/client';
import { createCourtLoaders } from '../../../../subgraphs/court/loaders';
import { RequestCaseMemo } from '../../../../subgraphs/court/requestCaseMemo';
import { AgencyError } from '../../../../subgraphs/shared/agencyError';
import { PATIENT_AGENCY_TIMEOUT_MS } from '../../../support/agencyLimits';

const BASE = 'http://court.agency.test';

const wireCase = (ah: string) => ({
  ah,
  fydm: '浙0106',
  fymc: '杭州市西湖区人民法院',
  ajzt: '在执',
  ay: '民间借贷纠纷',
  sqbdje: '1250000.5',
  wzxje: '0.07',
  lasj: '2025-03-12',
  jasj: '',
  cbr: '浙0106-007',
  dsr: [
    { ssdw: '申请执行人', lx: '自然人', zjhm: '11010519491231002X', mc: '王建国' },
    { ssdw: '被执行人', lx: '法人', zjhm: '91350100M000100Y43', mc: '福州闽江贸易有限公司' },
  ],
});
const CASE = '(2025)浙0106执1001号';

useNockAtAgencyEdge();

describe('CourtClient', () => {
  const client = new CourtClient({ baseUrl: BASE, timeoutMs: PATIENT_AGENCY_TIMEOUT_MS });
  /** For the one case of an answer that never comes in time. */
  const impatient = new CourtClient({ baseUrl: BASE, timeoutMs: 200 });

  it('translates the case system fields: yuan strings to exact fen, status words to enums, parties by kind with their names', async () => {
    nock(BASE).post('/zxaj/v1/cases/batch', { ah: ['(2025)浙0106执1001号'] }).reply(200, { errcode: 0, aj: [wireCase('(2025)浙0106执1001号')] });
    const found = await client.casesByNumber(['(2025)浙0106执1001号']);
    expect(found.get('(2025)浙0106执1001号')).toEqual({
      caseNumber: '(2025)浙0106执1001号',
      courtCode: '浙0106',
      courtName: '杭州市西湖区人民法院',
      status: 'ACTIVE',
      cause: '民间借贷纠纷',
      amountDueFen: 125_000_050,
      outstandingFen: 7,
      filedOn: '2025-03-12',
      closedOn: null,
      officer: '浙0106-007',
      applicants: [{ __typename: 'Person', idNumber: '11010519491231002X', name: '王建国' }],
      debtors: [{ __typename: 'Company', creditCode: '91350100M000100Y43', name: '福州闽江贸易有限公司' }],
    });
  });

  it('pages the docket with start/limit and the status word', async () => {
    nock(BASE)
      .get(`/zxaj/v1/courts/${encodeURIComponent('浙0106')}/cases`)
      .query({ start: '40', limit: '20', zt: '结案' })
      .reply(200, { errcode: 0, total: 41, start: 40, aj: [wireCase('(2023)浙0106执1001号')] });
    const page = await client.docket('浙0106', 'CLOSED', 40, 20);
    expect(page.total).toBe(41);
    expect(page.cases.map((c) => c.caseNumber)).toEqual(['(2023)浙0106执1001号']);
  });

  const nameless = () => {
    const c = wireCase(CASE);
    const { mc: _dropped, ...debtor } = c.dsr[1]!;
    return { ...c, dsr: [c.dsr[0]!, debtor] };
  };
  it.each([
    ['the case batch', () => nock(BASE).post('/zxaj/v1/cases/batch').reply(200, { errcode: 0, aj: [nameless()] }), () => client.casesByNumber([CASE])],
    [
      'the docket',
      () => nock(BASE).get(`/zxaj/v1/courts/${encodeURIComponent('浙0106')}/cases`).query(true).reply(200, { errcode: 0, total: 1, start: 0, aj: [nameless()] }),
      () => client.docket('浙0106', undefined, 0, 20),
    ],
  ])('refuses a case from %s whose party has no name (mc) with AGENCY_BAD_RESPONSE', async (_where, arrange, ask) => {
    arrange();
    const error = await ask().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AgencyError);
    expect((error as AgencyError).message).toBe('The court case system answered in an unexpected shape at aj.0.dsr.1.mc.');
    expect((error as AgencyError).extensions.code).toBe('AGENCY_BAD_RESPONSE');
  });

  it('reads the agency error shape into AGENCY_REFUSED with its code and message', async () => {
    nock(BASE).get(`/zxaj/v1/courts/${encodeURIComponent('浙9999')}/cases`).query(true).reply(404, { errcode: 4041, errmsg: '法院代码 浙9999 不存在' });
    const error = await client.docket('浙9999', undefined, 0, 20).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AgencyError);
    expect((error as AgencyError).message).toBe('The court case system refused the request (HTTP 404): 法院代码 浙9999 不存在');
    expect((error as AgencyError).extensions).toEqual({ code: 'AGENCY_REFUSED', agency: 'court case system', agencyCode: '4041', httpStatus: 404 });
  });

  it.each([
    ['a 500', 'AGENCY_UNAVAILABLE', () => nock(BASE).post('/zxaj/v1/identities').reply(500, { errcode: 5001, errmsg: '系统繁忙' }), 'The court case system failed with HTTP 500: 系统繁忙'],
    ['an HTML page', 'AGENCY_BAD_RESPONSE', () => nock(BASE).post('/zxaj/v1/identities').reply(200, '<html>维护中</html>'), 'The court case system answered something that is not JSON.'],
    ['a wrong shape', 'AGENCY_BAD_RESPONSE', () => nock(BASE).post('/zxaj/v1/identities').reply(200, { errcode: 0, sf: [{ zjhm: 1 }] }), 'The court case system answered in an unexpected shape at sf.0.zjhm.'],
    ['a cut-off body', 'AGENCY_BAD_RESPONSE', () => nock(BASE).post('/zxaj/v1/identities').reply(200, '{"errcode":0,"sf":[{"zj'), 'The court case system answered something that is not JSON.'],
    ['no answer in time', 'AGENCY_TIMEOUT', () => nock(BASE).post('/zxaj/v1/identities').delay(1000).reply(200, { errcode: 0, sf: [] }), 'The court case system did not answer within 200 ms.'],
    ['a refused connection', 'AGENCY_UNAVAILABLE', () => nock(BASE).post('/zxaj/v1/identities').replyWithError({ code: 'ECONNREFUSED' }), 'The court case system could not be reached.'],
  ])('turns %s into %s', async (_what, code, arrange, message) => {
    arrange();
    const error = await (code === 'AGENCY_TIMEOUT' ? impatient : client).names(['11010519491231002X']).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AgencyError);
    expect((error as AgencyError).message).toBe(message);
    expect((error as AgencyError).extensions.code).toBe(code);
  });

  it('batches identity lookups of one request into ceil(N / max) calls', async () => {
    const ids = Array.from({ length: COURT_LIMITS.identityBatch * 2 + 1 }, (_, i) => `ID${i}`);
    const sizes: number[] = [];
    nock(BASE)
      .post('/zxaj/v1/identities')
      .times(3)
      .reply(200, (_uri, body) => {
        const { zjhm } = body as { zjhm: string[] };
        sizes.push(zjhm.length);
        return { errcode: 0, sf: zjhm.map((id) => ({ zjhm: id, mc: `name of ${id}` })) };
      });
    const loaders = createCourtLoaders(client);
    const names = await Promise.all(ids.map((id) => loaders.name.load(id)));
    expect(sizes).toEqual([100, 100, 1]);
    expect(names[0]).toBe('name of ID0');
    expect(names[200]).toBe('name of ID200');
  });

  it("names a loaded case's parties from the case record: the request's name loader asks no identities", async () => {
    // Only the case batch is mocked: an identities call would fail the loads and leave nothing pending.
    nock(BASE).post('/zxaj/v1/cases/batch', { ah: [CASE] }).reply(200, { errcode: 0, aj: [wireCase(CASE)] });
    const loaders = createCourtLoaders(client);
    const kase = await loaders.caseByNumber.load(CASE);
    expect(kase?.debtors).toEqual([{ __typename: 'Company', creditCode: '91350100M000100Y43', name: '福州闽江贸易有限公司' }]);
    expect(await Promise.all([loaders.name.load('11010519491231002X'), loaders.name.load('91350100M000100Y43')])).toEqual(['王建国', '福州闽江贸易有限公司']);
  });

  it('primes, never overwrites: a name the request already loaded from identities stays', async () => {
    nock(BASE).post('/zxaj/v1/identities', { zjhm: ['91350100M000100Y43'] }).reply(200, { errcode: 0, sf: [{ zjhm: '91350100M000100Y43', mc: '福州闽江贸易有限责任公司' }] });
    nock(BASE).post('/zxaj/v1/cases/batch').reply(200, { errcode: 0, aj: [wireCase(CASE)] });
    const loaders = createCourtLoaders(client);
    expect(await loaders.name.load('91350100M000100Y43')).toBe('福州闽江贸易有限责任公司');
    await loaders.caseByNumber.load(CASE);
    expect(await loaders.name.load('91350100M000100Y43')).toBe('福州闽江贸易有限责任公司');
    expect(await loaders.name.load('11010519491231002X')).toBe('王建国');
  });

  it("names the parties of a case the request's memo answers, with no call at all", async () => {
    nock(BASE).post('/zxaj/v1/cases/batch').once().reply(200, { errcode: 0, aj: [wireCase(CASE)] });
    const memo = new RequestCaseMemo();
    // The gateway's case-binding lookup, then the dossier: two subgraph requests, one request id.
    await createCourtLoaders(client, { memo, requestId: 'req-1' }).caseByNumber.load(CASE);
    const dossier = createCourtLoaders(client, { memo, requestId: 'req-1' });
    expect((await dossier.caseByNumber.load(CASE))?.caseNumber).toBe(CASE);
    expect(await Promise.all([dossier.name.load('11010519491231002X'), dossier.name.load('91350100M000100Y43')])).toEqual(['王建国', '福州闽江贸易有限公司']);
  });
});
