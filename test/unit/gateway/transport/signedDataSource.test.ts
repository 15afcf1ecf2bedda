import type { GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import type { GatewayContext } from '../../../../gateway/context';
import { SignedDataSource } from '../../../../gateway/transport/signedDataSource';
import { claimsOf } from '../../../../gateway/transport/subgraphClaims';
import { GATEWAY_SIGNATURE_HEADER, GATEWAY_SIGNATURE_ISSUER, requestBodyHash, verifyFromGateway } from '../../../../lib/gatewaySignature';

const SECRET = 'unit-test-secret-with-more-than-32-chars';
const CASE = '(2024)浙0106执1234号';
const officer: GatewayContext = {
  requestId: 'req-1',
  caller: { kind: 'court', court: '浙0106', officer: '浙0106-007', roles: ['query'] },
  caseNumber: CASE,
};

/** What the gateway hands `willSendRequest`: an incoming operation, or a request of its own. */
function processOptions(context: Partial<GatewayContext> | undefined): GraphQLDataSourceProcessOptions<GatewayContext> {
  const request = { query: '{ __typename }', http: { method: 'POST' as const, url: 'http://subgraph.test/graphql', headers: new Headers() } };
  const options = context === undefined
    ? { kind: 'health check', request, context: {} }
    : { kind: 'incoming operation', request, context, incomingRequestContext: { context } };
  return options as unknown as GraphQLDataSourceProcessOptions<GatewayContext>;
}

async function signedClaims(source: SignedDataSource, context: Partial<GatewayContext> | undefined) {
  const options = processOptions(context);
  await source.willSendRequest(options);
  return verifyFromGateway(SECRET, options.request.http!.headers.get(GATEWAY_SIGNATURE_HEADER) ?? undefined);
}

describe('SignedDataSource', () => {
  // Lenient, to show what is signed for contexts without a caller; the default refuses them.
  const source = new SignedDataSource({ name: 'vehicle', url: 'http://subgraph.test/graphql', secret: SECRET, requireCaller: false });

  it('signs an officer\'s operation with court, officer, case and request id', async () => {
    expect(await signedClaims(source, officer)).toEqual({ requestId: 'req-1', court: '浙0106', officer: '浙0106-007', caseNumber: CASE });
  });

  it('prefers the checked case to the stated one, and signs a citizen as a citizen', async () => {
    const checked = { ...officer, caseNumber: 'stated', case: { caseNumber: CASE, courtCode: '浙0106', status: 'ACTIVE' as const, debtors: [], applicants: [], outstandingFen: 0 } };
    expect(await signedClaims(source, checked)).toMatchObject({ caseNumber: CASE });
    const citizen = { requestId: 'req-2', caller: { kind: 'citizen' as const, idNumber: '330106197504189356' } };
    expect(await signedClaims(source, citizen)).toEqual({ requestId: 'req-2', citizen: '330106197504189356' });
  });

  it('signs with the gateway\'s service identity when it asks for itself, or no caller was verified', async () => {
    expect(await signedClaims(source, undefined)).toEqual({ requestId: expect.stringMatching(/^[0-9a-f-]{36}$/), service: GATEWAY_SIGNATURE_ISSUER });
    expect(await signedClaims(source, {})).toEqual({ requestId: expect.stringMatching(/^[0-9a-f-]{36}$/), service: GATEWAY_SIGNATURE_ISSUER });
  });

  it('by default refuses to forward an operation no caller was verified for', async () => {
    const strict = new SignedDataSource({ name: 'vehicle', url: 'http://subgraph.test/graphql', secret: SECRET });
    await expect(signedClaims(strict, { requestId: 'req-3' })).rejects.toThrow(
      'Refusing to call a subgraph for an operation with no verified caller: authentication did not run.',
    );
    expect(await signedClaims(strict, officer)).toMatchObject({ court: '浙0106' });
    expect(await signedClaims(strict, undefined)).toMatchObject({ service: GATEWAY_SIGNATURE_ISSUER });
  });

  it('signs the checked debtors, the case\'s outstanding amount and the root subjects, and records the subgraph as called', async () => {
    const context: GatewayContext = {
      ...officer,
      case: { caseNumber: CASE, courtCode: '浙0106', status: 'ACTIVE', debtors: ['330106197504189356'], applicants: [], outstandingFen: 9_007_199_254_740_991 },
      reached: { subjects: ['330106197504189356'], fields: ['Person.vehicles'] },
      subgraphsCalled: new Set(['court']),
    };
    expect(await signedClaims(source, context)).toEqual({
      requestId: 'req-1',
      court: '浙0106',
      officer: '浙0106-007',
      caseNumber: CASE,
      debtors: ['330106197504189356'],
      caseOutstandingFen: '9007199254740991',
      subjects: ['330106197504189356'],
    });
    expect([...context.subgraphsCalled!]).toEqual(['court', 'vehicle']);
    const fresh: Partial<GatewayContext> = { requestId: 'req-9' };
    await signedClaims(source, fresh);
    expect(fresh.subgraphsCalled).toEqual(new Set(['vehicle']));
  });

  it('reports a subgraph refusing the signature as the deployment\'s fault, not the caller\'s', async () => {
    type SubgraphResponse = Parameters<SignedDataSource['errorFromResponse']>[0];
    const refusal = new Response(JSON.stringify({ errors: [{ message: 'no', extensions: { code: 'UNAUTHENTICATED' } }] }), {
      status: 401,
      headers: { 'content-type': 'application/json' },
    });
    const error = await source.errorFromResponse(refusal as unknown as SubgraphResponse);
    expect({ message: error.message, extensions: error.extensions }).toEqual({
      message: 'The vehicle subgraph refused the gateway\'s signature: the gateway and the subgraph do not share the same secret, or their clocks disagree.',
      extensions: { code: 'INTERNAL_SERVER_ERROR', serviceName: 'vehicle' },
    });
    const busy = new Response('busy', { status: 503, statusText: 'Service Unavailable', headers: { 'content-type': 'text/plain' } });
    expect((await source.errorFromResponse(busy as unknown as SubgraphResponse)).message).toBe('503: Service Unavailable');
  });

  it("signs the kind of the incoming operation, so a subgraph runs a mutation only under a mutation's signature", () => {
    expect(claimsOf({ requestId: 'm', operationType: 'mutation' }).operation).toBe('mutation');
    expect(claimsOf({ requestId: 'q', operationType: 'query' }).operation).toBe('query');
    // Not known yet (the gateway asking for itself): no claim, and no subgraph runs a mutation under it.
    expect('operation' in claimsOf({ requestId: 's' })).toBe(false);
  });

  it('keeps the request id of the context, making one only when it is missing', () => {
    expect(claimsOf({ requestId: 'abc' }).requestId).toBe('abc');
    expect(claimsOf({}).requestId).not.toBe(claimsOf({}).requestId);
  });
});

describe('SignedDataSource: one signature per request', () => {
  const vehicle = new SignedDataSource({ name: 'vehicle', url: 'http://subgraph.test/graphql', secret: SECRET });
  const bank = new SignedDataSource({ name: 'bank', url: 'http://subgraph.test/graphql', secret: SECRET });
  const headerOf = async (source: SignedDataSource, context: GatewayContext) => {
    const options = processOptions(context);
    await source.willSendRequest(options);
    return options.request.http!.headers.get(GATEWAY_SIGNATURE_HEADER);
  };
  afterEach(() => jest.useRealTimers());

  it('signs once for all subgraph calls of a request, and anew for another request', async () => {
    const first: GatewayContext = { ...officer, requestId: 'req-a' };
    const second: GatewayContext = { ...officer, requestId: 'req-b' };
    const a1 = await headerOf(vehicle, first);
    expect(await headerOf(bank, first)).toBe(a1);
    const b = await headerOf(vehicle, second);
    expect(b).not.toBe(a1);
    expect((await verifyFromGateway(SECRET, b ?? undefined)).requestId).toBe('req-b');
  });

  it("signs each call of a mutation on its own, bound to that call's query and variables", async () => {
    const context: GatewayContext = { ...officer, requestId: 'req-m', operationType: 'mutation' };
    const call = async (source: SignedDataSource, query: string, variables: Record<string, unknown>) => {
      const options = processOptions(context);
      Object.assign(options.request, { query, variables });
      await source.willSendRequest(options);
      return verifyFromGateway(SECRET, options.request.http!.headers.get(GATEWAY_SIGNATURE_HEADER) ?? undefined);
    };
    const freeze = await call(bank, 'mutation { freeze }', { id: 1 });
    const read = await call(vehicle, '{ vehicles }', { id: 1 });
    expect(freeze).toMatchObject({ requestId: 'req-m', operation: 'mutation', bodyHash: requestBodyHash('mutation { freeze }', { id: 1 }) });
    expect(read.bodyHash).toBe(requestBodyHash('{ vehicles }', { id: 1 }));
    // A read's signature is shared by the request's calls and binds no body.
    const query: GatewayContext = { ...officer, requestId: 'req-q', operationType: 'query' };
    expect('bodyHash' in (await verifyFromGateway(SECRET, (await headerOf(vehicle, query)) ?? undefined))).toBe(false);
  });

  it('signs anew once a third of the lifetime has passed, so a long request never sends a stale one', async () => {
    jest.useFakeTimers({ now: new Date('2026-06-01T00:00:00Z'), doNotFake: ['nextTick', 'setImmediate', 'queueMicrotask'] });
    const context: GatewayContext = { ...officer, requestId: 'req-long' };
    const early = await headerOf(vehicle, context);
    jest.setSystemTime(Date.now() + 9_000);
    expect(await headerOf(bank, context)).toBe(early);
    jest.setSystemTime(Date.now() + 2_000);
    const later = await headerOf(bank, context);
    expect(later).not.toBe(early);
    expect((await verifyFromGateway(SECRET, later ?? undefined)).requestId).toBe('req-long');
  });
});
