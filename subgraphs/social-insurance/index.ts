import type { ServedGraphQL } from '../../lib/serveGraphQL';
import { startSubgraph } from '../shared/startSubgraph';
import { HousingFundClient, SocialInsuranceClient } from './client';
import { createSocialInsuranceLoaders } from './loaders';
import { resolvers, type SocialInsuranceContext } from './resolvers';

export interface SocialInsuranceSubgraphOptions {
  /** The secret the gateway signs its requests with; unsigned requests are refused (401). */
  secret: string;
  /** Base URL of the social insurance bureau's data exchange. */
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
  return startSubgraph<SocialInsuranceContext>({
    name: 'social-insurance',
    resolvers,
    context: () => ({ loaders: createSocialInsuranceLoaders(clients) }),
    secret: options.secret,
    port: options.port,
    host: options.host,
  });
}
