/**
 * The subgraph-call chain: its steps in their documented order, each hook run in that order,
 * and a step that answers a call stopping the later ones (nothing is signed or sent for it).
 */
import type { GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import { GraphQLError } from 'graphql';
import { answerFromCaseRecord } from '../../../../gateway/caseBinding/answerFromCaseRecord';
import { CASE_RECORD_QUERY } from '../../../../gateway/caseBinding/caseRecord';
import { CaseRecordAnswers } from '../../../../gateway/caseBinding/caseRecordAnswers';
import type { GatewayContext } from '../../../../gateway/context';
import { SignedDataSource } from '../../../../gateway/transport/signedDataSource';
import { subgraphCallSteps } from '../../../../gateway/transport/steps';
import { shareReads } from '../../../../gateway/transport/steps/shareInflightReads';
import { type SubgraphAnswer, type SubgraphCall, SubgraphCallChain, type SubgraphCallStep, type SubgraphResponse } from '../../../../gateway/transport/subgraphCall';
import type { Fetcher } from '../../../../gateway/transport/subgraphTransport';

const SECRET = 'unit-test-secret-with-more-than-32-chars';
const CASE = '(2024)浙0106执1234号';
const call: SubgraphCall = { subgraph: 'vehicle', request: { query: '{ __typename }' }, incoming: undefined, read: false };

/** A step that notes each of its hooks in `seen`, and passes every call on. */
function noting(name: string, seen: string[]): SubgraphCallStep {
  return {
    name,
    call: (_call, next) => (seen.push(`${name}.call`), next()),
    beforeSend: () => void seen.push(`${name}.beforeSend`),
    mapError: (_subgraph, _response, next) => (seen.push(`${name}.mapError`), next()),
  };
}

describe('the subgraph-call chain', () => {
  it('lists its steps in the documented order, each only where it applies', () => {
    const record = answerFromCaseRecord(new CaseRecordAnswers(CASE_RECORD_QUERY));
    expect(subgraphCallSteps({ secret: SECRET, answerFromCaseRecord: record, inflightReads: shareReads() }).map((s) => s.name)).toEqual([
      'admit',
      'answerFromCaseRecord',
      'shareInflightReads',
      'traceSubgraphCalls',
      'sign',
      'mapSubgraphErrors',
    ]);
    expect(subgraphCallSteps({ secret: SECRET }).map((s) => s.name)).toEqual(['admit', 'traceSubgraphCalls', 'sign', 'mapSubgraphErrors']);
  });

  it('runs each hook in the order of the steps, the call around the send', async () => {
    const seen: string[] = [];
    const chain = new SubgraphCallChain([noting('a', seen), { name: 'quiet' }, noting('b', seen)]);
    const answer = await chain.run(call, async () => {
      seen.push('send');
      await chain.beforeSend(call);
      return { data: { ok: true } };
    });
    expect(answer).toEqual({ data: { ok: true } });
    const error = await chain.mapError('vehicle', {} as SubgraphResponse, async () => new GraphQLError('gateway-js'));
    expect(error.message).toBe('gateway-js');
    expect(seen).toEqual(['a.call', 'b.call', 'send', 'a.beforeSend', 'b.beforeSend', 'a.mapError', 'b.mapError']);
  });

  it('stops at a step that answers: later steps and the send never run', async () => {
    const seen: string[] = [];
    const answering: SubgraphCallStep = { name: 'answering', call: async () => ({ data: { answered: true } }) };
    const chain = new SubgraphCallChain([noting('a', seen), answering, noting('b', seen)]);
    const answer: SubgraphAnswer = await chain.run(call, async () => {
      seen.push('send');
      return {};
    });
    expect(answer).toEqual({ data: { answered: true } });
    expect(seen).toEqual(['a.call']);
  });

  it('answers a read of the checked case from its record with nothing sent or signed, the court subgraph still recorded as reached', async () => {
    const sent: unknown[] = [];
    const fetcher = (async (_url: string, init?: { body?: unknown }) => {
      sent.push(init?.body);
      return new Response('{"data":{}}', { status: 200, headers: { 'content-type': 'application/json' } });
    }) as unknown as Fetcher;
    const court = new SignedDataSource({
      name: 'court',
      url: 'http://court.test/graphql',
      secret: SECRET,
      fetcher,
      answerFromCaseRecord: answerFromCaseRecord(new CaseRecordAnswers(CASE_RECORD_QUERY)),
    });
    const record = { __typename: 'EnforcementCase', caseNumber: CASE, status: 'ACTIVE' };
    const context: GatewayContext = {
      requestId: 'req-1',
      caller: { kind: 'court', court: '浙0106', officer: '浙0106-007', roles: ['query'] },
      case: { caseNumber: CASE, courtCode: '浙0106', status: 'ACTIVE', debtors: [], applicants: [], outstandingFen: 0, record },
    };
    const fetch = (query: string) =>
      ({
        kind: 'incoming operation',
        request: { query, variables: { c: CASE }, http: { method: 'POST', url: 'http://court.test/graphql', headers: new Headers() } },
        context,
        incomingRequestContext: { context, operation: { operation: 'query' } },
      }) as unknown as GraphQLDataSourceProcessOptions<GatewayContext>;
    const held = fetch('query Q($c: CaseNumber!) { case(caseNumber: $c) { status } }');
    expect(await court.process(held)).toEqual({ data: { case: { status: 'ACTIVE' } } });
    expect(held.request.http?.headers.has('x-gateway-signature')).toBe(false);
    expect(sent).toEqual([]);
    expect([...context.subgraphsCalled!]).toEqual(['court']);
    // What the record lacks goes out, signed.
    await court.process(fetch('query Q($c: CaseNumber!) { case(caseNumber: $c) { cause } }'));
    expect(sent).toHaveLength(1);
  });
});
