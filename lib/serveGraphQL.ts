import type { AddressInfo } from 'node:net';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { ApolloServer, type ApolloServerPlugin, type BaseContext } from '@apollo/server';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { expressMiddleware } from '@as-integrations/express5';
import express from 'express';

export interface ServeGraphQLOptions<TContext extends BaseContext> {
  /** Builds the Apollo Server; the HTTP drain plugin is passed in so shutdown finishes in-flight requests. */
  createServer(plugins: ApolloServerPlugin<TContext>[]): ApolloServer<TContext>;
  context(req: IncomingMessage): Promise<TContext>;
  /** @default 0 (ephemeral) */
  port?: number;
  /** @default '127.0.0.1' */
  host?: string;
  /** Maximum JSON body. @default '1mb' */
  bodyLimit?: string;
}

export interface ServedGraphQL {
  /** The GraphQL endpoint, e.g. http://127.0.0.1:4000/graphql */
  url: string;
  httpServer: Server;
  stop(): Promise<void>;
}

/**
 * Serves an Apollo Server at `/graphql` with `/healthz` beside it. Used by the gateway and
 * every subgraph alike, so they share one HTTP behaviour (body limits, drain on stop).
 */
export async function serveGraphQL<TContext extends BaseContext>(options: ServeGraphQLOptions<TContext>): Promise<ServedGraphQL> {
  const app = express();
  const httpServer = createServer(app);
  httpServer.keepAliveTimeout = 30_000;
  const server = options.createServer([ApolloServerPluginDrainHttpServer({ httpServer })]);
  await server.start();

  app.disable('x-powered-by');
  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.use(
    '/graphql',
    express.json({ limit: options.bodyLimit ?? '1mb' }),
    expressMiddleware(server, { context: async ({ req }) => options.context(req) }),
  );

  await new Promise<void>((resolve, reject) => {
    httpServer.once('error', reject);
    httpServer.listen(options.port ?? 0, options.host ?? '127.0.0.1', resolve);
  });
  const { port } = httpServer.address() as AddressInfo;
  return {
    url: `http://${options.host ?? '127.0.0.1'}:${port}/graphql`,
    httpServer,
    stop: () => server.stop(),
  };
}
