import { collectDefaultMetrics, Registry } from 'prom-client';

/** Every series this project exposes starts with it, the process's own metrics too. */
export const METRICS_PREFIX = 'cag_';

/**
 * prom-client's default totals of active handles, requests and resources are gauges whose
 * names end in `_total`, which Prometheus keeps for counters (`promtool check metrics` refuses
 * them). They are dropped: the same counts stay, by type, in `nodejs_active_handles`,
 * `nodejs_active_requests` and `nodejs_active_resources`.
 */
const MISNAMED_DEFAULTS = ['nodejs_active_handles_total', 'nodejs_active_requests_total', 'nodejs_active_resources_total'];

/**
 * One server's registry: its own series and the process's (CPU, memory, event loop, GC, with
 * the project's prefix). Never prom-client's global one: several servers in one process
 * (`npm start`, the tests) each expose only what they counted, and registering a series
 * twice cannot collide across them.
 */
export function createMetricsRegistry(): Registry {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: METRICS_PREFIX });
  for (const name of MISNAMED_DEFAULTS) registry.removeSingleMetric(`${METRICS_PREFIX}${name}`);
  return registry;
}
