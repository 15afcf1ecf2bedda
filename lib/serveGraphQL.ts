import type { AddressInfo } from 'node:net';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { ApolloServer, type ApolloServerPlugin, type BaseContext } from '@apollo/server';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { expressMiddleware } from '@as-integrations/express5';
import express, { type RequestHandler } from 'express';

/** What `admit` decides for one /graphql request. */
export type Admission =
  | {
      admitted: true;
      /** Runs the rest of the request (after its body is read) inside, e.g. an AsyncLocalStorage scope. */
      within?(next: () => void): void;
    }
  | { admitted: false; status: number; body: unknown };

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
  /** Maximum size of the request's headers in bytes. @default node's (16 KiB) */
  maxHeaderSize?: number;
  /**
   * Decides from its headers, before the body is read or Apollo Server sees it, whether a
   * /graphql request may proceed; a refused one is answered `status` with `body` as JSON.
   * @default every request admitted
   */
  admit?(req: IncomingMessage): Promise<Admission>;
  /**
   * What `GET /readyz` reports: 200 when `ready`, else 503, with `checks` (e.g. the audit store,
   * each agency's circuit breaker) as JSON. @default ready once the server has started
   */
  readiness?(): Promise<Readiness>;
}

export interface Readiness {
  ready: boolean;
  checks: Record<string, unknown>;
}

export interface ServedGraphQL {
  /** The GraphQL endpoint, e.g. http://127.0.0.1:4000/graphql */
  url: string;
  httpServer: Server;
  stop(): Promise<void>;
}

/**
 * Serves an Apollo Server at `/graphql` with `/healthz` and `/readyz` beside it. Used by the gateway and
 * every subgraph alike, so they share one HTTP behaviour (body limits, drain on stop).
 */
export async function serveGraphQL<TContext extends BaseContext>(options: ServeGraphQLOptions<TContext>): Promise<ServedGraphQL> {
  const app = express();
  const httpServer = options.maxHeaderSize === undefined ? createServer(app) : createServer({ maxHeaderSize: options.maxHeaderSize }, app);
  httpServer.keepAliveTimeout = 30_000;
  const server = options.createServer([ApolloServerPluginDrainHttpServer({ httpServer })]);
  await server.start();

  app.disable('x-powered-by');
  // Alive: the process answers. Ready: it can do its work (readiness checks pass).
  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.get('/readyz', async (_req, res) => {
    try {
      const { ready, checks } = options.readiness ? await options.readiness() : { ready: true, checks: {} };
      res.status(ready ? 200 : 503).json({ status: ready ? 'ready' : 'not ready', checks });
    } catch (error) {
      res.status(503).json({ status: 'not ready', checks: { error: error instanceof Error ? error.message : String(error) } });
    }
  });
  app.use(
    '/graphql',
    ...admission(options.admit, express.json({ limit: options.bodyLimit ?? '1mb' })),
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

/**
 * The /graphql handlers before Apollo Server: `admit` (before the body is read), the body
 * parser, then the admitted request's `within` scope around everything that follows. The
 * scope starts after body parsing because stream events would not carry it.
 */
function admission(admit: ServeGraphQLOptions<BaseContext>['admit'], parseBody: RequestHandler): RequestHandler[] {
  if (admit === undefined) return [parseBody];
  const scopes = new WeakMap<IncomingMessage, (next: () => void) => void>();
  return [
    async (req, res, next) => {
      const decided = await admit(req);
      if (!decided.admitted) {
        res.status(decided.status).json(decided.body);
        return;
      }
      if (decided.within) scopes.set(req, decided.within);
      next();
    },
    parseBody,
    (req, _res, next) => {
      const within = scopes.get(req);
      if (within) within(() => next());
      else next();
    },
  ];
}
