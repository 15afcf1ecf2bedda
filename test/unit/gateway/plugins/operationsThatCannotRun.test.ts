/**
 * An operation that cannot run (no such operation in the document, variables that do not
 * coerce) is left to execution to refuse, as bare Apollo Gateway does (BAD_USER_INPUT, 400,
 * every variable error), instead of a 500 from authorization; it is marked so that no
 * subgraph call can go out for it.
 */
import type { GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import { buildSchema } from 'graphql';
import type { GatewayContext } from '../../../../gateway/context';
import { authorizationPlugin } from '../../../../gateway/plugins/authorization';
import { SignedDataSource } from '../../../../gateway/transport/signedDataSource';

const schema = buildSchema('type Query { count(first: Int!): Int }');

function server(seen: GatewayContext[]) {
  return new ApolloServer<GatewayContext>({
    schema,
    rootValue: { count: ({ first }: { first: number }) => first },
    includeStacktraceInErrorResponses: false,
    plugins: [
      authorizationPlugin({ rules: new Map(), authenticate: async () => undefined, lookupCase: async () => null }),
      { requestDidStart: async ({ contextValue }) => void seen.push(contextValue) },
    ],
  });
}

async function run(query: string, variables: Record<string, unknown> | undefined, operationName?: string) {
  const seen: GatewayContext[] = [];
  const s = server(seen);
  try {
    const response = await s.executeOperation({ query, variables, operationName }, { contextValue: { requestId: 'req-1' } });
    if (response.body.kind !== 'single') throw new Error('expected a single result');
    return { status: response.http.status, body: JSON.parse(JSON.stringify(response.body.singleResult)), context: seen[0]! };
  } finally {
    await s.stop();
  }
}

describe('operations that cannot run', () => {
  it('variables that do not coerce: every error, BAD_USER_INPUT, 400, and the request marked', async () => {
    const answer = await run('query($a: Int!, $b: Int!) { a: count(first: $a) b: count(first: $b) }', { a: 'one' });
    expect(answer.status).toBe(400);
    expect(answer.body.errors.map((e: { extensions: { code: string } }) => e.extensions.code)).toEqual(['BAD_USER_INPUT', 'BAD_USER_INPUT']);
    expect(answer.context.cannotRun).toBe(true);
  });

  it('an operation name the document lacks: execution says so, and the request is marked', async () => {
    const answer = await run('query A { count(first: 1) }', undefined, 'B');
    expect(answer.body.errors).toEqual([expect.objectContaining({ message: 'Unknown operation named "B".' })]);
    expect(answer.context.cannotRun).toBe(true);
  });

  it('an operation that can run is analysed and not marked', async () => {
    const answer = await run('query($a: Int!) { count(first: $a) }', { a: 2 });
    expect(answer.body).toEqual({ data: { count: 2 } });
    expect(answer.context.cannotRun).toBeUndefined();
    expect(answer.context.reached).toEqual({ subjects: [], fields: ['Query.count'] });
  });

  it('the subgraph data source refuses to forward anything for a marked request, caller or not', async () => {
    const source = new SignedDataSource({ name: 'court', url: 'http://court.test/graphql', secret: 'unit-test-secret-with-more-than-32-chars', requireCaller: false });
    const context: GatewayContext = { requestId: 'req-1', caller: { kind: 'court', court: '浙0106', officer: '浙0106-007', roles: ['query'] }, cannotRun: true };
    const options = {
      kind: 'incoming operation',
      request: { query: '{ count(first: 1) }', http: { method: 'POST', url: 'http://court.test/graphql', headers: new Headers() } },
      context,
      incomingRequestContext: { context, operation: { operation: 'query' } },
    } as unknown as GraphQLDataSourceProcessOptions<GatewayContext>;
    await expect(source.process(options)).rejects.toThrow('Refusing to call a subgraph for an operation authorization could not check.');
    expect(context.subgraphsCalled).toBeUndefined();
  });
});
