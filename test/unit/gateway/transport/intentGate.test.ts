/**
 * The one gate of every subgraph call (SignedDataSource#process): nothing goes out for an
 * incoming operation before its request's audit intent is durable, whether the call is sent,
 * shared with an identical read in flight, or refused; the intent is written once per request.
 */
import type { GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import type { AuditRecordInput } from '../../../../lib/audit/auditRecord';
import { RequestAudit } from '../../../../gateway/audit/requestAudit';
import type { GatewayContext } from '../../../../gateway/context';
import { SignedDataSource } from '../../../../gateway/transport/signedDataSource';
import { shareReads } from '../../../../gateway/transport/steps/shareInflightReads';
import type { Fetcher } from '../../../../gateway/transport/subgraphTransport';

const SECRET = 'unit-test-secret-with-more-than-32-chars';
const QUERY = '{ person(idNumber: "330106197504189356") { vehicles { vin } } }';

/** A subgraph that counts what reaches it. */
function countingSubgraph() {
  const sent: unknown[] = [];
  const fetcher = (async (_url: string, init?: { body?: unknown }) => {
    sent.push(init?.body);
    return new Response(JSON.stringify({ data: { person: { vehicles: [] } } }), { status: 200, headers: { 'content-type': 'application/json' } });
  }) as unknown as Fetcher;
  return { sent, fetcher };
}

function incoming(context: GatewayContext): GraphQLDataSourceProcessOptions<GatewayContext> {
  return {
    kind: 'incoming operation',
    request: { query: QUERY, http: { method: 'POST', url: 'http://vehicle.test/graphql', headers: new Headers() } },
    context,
    incomingRequestContext: { context, operation: { operation: 'query' } },
  } as unknown as GraphQLDataSourceProcessOptions<GatewayContext>;
}

/** An officer's request with its audit on `append`; the audit's context carries the caller. */
function request(append: (r: AuditRecordInput) => Promise<unknown>, requestId = 'req-1'): GatewayContext {
  const audit = new RequestAudit({ log: { append: append as never }, requestId });
  const context = audit.context;
  context.caller = { kind: 'court', court: '浙0106', officer: '浙0106-007', roles: ['query'] };
  audit.describe(context, () => ({ operationName: null, query: QUERY }));
  return context;
}

describe('the intent gate of subgraph calls', () => {
  it('sends nothing while the audit store fails: every call of the request is refused, none reaches the subgraph', async () => {
    const subgraph = countingSubgraph();
    const vehicle = new SignedDataSource({ name: 'vehicle', url: 'http://vehicle.test/graphql', secret: SECRET, fetcher: subgraph.fetcher, requireIntent: true });
    const context = request(async () => {
      throw new Error('connection refused');
    });
    const calls = await Promise.allSettled([vehicle.process(incoming(context)), vehicle.process(incoming(context))]);
    expect(calls.map((c) => c.status)).toEqual(['rejected', 'rejected']);
    expect((calls[0] as PromiseRejectedResult).reason).toMatchObject({ extensions: { code: 'AUDIT_UNAVAILABLE' } });
    expect(subgraph.sent).toEqual([]);
    expect(context.subgraphsCalled).toBeUndefined();
  });

  it('shares no read in flight for a request whose intent failed, and writes one intent per request however many calls', async () => {
    const subgraph = countingSubgraph();
    const inflightReads = shareReads();
    const vehicle = new SignedDataSource({ name: 'vehicle', url: 'http://vehicle.test/graphql', secret: SECRET, fetcher: subgraph.fetcher, inflightReads, requireIntent: true });
    const intents: string[] = [];
    const up = request(async (r) => void intents.push(r.requestId), 'up');
    const down = request(async () => {
      throw new Error('connection refused');
    }, 'down');
    const [a, b, c] = await Promise.allSettled([vehicle.process(incoming(up)), vehicle.process(incoming(down)), vehicle.process(incoming(up))]);
    expect([a.status, b.status, c.status]).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(intents).toEqual(['up']);
    expect(down.subgraphsCalled).toBeUndefined();
    expect([...up.subgraphsCalled!]).toEqual(['vehicle']);
  });

  it('refuses an incoming operation with no audit on its context', async () => {
    const subgraph = countingSubgraph();
    const vehicle = new SignedDataSource({ name: 'vehicle', url: 'http://vehicle.test/graphql', secret: SECRET, fetcher: subgraph.fetcher, requireIntent: true });
    const context: GatewayContext = { requestId: 'req-1', caller: { kind: 'court', court: '浙0106', officer: '浙0106-007', roles: ['query'] } };
    await expect(vehicle.process(incoming(context))).rejects.toThrow('Refusing to call a subgraph for a request with no audit: its intent cannot be recorded first.');
    expect(subgraph.sent).toEqual([]);
  });

  it('writes no intent for an operation refused anyway (authorization could not check it)', async () => {
    const subgraph = countingSubgraph();
    const vehicle = new SignedDataSource({ name: 'vehicle', url: 'http://vehicle.test/graphql', secret: SECRET, fetcher: subgraph.fetcher, requireIntent: true });
    const intents: string[] = [];
    const context = request(async (r) => void intents.push(r.requestId));
    context.cannotRun = true;
    await expect(vehicle.process(incoming(context))).rejects.toThrow('Refusing to call a subgraph for an operation authorization could not check.');
    expect(intents).toEqual([]);
    expect(subgraph.sent).toEqual([]);
  });
});
