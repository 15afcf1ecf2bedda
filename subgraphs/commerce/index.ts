import type { ServedGraphQL } from '../../lib/http/serveGraphQL';
import type { MetricsAccess } from '../../lib/metrics/metricsAccess';
import { AgencyChannels } from '../shared/agencyChannels';
import type { AgencyResilience } from '../shared/agencyPolicy';
import { ControlClient } from '../shared/measures/controlClient';
import { startSubgraph } from '../shared/startSubgraph';
import { COMMERCE_AGENCY, COMMERCE_CONTROL_PREFIX, CommerceClient } from './client';
import { createCommerceLoaders } from './loaders';
import type { CommerceContext } from './context';
import { resolvers } from './resolvers';

export interface CommerceSubgraphOptions {
  /** The secret the gateway signs its requests with; unsigned requests are refused (401). */
  secret: string;
  /** Base URL of the commerce registry's API and control interface, e.g. http://127.0.0.1:4105 */
  agencyUrl: string;
  /** @default 0 (ephemeral) */
  port?: number;
  /** @default '127.0.0.1' */
  host?: string;
  /** Time budget per registry call, retries included. @default 5000 */
  timeoutMs?: number;
  /** Retries, circuit breaker and connection pool towards the registry (see AgencyResilience for defaults). */
  resilience?: AgencyResilience;
  /** Who may scrape /metrics (NODE_ENV, METRICS_TOKEN; SubgraphSettings.metrics). @default open, as in development */
  metrics?: MetricsAccess;
}

/** Serves the commerce subgraph; each request gets fresh loaders over one shared client. */
export function startCommerceSubgraph(options: CommerceSubgraphOptions): Promise<ServedGraphQL> {
  const channels = new AgencyChannels({ resilience: options.resilience });
  const client = new CommerceClient({ baseUrl: options.agencyUrl, timeoutMs: options.timeoutMs, channels });
  const control = new ControlClient({ agency: COMMERCE_AGENCY, baseUrl: options.agencyUrl, prefix: COMMERCE_CONTROL_PREFIX, timeoutMs: options.timeoutMs, channels });
  return startSubgraph<CommerceContext>({
    name: 'commerce',
    resolvers,
    channels,
    context: () => ({ loaders: createCommerceLoaders(client, control), control }),
    secret: options.secret,
    port: options.port,
    host: options.host,
    metrics: options.metrics,
  });
}
