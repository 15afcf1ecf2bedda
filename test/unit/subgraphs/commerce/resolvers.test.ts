import { graphql } from 'graphql';
import nock from 'nock';
import { useNockAtAgencyEdge } from '../../../support/nockAtAgencyEdge';
import { COMMERCE_CONTROL_PREFIX, CommerceClient } from '../../../../subgraphs/commerce/client';
import { ControlClient } from '../../../../subgraphs/shared/measures/controlClient';
import { createCommerceLoaders } from '../../../../subgraphs/commerce/loaders';
import { resolvers } from '../../../../subgraphs/commerce/resolvers';
import { buildSchemaFor } from '../../../../subgraphs/shared/startSubgraph';

const baseUrl = 'http://commerce.test';
const PERSON = '33010619750418001X';
const COMPANY = '91330106MA2B00001Y';
const SUBSIDIARY = '91330203MA2B00002U';
const schema = buildSchemaFor('commerce', resolvers);

const investor = { inv_type: '自然人股东', inv_cerno: PERSON, subconam: '400', acconam: '400', condate: '2015-03-12', invid: 'INV-1' };
const capital = { entname: '杭州锦程建材有限公司', regcap: '500', regcapcur: '人民币' };
/** The stake as /investors/batch writes it: with its company's name and registered capital. */
const stake = { uniscid: COMPANY, ...capital, ...investor };
const enterprise = {
  uniscid: COMPANY,
  ...capital,
  regstate: '存续',
  lerep_cerno: PERSON,
  estdate: '2015-03-12',
  dom: '浙江省杭州市西湖区文三路90号',
  opscope: '建筑材料销售',
  investors: [investor],
};

const PERSON_SOURCE = 'query($reps: [_Any!]!) { _entities(representations: $reps) { ... on Person { shareholdings { id ratio } } } }';
const COMPANY_SOURCE = 'query($reps: [_Any!]!) { _entities(representations: $reps) { ... on Company { shareholders { id ratio } } } }';

/** Runs one entity through the real schema, loaders and client (nock allows only the calls a test expects). */
async function run(source: string, rep: Record<string, string>) {
  const result = await graphql({
    schema,
    source,
    variableValues: { reps: [rep] },
    contextValue: (() => {
      const control = new ControlClient({ agency: 'commerce registry', baseUrl, prefix: COMMERCE_CONTROL_PREFIX });
      return { loaders: createCommerceLoaders(new CommerceClient({ baseUrl }), control), control };
    })(),
  });
  return JSON.parse(JSON.stringify(result)) as unknown;
}
const stakesOfPerson = () => run(PERSON_SOURCE, { __typename: 'Person', idNumber: PERSON });
const shareholdersOfCompany = () => run(COMPANY_SOURCE, { __typename: 'Company', creditCode: COMPANY });

useNockAtAgencyEdge();

describe('commerce resolvers', () => {
  it('compute a holder’s stake’s ratio from the capital the investors answer gives with it, with no enterprise call', async () => {
    // Only the investors call is allowed: an enterprise lookup would meet a refused connection.
    nock(baseUrl).post('/api/v2/investors/batch', { requestId: /.+/, cernos: [PERSON] }).reply(200, { success: true, data: [stake] });
    expect(await stakesOfPerson()).toEqual({ data: { _entities: [{ shareholdings: [{ id: `${COMPANY}:INV-1`, ratio: '80.00' }] }] } });
  });

  it('weigh each stake by the capital of its own company', async () => {
    nock(baseUrl)
      .post('/api/v2/investors/batch')
      .reply(200, { success: true, data: [stake, { ...stake, uniscid: SUBSIDIARY, entname: '宁波锦程物流有限公司', regcap: '1600', invid: 'INV-2' }] });
    expect(await stakesOfPerson()).toEqual({
      data: {
        _entities: [
          {
            shareholdings: [
              { id: `${COMPANY}:INV-1`, ratio: '80.00' },
              { id: `${SUBSIDIARY}:INV-2`, ratio: '25.00' },
            ],
          },
        ],
      },
    });
  });

  it('compute a company’s shareholders’ ratios from its own enterprise record, in one call', async () => {
    nock(baseUrl)
      .post('/api/v2/enterprises/batch', (body: { uniscids: string[] }) => body.uniscids.join() === COMPANY)
      .reply(200, { success: true, data: [enterprise] });
    expect(await shareholdersOfCompany()).toEqual({ data: { _entities: [{ shareholders: [{ id: `${COMPANY}:INV-1`, ratio: '80.00' }] }] } });
  });

  const noCapital = `The commerce registry records no registered capital for company ${COMPANY}, so the ratio of shareholding ${COMPANY}:INV-1 is unknown.`;
  const badResponse = (message: string, source: string, path: (string | number)[]) => ({
    message,
    locations: [{ line: 1, column: source.indexOf('ratio') + 1 }],
    path,
    extensions: { code: 'AGENCY_BAD_RESPONSE', agency: 'commerce registry' },
  });

  it('turn a stake in a company the investors answer gives no registered capital into AGENCY_BAD_RESPONSE on its ratio', async () => {
    nock(baseUrl)
      .post('/api/v2/investors/batch')
      .reply(200, { success: true, data: [{ ...stake, regcap: '0.000000' }] });
    expect(await stakesOfPerson()).toEqual({
      data: { _entities: [{ shareholdings: null }] },
      errors: [badResponse(noCapital, PERSON_SOURCE, ['_entities', 0, 'shareholdings', 0, 'ratio'])],
    });
  });

  it('turn a company recorded without registered capital into AGENCY_BAD_RESPONSE on its shareholders’ ratios', async () => {
    nock(baseUrl)
      .post('/api/v2/enterprises/batch')
      .reply(200, { success: true, data: [{ ...enterprise, regcap: '0.000000' }] });
    expect(await shareholdersOfCompany()).toEqual({
      data: { _entities: [{ shareholders: null }] },
      errors: [badResponse(noCapital, COMPANY_SOURCE, ['_entities', 0, 'shareholders', 0, 'ratio'])],
    });
  });

  it('turn a stake in a company whose capital is not in RMB into AGENCY_BAD_RESPONSE on the holder’s stakes', async () => {
    nock(baseUrl)
      .post('/api/v2/investors/batch')
      .reply(200, { success: true, data: [{ ...stake, regcapcur: '美元' }] });
    expect(await stakesOfPerson()).toEqual({
      data: { _entities: [{ shareholdings: null }] },
      errors: [
        {
          message: 'The commerce registry answered in an unexpected shape at data.0.regcapcur.',
          locations: [{ line: 1, column: PERSON_SOURCE.indexOf('shareholdings') + 1 }],
          path: ['_entities', 0, 'shareholdings'],
          extensions: { code: 'AGENCY_BAD_RESPONSE', agency: 'commerce registry' },
        },
      ],
    });
  });
});
