import nock from 'nock';
import { createBankLoaders } from '../../../../subgraphs/bank/loaders';
import { bodyOf, connectOne, loadersFor, nockAtTheBankEdge, PERSON_ID } from '../../../support/bankHarness';

nockAtTheBankEdge();

const emptyHzcb = (_uri: string, body: unknown) => [200, { req_id: bodyOf(body).req_id, total: 0, data: [] }] as const;

describe('bank loaders', () => {
  it('keep a failed answer for the request: asking the same holder again costs no second call', async () => {
    nock('http://hzcb.test').post('/api/query').once().reply(500, { error_code: 'SYSTEM_BUSY', error_message: 'system busy' });
    const loader = loadersFor(connectOne('HZCB', 'http://hzcb.test'));
    const first = await loader.holdings.load(PERSON_ID);
    const again = await loader.holdings.load(PERSON_ID);
    expect(first.ok).toBe(false);
    expect(again).toBe(first);
  });

  it('let a failed batch cost only its own keys', async () => {
    let call = 0;
    nock('http://hzcb.test')
      .post('/api/query')
      .times(3)
      .reply((uri, body) => (++call === 2 ? [500, { error_code: 'SYSTEM_BUSY', error_message: 'system busy' }] : emptyHzcb(uri, body)));
    const loader = loadersFor(connectOne('HZCB', 'http://hzcb.test'));
    const keys = Array.from({ length: 41 }, (_, i) => `K${i}`);
    const outcomes = await Promise.all(keys.map((k) => loader.holdings.load(k)));
    expect(outcomes.map((o) => o.ok)).toEqual([...Array(20).fill(true), ...Array(20).fill(false), true]);
  });

  it('read WEB funds from the holdings answer: accounts and wealth of one holder cost one call', async () => {
    const fund = { fundCode: 'F1', fundName: '货币基金', shares: '1.5', marketValue: '150', valuationTime: Date.parse('2026-10-01T15:00:00+08:00') };
    nock('http://web.test')
      .post('/openapi/v1/holdings:batchQuery')
      .once()
      .reply((_uri, body) => [200, { requestId: bodyOf(body).requestId, holders: [{ holderId: PERSON_ID, holderType: 'INDIVIDUAL', accounts: [], funds: [fund] }] }]);
    const loader = loadersFor(connectOne('WEB', 'http://web.test'));
    const [holdings, wealth] = await Promise.all([loader.holdings.load(PERSON_ID), loader.wealth!(PERSON_ID)]);
    expect(holdings).toEqual({ ok: true, value: { accounts: [], wealth: [expect.objectContaining({ productCode: 'F1', unitsMilli: 1500 })] } });
    expect(wealth).toEqual({ ok: true, value: [{ bankCode: 'WEB', productCode: 'F1', productName: '货币基金', unitsMilli: 1500, marketValueFen: 150, valuedOn: '2026-10-01' }] });
  });

  it('ask NCB wealth at its own endpoint, and have no wealth loader for banks without products', async () => {
    nock('http://ncb.test')
      .post('/ncb/v3/inquiry/wealth')
      .reply((_uri, body) => [200, { retCode: '0000', retMsg: 'success', requestNo: bodyOf(body).requestNo, results: [{ idNo: PERSON_ID, custFound: 'N', holdings: [] }] }]);
    const loaders = createBankLoaders(['NCB', 'HZCB', 'RCC', 'WEB'].map((code) => connectOne(code, `http://${code.toLowerCase()}.test`)));
    expect(loaders.banks.map((b) => [b.bank.code, b.wealth === null])).toEqual([
      ['NCB', false],
      ['HZCB', true],
      ['RCC', true],
      ['WEB', false],
    ]);
    expect(await loaders.bank('NCB')!.wealth!(PERSON_ID)).toEqual({ ok: true, value: [] });
    expect(loaders.bank('XYZ')).toBeUndefined();
  });
});
