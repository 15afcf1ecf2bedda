import type { ServedGraphQL } from '../../lib/http/serveGraphQL';
import type { MetricsAccess } from '../../lib/metrics/metricsAccess';
import { AgencyChannels } from '../shared/agencyChannels';
import type { AgencyResilience } from '../shared/agencyPolicy';
import { startSubgraph } from '../shared/startSubgraph';
import { CourtClient } from './client';
import { createCourtLoaders } from './loaders';
import { RequestCaseMemo } from './requestCaseMemo';
import type { CourtContext } from './context';
import { resolvers } from './resolvers';

export interface CourtSubgraphOptions {
  /** The secret the gateway signs its requests with; unsigned requests are refused (401). */
  secret: string;
  agencyUrl: string;
  port?: number;
  host?: string;
  /** Time budget per call to the court case system, retries included. @default 5000 */
  timeoutMs?: number;
  /** Retries, circuit breaker and connection pool towards the court case system (see AgencyResilience for defaults). */
  resilience?: AgencyResilience;
  /** Who may scrape /metrics (NODE_ENV, METRICS_TOKEN; SubgraphSettings.metrics). @default open, as in development */
  metrics?: MetricsAccess;
}

export function startCourtSubgraph(options: CourtSubgraphOptions): Promise<ServedGraphQL> {
  const channels = new AgencyChannels({ resilience: options.resilience });
  const client = new CourtClient({ baseUrl: options.agencyUrl, timeoutMs: options.timeoutMs, channels });
  const memo = new RequestCaseMemo();
  return startSubgraph<CourtContext>({
    name: 'court',
    resolvers,
    channels,
    // The signed request id and case key the request's memo of cases.
    context: (signed) => {
      const request = signed.requestId ? { memo, requestId: signed.requestId, ...(signed.caseNumber ? { caseNumber: signed.caseNumber } : {}) } : undefined;
      return { client, loaders: createCourtLoaders(client, request) };
    },
    secret: options.secret,
    port: options.port,
    host: options.host,
    metrics: options.metrics,
  });
}
