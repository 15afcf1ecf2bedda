import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import { METRICS_PREFIX } from '../../lib/metrics/metricsRegistry';
import type { AgencyChannels } from './agencyChannels';
import type { BreakerState } from './agencyPolicy';

/** An agency answers in ms to a second; its budget (AGENCY_TIMEOUT_MS) is 5 s by default. */
const CALL_SECONDS_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/** Every state a breaker can be in: each is a series, 1 for the one it is in, so a dashboard sees the changes. */
const BREAKER_STATES: readonly BreakerState[] = ['closed', 'open', 'half-open', 'isolated'];

/**
 * A subgraph's agency traffic as series in its registry: calls by agency, provider (bank
 * code), kind of call and outcome (`ok` or the AgencyError code) with their duration; control
 * acts by agency, act, measure kind and status; and, read at each scrape, every breaker's
 * state and every pool's saturation (requests on a socket against the pool's size, requests
 * queued). Labels come from fixed vocabularies only: agency names and bank codes in code,
 * error codes, statuses. Nothing of a request (case, court, person, asset) is a label.
 */
export function registerAgencyMetrics(registry: Registry, channels: AgencyChannels): void {
  const calls = new Counter({
    name: `${METRICS_PREFIX}agency_calls_total`,
    help: 'Calls of this subgraph to an agency (retries included in one call), by agency, provider (bank code), call (read, control) and outcome (ok or the AgencyError code).',
    labelNames: ['agency', 'provider', 'call', 'outcome'] as const,
    registers: [registry],
  });
  const duration = new Histogram({
    name: `${METRICS_PREFIX}agency_call_duration_seconds`,
    help: 'Time of one call of this subgraph to an agency, retries and backoff included, by agency, provider and call.',
    labelNames: ['agency', 'provider', 'call'] as const,
    buckets: CALL_SECONDS_BUCKETS,
    registers: [registry],
  });
  const acts = new Counter({
    name: `${METRICS_PREFIX}control_acts_total`,
    help: 'Control acts sent to an agency, by agency, provider, act (submit, renew, release, deduct), measure kind and the status answered (or REFUSED, FAILED).',
    labelNames: ['agency', 'provider', 'act', 'kind', 'status'] as const,
    registers: [registry],
  });
  channels.observe({
    called(target, call) {
      calls.inc({ ...target, call: call.call, outcome: call.outcome });
      duration.observe({ ...target, call: call.call }, call.seconds);
    },
    acted(target, act) {
      acts.inc({ ...target, act: act.act, kind: act.kind, status: act.status });
    },
  });

  new Gauge({
    name: `${METRICS_PREFIX}agency_breaker_state`,
    help: "Each agency's circuit breaker: 1 for the state it is in (closed, open, half-open, isolated), 0 for the others.",
    labelNames: ['agency', 'provider', 'state'] as const,
    registers: [registry],
    collect() {
      this.reset();
      for (const { target, breaker } of channels.states()) {
        for (const state of BREAKER_STATES) this.set({ ...target, state }, state === breaker ? 1 : 0);
      }
    },
  });
  const pool = (name: string, help: string, read: (stats: NonNullable<ReturnType<AgencyChannels['states']>[number]['pool']>) => number) =>
    new Gauge({
      name: `${METRICS_PREFIX}${name}`,
      help,
      labelNames: ['agency', 'provider'] as const,
      registers: [registry],
      collect() {
        this.reset();
        for (const { target, pool: stats } of channels.states()) if (stats) this.set(target, read(stats));
      },
    });
  pool('agency_pool_max_connections', "Sockets one agency's keep-alive pool may open (AGENCY_MAX_CONNECTIONS).", (s) => s.maxConnections);
  pool('agency_pool_connections', "Sockets open in one agency's keep-alive pool.", (s) => s.connected);
  pool('agency_pool_active_requests', "Requests on a socket of one agency's pool now (saturated at the pool's max connections).", (s) => s.running);
  pool('agency_pool_queued_requests', "Requests waiting for a socket of one agency's pool.", (s) => s.queued);
}
