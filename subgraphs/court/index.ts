import type { ServedGraphQL } from '../../lib/serveGraphQL';
import { startSubgraph } from '../shared/startSubgraph';
import { CourtClient } from './client';
import { createCourtLoaders } from './loaders';
import { type CourtContext, resolvers } from './resolvers';

export interface CourtSubgraphOptions {
  agencyUrl: string;
  port?: number;
  host?: string;
  timeoutMs?: number;
}

export function startCourtSubgraph(options: CourtSubgraphOptions): Promise<ServedGraphQL> {
  const client = new CourtClient(options.agencyUrl, options.timeoutMs);
  return startSubgraph<CourtContext>({
    name: 'court',
    resolvers,
    context: () => ({ client, loaders: createCourtLoaders(client) }),
    port: options.port,
    host: options.host,
  });
}
