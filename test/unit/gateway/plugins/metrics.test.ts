/**
 * The gateway's request series: operation names become labels only from the bounded set (the
 * documented operations and the configured ones), anything else is `other`, no name `none`;
 * outcomes and error codes as answered.
 */
import { ApolloServer } from '@apollo/server';
import { GraphQLError } from 'graphql';
import { createMetricsRegistry } from '../../../../lib/metrics/metricsRegistry';
import { COURT_OPERATIONS } from '../../../../schemas/courtOperations';
import type { GatewayContext } from '../../../../gateway/context';
import { labelledOperations, metricsPlugin } from '../../../../gateway/plugins/metrics';
import { parseExposition, sampleSum } from '../../../support/metricsScrape';

describe('labelledOperations', () => {
  it('names the documented court operations and the configured ones', () => {
    expect([...labelledOperations(COURT_OPERATIONS, ['Docket'])].sort()).toEqual(['CaseProgress', 'CaseSearch', 'Docket', 'Dossier', 'Seal', 'Sweep']);
  });
});

describe('metricsPlugin', () => {
  const registry = createMetricsRegistry();
  const server = new ApolloServer<GatewayContext>({
    typeDefs: 'type Query { ok: Boolean, bad: Boolean, odd: Boolean }',
    resolvers: {
      Query: {
        ok: () => true,
        bad: () => {
          throw new GraphQLError('no', { extensions: { code: 'FORBIDDEN' } });
        },
        odd: () => {
          throw new GraphQLError('made up', { extensions: { code: 'SOMETHING_ELSE' } });
        },
      },
    },
    plugins: [metricsPlugin({ registry, operationNames: labelledOperations(COURT_OPERATIONS) })],
  });
  beforeAll(() => server.start());
  afterAll(() => server.stop());
  const run = (query: string) => server.executeOperation({ query }, { contextValue: { requestId: 'r' } });

  it('labels known names as themselves, other names as other and unnamed operations as none', async () => {
    await run('query Dossier { ok }');
    await run('query Person330106197504189356 { ok }');
    await run('{ ok }');
    await run('query Dossier { ok bad }');
    await run('query Sweep { odd }');
    await run('{ nope }');
    const exposition = parseExposition(await registry.metrics());
    const requests = (labels: Record<string, string>) => sampleSum(exposition, 'cag_gateway_requests_total', labels);
    expect(requests({ operation: 'Dossier', type: 'query', outcome: 'ok' })).toBe(1);
    expect(requests({ operation: 'Dossier', type: 'query', outcome: 'partial' })).toBe(1);
    expect(requests({ operation: 'Sweep', outcome: 'partial' })).toBe(1);
    // Not valid: no operation resolved, so neither its name nor its type is known.
    expect(requests({ operation: 'none', type: 'none', outcome: 'refused' })).toBe(1);
    expect(sampleSum(exposition, 'cag_gateway_errors_total', { code: 'GRAPHQL_VALIDATION_FAILED' })).toBe(1);
    expect(requests({ operation: 'other', outcome: 'ok' })).toBe(1);
    expect(requests({ operation: 'none', outcome: 'ok' })).toBe(1);
    expect(sampleSum(exposition, 'cag_gateway_request_duration_seconds_count')).toBe(6);
    expect(sampleSum(exposition, 'cag_gateway_errors_total', { code: 'FORBIDDEN' })).toBe(1);
    expect(sampleSum(exposition, 'cag_gateway_errors_total', { code: 'other' })).toBe(1);
    expect(exposition.text).not.toContain('330106197504189356');
    expect(exposition.text).not.toContain('SOMETHING_ELSE');
  });
});
