import { graphql } from 'graphql';
import nock from 'nock';
import { CommerceClient } from '../../../subgraphs/commerce/client';
import { createCommerceLoaders } from '../../../subgraphs/commerce/loaders';
import { resolvers } from '../../../subgraphs/commerce/resolvers';
import { buildSchemaFor } from '../../../subgraphs/shared/startSubgraph';

const baseUrl = 'http://commerce.test';
const PERSON = '33010619750418001X';
const COMPANY = '91330106MA2B00001Y';
const schema = buildSchemaFor('commerce', resolvers);

const investor = { inv_type: '自然人股东', inv_cerno: PERSON, subconam: '400', acconam: '400', condate: '2015-03-12', invid: 'INV-1' };
const stake = { uniscid: COMPANY, ...investor };
const enterprise = {
  uniscid: COMPANY,
  entname: '杭州锦程建材有限公司',
  regstate: '存续',
  regcap: '500',
  regcapcur: '人民币',
  lerep_cerno: PERSON,
  estdate: '2015-03-12',
  dom: '浙江省杭州市西湖区文三路90号',
  opscope: '建筑材料销售',
  investors: [investor],
};

const SOURCE = 'query($reps: [_Any!]!) { _entities(representations: $reps) { ... on Person { shareholdings { id ratio } } } }';

/** Runs one person's stakes with their ratios through the real schema, loaders and client. */
async function stakesOfPerson() {
  const result = await graphql({
    schema,
    source: SOURCE,
    variableValues: { reps: [{ __typename: 'Person', idNumber: PERSON }] },
    contextValue: { loaders: createCommerceLoaders(new CommerceClient({ baseUrl })) },
  });
  return JSON.parse(JSON.stringify(result)) as unknown;
}

beforeAll(() => nock.disableNetConnect());
afterAll(() => nock.enableNetConnect());
afterEach(() => {
  const done = nock.isDone();
  nock.cleanAll();
  expect(done).toBe(true);
});

describe('commerce resolvers', () => {
  it('compute a stake’s ratio from its company’s registered capital', async () => {
    nock(baseUrl)
      .post('/api/v2/investors/batch')
      .reply(200, { success: true, data: [stake] })
      .post('/api/v2/enterprises/batch', (body: { uniscids: string[] }) => body.uniscids.join() === COMPANY)
      .reply(200, { success: true, data: [enterprise] });
    expect(await stakesOfPerson()).toEqual({ data: { _entities: [{ shareholdings: [{ id: `${COMPANY}:INV-1`, ratio: '80.00' }] }] } });
  });

  it.each([
    ['lists a stake in a company it then does not know', [], `The commerce registry lists shareholding ${COMPANY}:INV-1 but has no record of company ${COMPANY}.`],
    [
      'records a company without registered capital',
      [{ ...enterprise, regcap: '0.000000' }],
      `The commerce registry records no registered capital for company ${COMPANY}, so the ratio of shareholding ${COMPANY}:INV-1 is unknown.`,
    ],
  ])('turn a registry that %s into AGENCY_BAD_RESPONSE on the stakes', async (_what, enterprises, message) => {
    nock(baseUrl)
      .post('/api/v2/investors/batch')
      .reply(200, { success: true, data: [stake] })
      .post('/api/v2/enterprises/batch')
      .reply(200, { success: true, data: enterprises });
    expect(await stakesOfPerson()).toEqual({
      data: { _entities: [{ shareholdings: null }] },
      errors: [
        {
          message,
          locations: [{ line: 1, column: SOURCE.indexOf('ratio') + 1 }],
          path: ['_entities', 0, 'shareholdings', 0, 'ratio'],
          extensions: { code: 'AGENCY_BAD_RESPONSE', agency: 'commerce registry' },
        },
      ],
    });
  });
});
