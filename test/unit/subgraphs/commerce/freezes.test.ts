import { graphql } from 'graphql';
import nock from 'nock';
import { useNockAtAgencyEdge } from '../../../support/nockAtAgencyEdge';
import { COMMERCE_AGENCY, COMMERCE_CONTROL_PREFIX, CommerceClient } from '../../../../subgraphs/commerce/client';
import { createCommerceLoaders } from '../../../../subgraphs/commerce/loaders';
import { resolvers } from '../../../../subgraphs/commerce/resolvers';
import { withAgencyHeaders } from '../../../../subgraphs/shared/agencyHeaders';
import { ControlClient } from '../../../../subgraphs/shared/measures/controlClient';
import { buildSchemaFor } from '../../../../subgraphs/shared/startSubgraph';
import { PATIENT_AGENCY_TIMEOUT_MS } from '../../../support/agencyLimits';

const baseUrl = 'http://commerce.test';
const PERSON = '33010619750418001X';
const SPOUSE = '330106197711020027';
const COMPANY = '91330106MA2B00001Y';
const CASE = '(2025)浙0106执1001号';
const schema = buildSchemaFor('commerce', resolvers);

const investor = (cerno: string, invid: string, subconam: string) => ({ inv_type: '自然人股东', inv_cerno: cerno, subconam, acconam: subconam, condate: '2015-03-12', invid });
/** A company not a debtor of CASE: a debtor holds 80 %, the spouse 20 %. */
const enterprise = {
  uniscid: COMPANY,
  entname: '杭州锦程建材有限公司',
  regcap: '500',
  regcapcur: '人民币',
  regstate: '存续',
  lerep_cerno: PERSON,
  estdate: '2015-03-12',
  dom: '浙江省杭州市西湖区文三路90号',
  opscope: '建筑材料销售',
  investors: [investor(PERSON, 'INV-1', '400'), investor(SPOUSE, 'INV-2', '100')],
};
/** The debtor's stake as /investors/batch writes it: with its company's name and capital. */
const debtorsStake = { uniscid: COMPANY, entname: enterprise.entname, regcap: enterprise.regcap, regcapcur: enterprise.regcapcur, ...enterprise.investors[0]! };
const DEBTOR_STAKE = `${COMPANY}:INV-1`;
const SPOUSE_STAKE = `${COMPANY}:INV-2`;

/** A freeze as the network's control interface reports it. */
function measure(overrides: Record<string, unknown> = {}) {
  return {
    id: '4', requestId: '浙0106/eq-1', assetKind: 'EQUITY', assetKey: DEBTOR_STAKE, caseNumber: CASE, courtCode: '浙0106',
    documentNumber: `${CASE}之一`, kind: 'FREEZE', amountFen: null, status: 'ACTIVE', queuePosition: null,
    servedAt: '2026-03-02T00:00:00.000Z', dueAt: null, termDays: 1095, termStart: '2026-03-02T00:00:00.000Z',
    termEnd: '2029-03-01T00:00:00.000Z', endedAt: null, renewals: 0, returnReason: null, amountControlledFen: null,
    amountDeductedFen: 0, prior: [], history: [], deductions: [],
    ...overrides,
  };
}

/** Runs an operation through the real schema, loaders and clients, as the gateway signed it for CASE (debtor: PERSON only). */
async function run(source: string, variableValues: Record<string, unknown> = {}) {
  const control = new ControlClient({ agency: COMMERCE_AGENCY, baseUrl, prefix: COMMERCE_CONTROL_PREFIX, timeoutMs: PATIENT_AGENCY_TIMEOUT_MS });
  const loaders = createCommerceLoaders(new CommerceClient({ baseUrl, timeoutMs: PATIENT_AGENCY_TIMEOUT_MS }), control);
  const signed = { requestId: 'gw-1', court: '浙0106', officer: '浙0106-007', caseNumber: CASE, debtors: [PERSON] };
  const result = await withAgencyHeaders(signed, () =>
    graphql({ schema, source, variableValues, contextValue: { loaders, control, signed } }),
  );
  return JSON.parse(JSON.stringify(result)) as { data?: any; errors?: any[] };
}

const FREEZE = `mutation($input: FreezeEquityInput!) { freezeEquity(input: $input) { freeze { id requestId status shareholding { id ratio } } refusal { code limitDays } } }`;
const input = (shareholdingId: string, overrides: Record<string, unknown> = {}) => ({
  input: { requestId: 'eq-1', shareholdingId, documentNumber: `${CASE}之一`, termDays: 1095, ...overrides },
});

useNockAtAgencyEdge();

