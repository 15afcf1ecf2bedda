import type { ServedGraphQL } from '../../lib/serveGraphQL';
import { startSubgraph } from '../shared/startSubgraph';
import { RealEstateClient } from './client';
import { createRealEstateLoaders } from './loaders';
import { type RealEstateContext, resolvers } from './resolvers';

export interface RealEstateSubgraphOptions {
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
  return startSubgraph<RealEstateContext>({
    name: 'realestate',
    resolvers,
    context: () => ({ loaders: createRealEstateLoaders(client) }),
    port: options.port,
    host: options.host,
  });
}
