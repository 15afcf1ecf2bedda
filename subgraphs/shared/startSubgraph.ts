import { ApolloServer, type BaseContext } from '@apollo/server';
import { ApolloServerPluginInlineTraceDisabled } from '@apollo/server/plugin/disabled';
import { buildSubgraphSchema } from '@apollo/subgraph';
import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper';
import { Kind } from 'graphql';
import type { IncomingMessage } from 'node:http';
import { loadSubgraphSdl, type SubgraphName } from '../../schemas/loadSubgraphSdl';
import { scalarResolvers } from '../../schemas/scalars';
import { serveGraphQL, type ServedGraphQL } from '../../lib/serveGraphQL';

export interface StartSubgraphOptions<TContext extends BaseContext> {
  name: SubgraphName;
  resolvers: GraphQLResolverMap<TContext>;
  /** Builds the per-request context: fresh DataLoaders for every request. */
  context(req: IncomingMessage): TContext | Promise<TContext>;
  /** @default 0 (ephemeral) */
  port?: number;
  host?: string;
}

/** Builds a subgraph's schema from its SDL file, with the shared scalars, and serves it. */
export function buildSchemaFor<TContext>(name: SubgraphName, resolvers: GraphQLResolverMap<TContext>) {
  const typeDefs = loadSubgraphSdl(name);
  const declared = new Set(
    typeDefs.definitions.flatMap((d) => (d.kind === Kind.SCALAR_TYPE_DEFINITION ? [d.name.value] : [])),
  );
  const scalars = Object.fromEntries(Object.entries(scalarResolvers).filter(([scalar]) => declared.has(scalar)));
  return buildSubgraphSchema({ typeDefs, resolvers: { ...scalars, ...resolvers } as GraphQLResolverMap<unknown> });
}

export async function startSubgraph<TContext extends BaseContext>(options: StartSubgraphOptions<TContext>): Promise<ServedGraphQL> {
  const schema = buildSchemaFor(options.name, options.resolvers);
  return serveGraphQL<TContext>({
    createServer: (plugins) =>
      new ApolloServer<TContext>({
        schema,
        // No Apollo Studio here: federated tracing would only add bytes to every answer.
        plugins: [...plugins, ApolloServerPluginInlineTraceDisabled()],
        // Agencies' internals never reach a court; the gateway shows coded errors.
        includeStacktraceInErrorResponses: false,
        // bin/start.ts owns the process signals and stops every server in order.
        stopOnTerminationSignals: false,
      }),
    context: async (req) => options.context(req),
    port: options.port,
    host: options.host,
  });
}
