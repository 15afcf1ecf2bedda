import { ApolloServer, HeaderMap, type HTTPGraphQLResponse } from '@apollo/server';
import { buildSchema } from 'graphql';
import type { AuditRecordInput } from '../../../../lib/audit/auditRecord';
import { RequestAudit } from '../../../../gateway/audit/requestAudit';
import type { GatewayContext } from '../../../../gateway/context';
import { AUDIT_UNAVAILABLE_MESSAGE, auditPlugin } from '../../../../gateway/plugins/audit';

const schema = buildSchema('type Query { secret: String }');
const rootValue = { secret: () => 'the debtor owns a flat' };
const server = new ApolloServer<GatewayContext>({
  schema,
  rootValue,
  plugins: [
    // Stands in for authentication and authorization: what they learn lands on the operation's context.
    {
      async requestDidStart({ contextValue }) {
        contextValue.caller = { kind: 'court', court: '浙0106', officer: '浙0106-007', roles: ['query'] };
        contextValue.caseNumber = '(2025)浙0106执1001号';
        contextValue.reached = { subjects: ['330106197504189356'], fields: ['Query.secret'] };
        contextValue.subgraphsCalled = new Set(['court']);
      },
    },
    auditPlugin(),
  ],
});
beforeAll(() => server.start());
afterAll(() => server.stop());

/** What the HTTP layer would write: Apollo Server's answer as a complete HTTP answer. */
function asHttp(response: Awaited<ReturnType<typeof server.executeOperation>>): HTTPGraphQLResponse {
  const result = response.body.kind === 'single' ? response.body.singleResult : response.body.initialResult;
  return { status: response.http.status ?? 200, headers: new HeaderMap(), body: { kind: 'complete', string: JSON.stringify(result) } };
}

/** One request through the plugin and its audit's final record (as serveGraphQL settles it). */
async function audited(query: string, operationName?: string) {
  const written: AuditRecordInput[] = [];
  const audit = new RequestAudit({ log: { append: async (r) => (written.push(r), { id: 1, hash: '', prevHash: '' }) }, requestId: 'req-1', now: () => new Date('2026-11-25T08:00:00.000Z') });
  const response = await server.executeOperation({ query, operationName }, { contextValue: audit.context });
  await audit.settle(asHttp(response), { method: 'POST', search: '', body: { query } });
  return { response, written };
}

describe('auditPlugin', () => {
  it("tells the request's audit who, why, what and the outcome, read off the operation's own context", async () => {
    const { response, written } = await audited('query Look { secret }');
    expect(response.body).toMatchObject({ kind: 'single', singleResult: { data: { secret: 'the debtor owns a flat' } } });
    expect(written).toEqual([
      {
        at: '2026-11-25T08:00:00.000Z',
        requestId: 'req-1',
        caller: { kind: 'court', court: '浙0106', officer: '浙0106-007' },
        caseNumber: '(2025)浙0106执1001号',
        subjects: ['330106197504189356'],
        operationName: 'Look',
        operationHash: expect.stringMatching(/^[0-9a-f]{64}$/),
        fields: ['Query.secret'],
        agencies: ['court'],
        outcome: 'ANSWERED',
        errorCodes: [],
        latencyMs: 0,
        // An officer's own request: no purpose in the token.
        purpose: null,
      },
    ]);
  });

  it('audits a refused request too, with its error code', async () => {
    const { written } = await audited('{ nope }');
    expect(written).toHaveLength(1);
    expect(written[0]).toMatchObject({ outcome: 'REFUSED', errorCodes: ['GRAPHQL_VALIDATION_FAILED'] });
  });

  it('fails closed: a request with no audit on its context is not answered', async () => {
    const response = await server.executeOperation({ query: '{ secret }' }, { contextValue: { requestId: 'req-1' } });
    expect(response.http.status).toBe(503);
    expect(response.body).toEqual({
      kind: 'single',
      singleResult: { errors: [{ message: AUDIT_UNAVAILABLE_MESSAGE, extensions: { code: 'AUDIT_UNAVAILABLE' } }] },
    });
    expect(JSON.stringify(response.body)).not.toContain('flat');
  });
});
