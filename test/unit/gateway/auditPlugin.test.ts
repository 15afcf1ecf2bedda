import { ApolloServer } from '@apollo/server';
import { buildSchema } from 'graphql';
import type { AuditRecordInput } from '../../../gateway/audit/auditRecord';
import type { GatewayContext } from '../../../gateway/context';
import { AUDIT_UNAVAILABLE_MESSAGE, auditPlugin } from '../../../gateway/plugins/audit';

const schema = buildSchema('type Query { secret: String }');
const rootValue = { secret: () => 'the debtor owns a flat' };

function serverWith(append: (record: AuditRecordInput) => Promise<unknown>) {
  const server = new ApolloServer<GatewayContext>({
    schema,
    rootValue,
    plugins: [auditPlugin({ log: { append: append as never }, now: () => new Date('2026-11-25T08:00:00.000Z') })],
  });
  return server;
}

const context = (): GatewayContext => ({
  requestId: 'req-1',
  caller: { kind: 'court', court: '浙0106', officer: '浙0106-007', roles: ['query'] },
  caseNumber: '(2025)浙0106执1001号',
  reached: { subjects: ['330106197504189356'], fields: ['Query.secret'] },
  subgraphsCalled: new Set(['court']),
});

describe('auditPlugin', () => {
  it('writes one record with who, why, what and the outcome before answering', async () => {
    const written: AuditRecordInput[] = [];
    const server = serverWith(async (r) => written.push(r));
    const response = await server.executeOperation({ query: 'query Look { secret }' }, { contextValue: context() });
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
      },
    ]);
  });

  it('audits a refused request too, with its error code', async () => {
    const written: AuditRecordInput[] = [];
    const server = serverWith(async (r) => written.push(r));
    await server.executeOperation({ query: '{ nope }' }, { contextValue: context() });
    expect(written).toHaveLength(1);
    expect(written[0]).toMatchObject({ outcome: 'REFUSED', errorCodes: ['GRAPHQL_VALIDATION_FAILED'] });
  });

  it('fails closed: when the record cannot be written, the data is not answered', async () => {
    const server = serverWith(async () => {
      throw new Error('connection refused');
    });
    const response = await server.executeOperation({ query: '{ secret }' }, { contextValue: context() });
    expect(response.http.status).toBe(503);
    expect(response.body).toEqual({
      kind: 'single',
      singleResult: { errors: [{ message: AUDIT_UNAVAILABLE_MESSAGE, extensions: { code: 'AUDIT_UNAVAILABLE' } }] },
    });
    expect(JSON.stringify(response.body)).not.toContain('flat');
  });
});
