import { composeServices } from '@apollo/composition';
import { ApolloGateway } from '@apollo/gateway';
import { parse } from 'graphql';
import { readAccessRules } from '../../../../gateway/authorization/accessRules';

const LINK = '@link(url: "https://specs.apollo.dev/federation/v2.9", import: ["@key", "@authenticated", "@requiresScopes", "@policy"])';

function supergraph(extraCourt = '', extraVehicle = ''): string {
  const result = composeServices([
    {
      name: 'court',
      url: 'http://court',
      typeDefs: parse(`extend schema ${LINK}
        type Query {
          person(id: ID!): Person @requiresScopes(scopes: [["query"], ["supervise", "query"]]) @policy(policies: [["case_bound"]])
          courts: [String!]! @authenticated
          open: String
        }
        type Person @key(fields: "id") { id: ID! name: String }
        ${extraCourt}`),
    },
    {
      name: 'vehicle',
      url: 'http://vehicle',
      typeDefs: parse(`extend schema ${LINK}
        type Person @key(fields: "id") { id: ID! vehicles: [String!] @policy(policies: [["case_debtor"]]) }
        ${extraVehicle}`),
    },
  ]);
  if (result.errors) throw result.errors[0];
  return result.supergraphSdl;
}

describe('readAccessRules', () => {
  it('reads each field’s @authenticated, @requiresScopes and @policy by coordinate', () => {
    const { rules } = readAccessRules(supergraph());
    expect(Object.fromEntries(rules)).toEqual({
      'Query.person': { authenticated: false, scopes: [['query'], ['supervise', 'query']], policies: [['case_bound']] },
      'Query.courts': { authenticated: true, scopes: null, policies: null },
      'Person.vehicles': { authenticated: false, scopes: null, policies: [['case_debtor']] },
    });
  });

  it('hands Apollo Gateway a supergraph it accepts, without the security features it would refuse', async () => {
    const sdl = supergraph();
    await expect(new ApolloGateway({ supergraphSdl: sdl }).load()).rejects.toThrow(/is for: SECURITY but is unsupported/);
    const { executableSdl } = readAccessRules(sdl);
    expect(executableSdl).not.toMatch(/@policy|@requiresScopes|@authenticated|policy__Policy|specs\.apollo\.dev\/policy/);
    const gateway = new ApolloGateway({ supergraphSdl: executableSdl });
    const { schema } = await gateway.load();
    expect(Object.keys(schema.getQueryType()!.getFields()).sort()).toEqual(['courts', 'open', 'person']);
    await gateway.stop();
  });

  it('refuses to start on a type-level rule it would not enforce on every field', () => {
    expect(() => readAccessRules(supergraph('type Secret @authenticated @key(fields: "id") { id: ID! }'))).toThrow(
      '@authenticated on type Secret is not supported: put it on fields.',
    );
  });
});
