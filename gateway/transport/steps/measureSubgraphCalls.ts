import { Counter, Histogram, type Registry } from 'prom-client';
import { METRICS_PREFIX } from '../../../lib/metrics/metricsRegistry';
import type { SubgraphCallStep } from '../subgraphCall';

/** A subgraph answers in ms; one waiting on a slow agency takes up to its 5 s budget. */
const CALL_SECONDS_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/** How a subgraph call ended: an answer without errors, one with errors, or none (HTTP error, network). */
export type SubgraphCallOutcome = 'ok' | 'errors' | 'failed';

/**
 * The series of the gateway's calls to its subgraphs, made once per gateway and shared by the
 * data sources of every subgraph (a registry takes each name once).
 */
export class SubgraphCallMetrics {
  private readonly calls: Counter<'subgraph' | 'outcome'>;
  private readonly duration: Histogram<'subgraph' | 'outcome'>;

  constructor(registry: Registry) {
    this.calls = new Counter({
      name: `${METRICS_PREFIX}gateway_subgraph_calls_total`,
      help: 'Calls the gateway sent to a subgraph, by subgraph and outcome (ok, errors: answered with errors, failed: no GraphQL answer).',
      labelNames: ['subgraph', 'outcome'] as const,
      registers: [registry],
    });
    this.duration = new Histogram({
      name: `${METRICS_PREFIX}gateway_subgraph_call_duration_seconds`,
      help: 'Time of one call of the gateway to a subgraph, by subgraph and outcome.',
      labelNames: ['subgraph', 'outcome'] as const,
      buckets: CALL_SECONDS_BUCKETS,
      registers: [registry],
    });
  }

  record(subgraph: string, outcome: SubgraphCallOutcome, seconds: number): void {
    this.calls.inc({ subgraph, outcome });
    this.duration.observe({ subgraph, outcome }, seconds);
  }
}

/**
 * Counts and times each call that goes to its subgraph, by the subgraph's name in the
 * supergraph (a fixed set) and outcome. After the steps that answer a call without sending it
 * (the case record, a shared read), so the series is the subgraphs' real traffic.
 */
export function measureSubgraphCalls(metrics: SubgraphCallMetrics): SubgraphCallStep {
  return {
    name: 'measureSubgraphCalls',
    async call({ subgraph }, next) {
      const started = process.hrtime.bigint();
      const seconds = () => Number(process.hrtime.bigint() - started) / 1e9;
      try {
        const answer = await next();
        metrics.record(subgraph, answer.errors && answer.errors.length > 0 ? 'errors' : 'ok', seconds());
        return answer;
      } catch (error) {
        metrics.record(subgraph, 'failed', seconds());
        throw error;
      }
    },
  };
}
