import { readFileSync } from 'node:fs';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { ApolloGateway, RemoteGraphQLDataSource } from '@apollo/gateway';
import { serveGraphQL, type ServedGraphQL } from '../lib/serveGraphQL';
import type { GatewayConfig } from './config';
import { formatInputError } from './plugins/inputErrors';
import { attachSharedScalars } from './sharedScalars';

export interface GatewayContext {
  requestId?: string;
}

/**
 * The court-facing endpoint: Apollo Gateway on a static supergraph inside Apollo Server,
 * with the shared identifier checks. Cross-cutting concerns are Apollo Server plugins.
 */
export async function startGateway(config: GatewayConfig): Promise<ServedGraphQL> {
  const supergraphSdl = readFileSync(config.supergraphPath, 'utf8');
  const gateway = new ApolloGateway({
    supergraphSdl,
    buildService: ({ name, url }) =>
      new RemoteGraphQLDataSource({ url: config.subgraphUrls[name as keyof GatewayConfig['subgraphUrls']] ?? url }),
  });
  gateway.onSchemaLoadOrUpdate(({ apiSchema }) => attachSharedScalars(apiSchema));

  return serveGraphQL<GatewayContext>({
    port: config.port,
    host: config.host,
    context: async () => ({}),
    createServer: (plugins) =>
      new ApolloServer<GatewayContext>({
        gateway,
        introspection: !config.production,
        includeStacktraceInErrorResponses: false,
        // bin/start.ts owns the process signals and stops every server in order.
        stopOnTerminationSignals: false,
        plugins: config.production ? [...plugins, ApolloServerPluginLandingPageDisabled()] : plugins,
        formatError: formatInputError,
      }),
  });
}