describe('equity freezes in the subgraph', () => {
  it('show a company’s record of freezes from one enterprise call and one control call over all its stakes, in order of service', async () => {
    nock(baseUrl).post('/api/v2/enterprises/batch', { requestId: /.+/, uniscids: [COMPANY] }).reply(200, { success: true, data: [enterprise] });
    nock(baseUrl)
      .post(`${COMMERCE_CONTROL_PREFIX}/measures`, { assetKeys: [DEBTOR_STAKE, SPOUSE_STAKE] })
      .reply(200, {
        measures: [
          measure({ id: '11', requestId: '浙0203/b', courtCode: '浙0203', assetKey: SPOUSE_STAKE }),
          measure(),
          measure({ id: '12', requestId: '浙0203/c', courtCode: '浙0203', status: 'WAITING', queuePosition: 1, termStart: null, termEnd: null }),
        ],
      });
    const answer = await run(`{ _entities(representations: [{ __typename: "Company", creditCode: "${COMPANY}" }]) {
      ... on Company { equityFreezes { id status shareholding { id } } shareholders { id freezes { id } } } } }`);
    expect(answer).toEqual({
      data: {
        _entities: [
          {
            equityFreezes: [
              { id: 'commerce:4', status: 'ACTIVE', shareholding: { id: DEBTOR_STAKE } },
              { id: 'commerce:11', status: 'ACTIVE', shareholding: { id: SPOUSE_STAKE } },
              { id: 'commerce:12', status: 'WAITING', shareholding: { id: DEBTOR_STAKE } },
            ],
            shareholders: [
              { id: DEBTOR_STAKE, freezes: [{ id: 'commerce:4' }, { id: 'commerce:12' }] },
              { id: SPOUSE_STAKE, freezes: [{ id: 'commerce:11' }] },
            ],
          },
        ],
      },
    });
  });

  it('say which freeze is on a stake the company’s record no longer lists, rather than a bare null violation', async () => {
    // An ended freeze stays in the case's record after its stake was transferred away.
    const GONE_STAKE = `${COMPANY}:INV-3`;
    nock(baseUrl)
      .post(`${COMMERCE_CONTROL_PREFIX}/cases`, { caseNumbers: [CASE] })
      .reply(200, { measures: [measure({ id: '7', assetKey: GONE_STAKE, status: 'RELEASED', endedAt: '2026-06-01T00:00:00.000Z' })] });
    nock(baseUrl).post('/api/v2/enterprises/batch', { requestId: /.+/, uniscids: [COMPANY] }).reply(200, { success: true, data: [enterprise] });
    const answer = await run(`{ _entities(representations: [{ __typename: "EnforcementCase", caseNumber: "${CASE}" }]) {
      ... on EnforcementCase { equityFreezes { id shareholding { id } } } } }`);
    expect(answer).toEqual({
      data: { _entities: [{ equityFreezes: null }] },
      errors: [
        {
          message: `The ${COMMERCE_AGENCY} lists no shareholding ${GONE_STAKE}, which its freeze commerce:7 is on.`,
          locations: expect.any(Array),
          path: ['_entities', 0, 'equityFreezes', 0, 'shareholding'],
          extensions: { code: 'AGENCY_BAD_RESPONSE', agency: COMMERCE_AGENCY },
        },
      ],
    });
  });

  it('freeze a debtor’s stake in a company that is no debtor, keyed by the stake’s id', async () => {
    // The stake is found among the debtor's own; the company's record is read only for the answer's shareholding.
    nock(baseUrl).post('/api/v2/investors/batch', { requestId: /.+/, cernos: [PERSON] }).reply(200, { success: true, data: [debtorsStake] });
    nock(baseUrl)
      .post(`${COMMERCE_CONTROL_PREFIX}/submit`, {
        requestId: '浙0106/eq-1', assetKind: 'EQUITY', kind: 'FREEZE', assetKey: DEBTOR_STAKE, documentNumber: `${CASE}之一`, termDays: 1095, courtCode: '浙0106', caseNumber: CASE, partyKey: PERSON,
      })
      .reply(200, { measure: measure() });
    nock(baseUrl).post('/api/v2/enterprises/batch').reply(200, { success: true, data: [enterprise] });
    expect(await run(FREEZE, input(DEBTOR_STAKE))).toEqual({
      data: { freezeEquity: { freeze: { id: 'commerce:4', requestId: 'eq-1', status: 'ACTIVE', shareholding: { id: DEBTOR_STAKE, ratio: '80.00' } }, refusal: null } },
    });
  });

  it('refuse the stake of someone who is no debtor of the case, an unknown stake and a malformed id alike, asking only for the debtor’s stakes', async () => {
    // No enterprise call: the company's record would tell the registry which stake the court is after.
    nock(baseUrl).post('/api/v2/investors/batch', { requestId: /.+/, cernos: [PERSON] }).times(3).reply(200, { success: true, data: [debtorsStake] });
    const refusal = (id: string) => ({
      data: null,
      errors: [
        {
          message: `No debtor of case ${CASE} holds shareholding ${id}: it cannot be controlled in that case.`,
          locations: [{ line: 1, column: 40 }],
          path: ['freezeEquity'],
          extensions: { code: 'FORBIDDEN', reason: 'NOT_A_DEBTOR' },
        },
      ],
    });
    for (const id of [SPOUSE_STAKE, `${COMPANY}:INV-9`, 'not-a-stake']) expect(await run(FREEZE, input(id))).toEqual(refusal(id));
  });

  it('refuse over 1095 days and a missing document number before asking the registry anything', async () => {
    expect((await run(FREEZE, input(DEBTOR_STAKE, { termDays: 1096 }))).data.freezeEquity).toEqual({ freeze: null, refusal: { code: 'TERM_TOO_LONG', limitDays: 1095 } });
    expect((await run(FREEZE, input(DEBTOR_STAKE, { documentNumber: ' ' }))).data.freezeEquity).toEqual({ freeze: null, refusal: { code: 'DOCUMENT_NUMBER_REQUIRED', limitDays: null } });
  });
});
