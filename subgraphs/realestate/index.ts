import type { ServedGraphQL } from '../../lib/serveGraphQL';
import { startSubgraph } from '../shared/startSubgraph';
import { ControlClient } from '../shared/measures/controlClient';
import { REAL_ESTATE_AGENCY, REAL_ESTATE_CONTROL_PREFIX, RealEstateClient } from './client';
import { createRealEstateLoaders } from './loaders';
import { type RealEstateContext, resolvers } from './resolvers';


export interface RealEstateSubgraphOptions {
  /** The secret the gateway signs its requests with; unsigned requests are refused (401). */
  secret: string;
  /** Base URL of the real-estate registration exchange platform. */
  agencyUrl: string;
  /** @default 0 (ephemeral) */
  port?: number;
  host?: string;
  /** Per-call time limit towards the platform. @default 5000 */
  timeoutMs?: number;
}

export function startRealEstateSubgraph(options: RealEstateSubgraphOptions): Promise<ServedGraphQL> {
  const client = new RealEstateClient({ baseUrl: options.agencyUrl, timeoutMs: options.timeoutMs });
  const control = new ControlClient({ agency: REAL_ESTATE_AGENCY, baseUrl: options.agencyUrl, prefix: REAL_ESTATE_CONTROL_PREFIX, timeoutMs: options.timeoutMs });
  return startSubgraph<RealEstateContext>({
    name: 'realestate',
    resolvers,
    context: () => ({ loaders: createRealEstateLoaders(client, control), control }),
    secret: options.secret,
    port: options.port,
    host: options.host,
  });
}
