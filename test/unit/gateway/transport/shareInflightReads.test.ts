/**
 * SignedDataSource sends identical subgraph reads in flight at the same time once, and
 * nothing else: not a mutation, not a read for another caller or case, not a read that
 * starts after the first one's answer came back.
 */
import type { GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import type { GatewayContext } from '../../../../gateway/context';
import { SignedDataSource } from '../../../../gateway/transport/signedDataSource';
import { shareReads } from '../../../../gateway/transport/steps/shareInflightReads';
import type { Fetcher } from '../../../../gateway/transport/subgraphTransport';
import { GATEWAY_SIGNATURE_HEADER, verifyFromGateway } from '../../../../lib/gatewaySignature';

const SECRET = 'unit-test-secret-with-more-than-32-chars';
const CASE = '(2024)浙0106执1234号';
const ENTITIES = 'query Dossier__vehicle__1($representations:[_Any!]!){_entities(representations:$representations){...on Person{vehicles{vin}}}}';
const REPRESENTATIONS = { representations: [{ __typename: 'Person', idNumber: '330106197504189356' }] };

function officer(requestId: string, who = '浙0106-007', debtors = ['330106197504189356']): GatewayContext {
  return {
    requestId,
    caller: { kind: 'court', court: '浙0106', officer: who, roles: ['query'] },
    caseNumber: CASE,
    case: { caseNumber: CASE, courtCode: '浙0106', status: 'ACTIVE', debtors, applicants: [], outstandingFen: 100 },
    reached: { subjects: ['330106197504189356'], fields: ['Person.vehicles'] },
  };
}

/** What gateway-js hands a data source for one fetch of an incoming operation. */
function incoming(
  context: GatewayContext,
  options: { operation?: 'query' | 'mutation'; query?: string; variables?: Record<string, unknown> } = {},
): GraphQLDataSourceProcessOptions<GatewayContext> {
  return {
    kind: 'incoming operation',
    request: { query: options.query ?? ENTITIES, variables: options.variables ?? REPRESENTATIONS, operationName: 'Dossier__vehicle__1', http: { method: 'POST', url: 'http://vehicle.test/graphql', headers: new Headers() } },
    context,
    incomingRequestContext: { context, operation: { operation: options.operation ?? 'query' } },
  } as unknown as GraphQLDataSourceProcessOptions<GatewayContext>;
}

interface Sent {
  body: unknown;
  requestId: string;
}

/** A subgraph that answers after `delayMs`, recording each request and the request id it was signed with. */
function fakeSubgraph(delayMs = 30, answer: () => unknown = () => ({ data: { _entities: [{ vehicles: [{ vin: 'LSVAU218XN2183294' }] }] } })) {
  const sent: Sent[] = [];
  const fetcher = (async (_url: string, init?: { body?: unknown; headers?: Record<string, string> }) => {
    const claims = await verifyFromGateway(SECRET, init?.headers?.[GATEWAY_SIGNATURE_HEADER]);
    sent.push({ body: JSON.parse(String(init?.body)), requestId: claims.requestId });
    await new Promise((resolve) => setTimeout(resolve, delayMs));
    return new Response(JSON.stringify(answer()), { status: 200, headers: { 'content-type': 'application/json' } });
  }) as unknown as Fetcher;
  return { sent, fetcher };
}

function source(fetcher: Fetcher, inflightReads = shareReads()) {
  return new SignedDataSource({ name: 'vehicle', url: 'http://vehicle.test/graphql', secret: SECRET, fetcher, inflightReads });
}

describe('identical subgraph reads in flight are sent once', () => {
  it('sends N identical reads of one officer once, each request getting the same answer and recording the subgraph', async () => {
    const subgraph = fakeSubgraph();
    const vehicle = source(subgraph.fetcher);
    const contexts = Array.from({ length: 8 }, (_, i) => officer(`req-${i}`));
    const answers = await Promise.all(contexts.map((c) => vehicle.process(incoming(c))));
    expect(subgraph.sent).toHaveLength(1);
    // The subgraph and its agency see the leader's request id.
    expect(subgraph.sent[0]!.requestId).toBe('req-0');
    for (const answer of answers) expect(answer.data).toEqual({ _entities: [{ vehicles: [{ vin: 'LSVAU218XN2183294' }] }] });
    for (const c of contexts) expect([...c.subgraphsCalled!]).toEqual(['vehicle']);
  });

  it('gives every sharer its own copy of the answer (gateway-js merges entities into it in place)', async () => {
    const subgraph = fakeSubgraph();
    const vehicle = source(subgraph.fetcher);
    const [a, b] = await Promise.all([vehicle.process(incoming(officer('a'))), vehicle.process(incoming(officer('b')))]);
    (a.data!._entities as Record<string, unknown>[])[0]!.mergedByA = true;
    expect(b.data).toEqual({ _entities: [{ vehicles: [{ vin: 'LSVAU218XN2183294' }] }] });
    expect(subgraph.sent).toHaveLength(1);
  });

  it("keeps a follower's copy intact when the leader changes its answer the moment it arrives", async () => {
    const subgraph = fakeSubgraph();
    const vehicle = source(subgraph.fetcher);
    const untouched = { _entities: [{ vehicles: [{ vin: 'LSVAU218XN2183294' }] }] };
    // The leader keeps the subgraph's own answer (no copy); it changes it in its first continuation.
    const leader = vehicle.process(incoming(officer('a'))).then((answer) => {
      (answer.data!._entities as Record<string, unknown>[])[0]!.vehicles = [];
      return answer;
    });
    const followers = [vehicle.process(incoming(officer('b'))), vehicle.process(incoming(officer('c')))];
    const [a, b, c] = await Promise.all([leader, ...followers]);
    expect(subgraph.sent).toHaveLength(1);
    expect(a!.data).toEqual({ _entities: [{ vehicles: [] }] });
    expect(b!.data).toEqual(untouched);
    expect(c!.data).toEqual(untouched);
    expect(b!.data).not.toBe(c!.data);
  });

  it('does not share between officers, cases with other debtors, or different variables', async () => {
    const subgraph = fakeSubgraph();
    const vehicle = source(subgraph.fetcher);
    await Promise.all([
      vehicle.process(incoming(officer('1', '浙0106-007'))),
      vehicle.process(incoming(officer('2', '浙0106-008'))),
      vehicle.process(incoming(officer('3', '浙0106-007', ['330106197504189356', '91330106MA2B3C4D5E']))),
      vehicle.process(incoming(officer('4', '浙0106-007'), { variables: { representations: [{ __typename: 'Person', idNumber: '330106198503030911' }] } })),
    ]);
    expect(subgraph.sent).toHaveLength(4);
  });

  it('never shares a mutation, nor a read made for an incoming mutation', async () => {
    const subgraph = fakeSubgraph(30, () => ({ data: { sealRealEstate: { seal: null } } }));
    const realestate = source(subgraph.fetcher);
    const mutation = 'mutation Seal__realestate__0($input:SealRealEstateInput!){sealRealEstate(input:$input){seal{id}}}';
    const variables = { input: { requestId: 'seal-1' } };
    await Promise.all(Array.from({ length: 4 }, (_, i) => realestate.process(incoming(officer(`m${i}`), { operation: 'mutation', query: mutation, variables }))));
    expect(subgraph.sent).toHaveLength(4);
    await Promise.all(Array.from({ length: 3 }, (_, i) => realestate.process(incoming(officer(`r${i}`), { operation: 'mutation' }))));
    expect(subgraph.sent).toHaveLength(7);
  });

  it('sends a read again once the first answer is back: it shares flights, it is no cache', async () => {
    const subgraph = fakeSubgraph(5);
    const vehicle = source(subgraph.fetcher);
    await vehicle.process(incoming(officer('1')));
    await vehicle.process(incoming(officer('2')));
    expect(subgraph.sent).toHaveLength(2);
  });

  it('gives every sharer the failure of the call it shared, and the next read goes out anew', async () => {
    let fail = true;
    const failing = (async () => {
      await new Promise((resolve) => setTimeout(resolve, 20));
      if (fail) throw new Error('connect ECONNREFUSED');
      return new Response('{"data":{"_entities":[]}}', { headers: { 'content-type': 'application/json' } });
    }) as unknown as Fetcher;
    const vehicle = source(failing);
    const results = await Promise.allSettled([vehicle.process(incoming(officer('1'))), vehicle.process(incoming(officer('2')))]);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected']);
    expect(results.map((r) => (r as PromiseRejectedResult).reason.message)).toEqual(['connect ECONNREFUSED', 'connect ECONNREFUSED']);
    expect((results[0] as PromiseRejectedResult).reason).not.toBe((results[1] as PromiseRejectedResult).reason);
    fail = false;
    await expect(vehicle.process(incoming(officer('3')))).resolves.toMatchObject({ data: { _entities: [] } });
  });

  it('still refuses an operation with no verified caller, shared or not', async () => {
    const subgraph = fakeSubgraph();
    const vehicle = source(subgraph.fetcher);
    const leader = vehicle.process(incoming(officer('1')));
    const anonymous = { requestId: 'anon' } as GatewayContext;
    await expect(vehicle.process(incoming(anonymous))).rejects.toThrow('no verified caller');
    await leader;
    expect(subgraph.sent).toHaveLength(1);
  });

  it('sends every read when no store of in-flight reads is given', async () => {
    const subgraph = fakeSubgraph();
    const vehicle = new SignedDataSource({ name: 'vehicle', url: 'http://vehicle.test/graphql', secret: SECRET, fetcher: subgraph.fetcher });
    await Promise.all([vehicle.process(incoming(officer('1'))), vehicle.process(incoming(officer('2')))]);
    expect(subgraph.sent).toHaveLength(2);
  });
});
