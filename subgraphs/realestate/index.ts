import type { ServedGraphQL } from '../../lib/http/serveGraphQL';
import type { MetricsAccess } from '../../lib/metrics/metricsAccess';
import { AgencyChannels } from '../shared/agencyChannels';
import type { AgencyResilience } from '../shared/agencyPolicy';
import { startSubgraph } from '../shared/startSubgraph';
import { ControlClient } from '../shared/measures/controlClient';
import { REAL_ESTATE_AGENCY, REAL_ESTATE_CONTROL_PREFIX, RealEstateClient, unitHolders } from './client';
import { createRealEstateLoaders } from './loaders';
import type { RealEstateContext } from './context';
import { resolvers } from './resolvers';

export interface RealEstateSubgraphOptions {
  /** The secret the gateway signs its requests with; unsigned requests are refused (401). */
  secret: string;
  /** Base URL of the real-estate registration exchange platform. */
  agencyUrl: string;
  /** @default 0 (ephemeral) */
  port?: number;
  host?: string;
  /** Time budget per call towards the platform, retries included. @default 5000 */
  timeoutMs?: number;
  /** Retries, circuit breaker and connection pool towards the platform (see AgencyResilience for defaults). */
  resilience?: AgencyResilience;
  /** Who may scrape /metrics (NODE_ENV, METRICS_TOKEN; SubgraphSettings.metrics). @default open, as in development */
  metrics?: MetricsAccess;
}

export function startRealEstateSubgraph(options: RealEstateSubgraphOptions): Promise<ServedGraphQL> {
  const channels = new AgencyChannels({ resilience: options.resilience });
  const client = new RealEstateClient({ baseUrl: options.agencyUrl, timeoutMs: options.timeoutMs, channels });
  const control = new ControlClient({ agency: REAL_ESTATE_AGENCY, baseUrl: options.agencyUrl, prefix: REAL_ESTATE_CONTROL_PREFIX, timeoutMs: options.timeoutMs, channels });
  return startSubgraph<RealEstateContext>({
    name: 'realestate',
    resolvers,
    assetHolders: { RealEstateUnit: unitHolders },
    channels,
    context: () => ({ loaders: createRealEstateLoaders(client, control), control }),
    secret: options.secret,
    port: options.port,
    host: options.host,
    metrics: options.metrics,
  });
}
