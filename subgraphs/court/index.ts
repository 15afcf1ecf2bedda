import type { ServedGraphQL } from '../../lib/serveGraphQL';
import { startSubgraph } from '../shared/startSubgraph';
import { CourtClient } from './client';
import { createCourtLoaders } from './loaders';
import { type CourtContext, resolvers } from './resolvers';

export interface CourtSubgraphOptions {
  /** The secret the gateway signs its requests with; unsigned requests are refused (401). */
  secret: string;
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
    secret: options.secret,
    port: options.port,
    host: options.host,
  });
}
