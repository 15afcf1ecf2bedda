/** The subgraph-call step that counts and times each call sent, by subgraph and outcome. */
import { createMetricsRegistry } from '../../../../../lib/metrics/metricsRegistry';
import { measureSubgraphCalls, SubgraphCallMetrics } from '../../../../../gateway/transport/steps/measureSubgraphCalls';
import type { SubgraphAnswer, SubgraphCall } from '../../../../../gateway/transport/subgraphCall';
import { parseExposition, sampleSum } from '../../../../support/metricsScrape';

const callTo = (subgraph: string): SubgraphCall => ({ subgraph, request: { query: '{ x }' }, incoming: undefined, read: false });

describe('measureSubgraphCalls', () => {
  it('counts answers, answers with errors and failures per subgraph, and passes each on unchanged', async () => {
    const registry = createMetricsRegistry();
    const step = measureSubgraphCalls(new SubgraphCallMetrics(registry));
    const ok: SubgraphAnswer = { data: { x: 1 } };
    const withErrors: SubgraphAnswer = { data: null, errors: [{ message: 'no' } as never] };
    expect(await step.call!(callTo('bank'), async () => ok)).toBe(ok);
    expect(await step.call!(callTo('bank'), async () => ok)).toBe(ok);
    expect(await step.call!(callTo('vehicle'), async () => withErrors)).toBe(withErrors);
    const failure = new Error('HTTP 502');
    await expect(step.call!(callTo('vehicle'), async () => Promise.reject(failure))).rejects.toBe(failure);

    const exposition = parseExposition(await registry.metrics());
    const calls = (subgraph: string, outcome: string) => sampleSum(exposition, 'cag_gateway_subgraph_calls_total', { subgraph, outcome });
    expect([calls('bank', 'ok'), calls('vehicle', 'errors'), calls('vehicle', 'failed'), calls('vehicle', 'ok')]).toEqual([2, 1, 1, 0]);
    expect(sampleSum(exposition, 'cag_gateway_subgraph_call_duration_seconds_count')).toBe(4);
  });
});
