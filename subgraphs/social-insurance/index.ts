import type { ServedGraphQL } from '../../lib/http/serveGraphQL';
import type { MetricsAccess } from '../../lib/metrics/metricsAccess';
import { AgencyChannels } from '../shared/agencyChannels';
import type { AgencyResilience } from '../shared/agencyPolicy';
import { ControlClient } from '../shared/measures/controlClient';
import { startSubgraph } from '../shared/startSubgraph';
import { HousingFundClient, SOCIAL_INSURANCE_AGENCY, SOCIAL_INSURANCE_CONTROL_PREFIX, SocialInsuranceClient } from './client';
import { createSocialInsuranceLoaders, createWithholdingLoaders } from './loaders';
import type { SocialInsuranceContext } from './context';
import { resolvers } from './resolvers';

export interface SocialInsuranceSubgraphOptions {
  /** The secret the gateway signs its requests with; unsigned requests are refused (401). */
  secret: string;
  /** Base URL of the social insurance bureau's data exchange (and its control interface). */
  agencyUrl: string;
  /** Base URL of the housing provident fund centre, a separate system. @default agencyUrl */
  fundCentreUrl?: string;
  /** @default 0 (ephemeral) */
  port?: number;
  host?: string;
  /** Time budget per call to each system, retries included. @default 5000 */
  timeoutMs?: number;
  /** Retries, circuit breaker and connection pool towards each system (see AgencyResilience for defaults). */
  resilience?: AgencyResilience;
  /** Who may scrape /metrics (NODE_ENV, METRICS_TOKEN; SubgraphSettings.metrics). @default open, as in development */
  metrics?: MetricsAccess;
}

/** Serves the social insurance and housing provident fund subgraph. */
export function startSocialInsuranceSubgraph(options: SocialInsuranceSubgraphOptions): Promise<ServedGraphQL> {
  // Bureau and fund centre are separate systems: a breaker and a pool each.
  const channels = new AgencyChannels({ resilience: options.resilience });
  const clients = {
    socialInsurance: new SocialInsuranceClient({ baseUrl: options.agencyUrl, timeoutMs: options.timeoutMs, channels }),
    housingFund: new HousingFundClient({ baseUrl: options.fundCentreUrl ?? options.agencyUrl, timeoutMs: options.timeoutMs, channels }),
  };
  const control = new ControlClient({
    agency: SOCIAL_INSURANCE_AGENCY,
    baseUrl: options.agencyUrl,
    prefix: SOCIAL_INSURANCE_CONTROL_PREFIX,
    timeoutMs: options.timeoutMs,
    channels,
  });
  return startSubgraph<SocialInsuranceContext>({
    name: 'social-insurance',
    resolvers,
    channels,
    context: () => ({ loaders: { ...createSocialInsuranceLoaders(clients), ...createWithholdingLoaders(control) }, control }),
    secret: options.secret,
    port: options.port,
    host: options.host,
    metrics: options.metrics,
  });
}
