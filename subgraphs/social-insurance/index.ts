import type { ServedGraphQL } from '../../lib/serveGraphQL';
import { ControlClient } from '../shared/measures/controlClient';
import { startSubgraph } from '../shared/startSubgraph';
import { HousingFundClient, SOCIAL_INSURANCE_AGENCY, SOCIAL_INSURANCE_CONTROL_PREFIX, SocialInsuranceClient } from './client';
import { createSocialInsuranceLoaders, createWithholdingLoaders } from './loaders';
import { resolvers, type SocialInsuranceContext } from './resolvers';

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
  /** Per-call time limit for each system. @default 5000 */
  timeoutMs?: number;
}

/** Serves the social insurance and housing provident fund subgraph. */
export function startSocialInsuranceSubgraph(options: SocialInsuranceSubgraphOptions): Promise<ServedGraphQL> {
  const clients = {
    socialInsurance: new SocialInsuranceClient({ baseUrl: options.agencyUrl, timeoutMs: options.timeoutMs }),
    housingFund: new HousingFundClient({ baseUrl: options.fundCentreUrl ?? options.agencyUrl, timeoutMs: options.timeoutMs }),
  };
  const control = new ControlClient({
    agency: SOCIAL_INSURANCE_AGENCY,
    baseUrl: options.agencyUrl,
    prefix: SOCIAL_INSURANCE_CONTROL_PREFIX,
    timeoutMs: options.timeoutMs,
  });
  return startSubgraph<SocialInsuranceContext>({
    name: 'social-insurance',
    resolvers,
    context: () => ({ loaders: { ...createSocialInsuranceLoaders(clients), ...createWithholdingLoaders(control) }, control }),
    secret: options.secret,
    port: options.port,
    host: options.host,
  });
}
