import type { AddressInfo } from 'node:net';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { type ApolloServer, type ApolloServerPlugin, type BaseContext, HeaderMap } from '@apollo/server';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import bodyParser from 'body-parser';
import finalhandler from 'finalhandler';

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
 *
 * Straight on Node's HTTP server through Apollo Server's integration API
 * (`executeHTTPGraphQLRequest`), with body-parser for the JSON body and finalhandler for HTTP
 * errors, as Apollo's own standalone server does: a router framework in front cost ~40 % more
 * CPU per small request (measured), and a dossier is eight of them (gateway and subgraphs).
 */
export async function serveGraphQL<TContext extends BaseContext>(options: ServeGraphQLOptions<TContext>): Promise<ServedGraphQL> {
  const parseJson = bodyParser.json({ limit: options.bodyLimit ?? '1mb' });
  let server: ApolloServer<TContext> | undefined;

  const graphql = async (req: IncomingMessage, res: ServerResponse, search: string): Promise<void> => {
    let within: ((next: () => void) => void) | undefined;
    if (options.admit) {
      const decided = await options.admit(req);
      if (!decided.admitted) return sendJson(res, decided.status, decided.body);
      within = decided.within;
    }
    parseJson(req, res, (error?: unknown) => {
      if (error) return fail(req, res, error);
      // The scope starts after the body is read: stream events would not carry it.
      const run = () => void execute(server!, req, res, search, options.context).catch((e: unknown) => fail(req, res, e));
      if (within) within(run);
      else run();
    });
  };

  const route = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const target = req.url ?? '/';
    const q = target.indexOf('?');
    const path = q === -1 ? target : target.slice(0, q);
    const search = q === -1 ? '' : target.slice(q);
    const read = req.method === 'GET' || req.method === 'HEAD';
    if (path === '/graphql' || path === '/graphql/') return graphql(req, res, search);
    // Alive: the process answers. Ready: it can do its work (readiness checks pass).
    if (path === '/healthz' && read) return sendJson(res, 200, { status: 'ok' });
    if (path === '/readyz' && read) {
      try {
        const { ready, checks } = options.readiness ? await options.readiness() : { ready: true, checks: {} };
        return sendJson(res, ready ? 200 : 503, { status: ready ? 'ready' : 'not ready', checks });
      } catch (error) {
        return sendJson(res, 503, { status: 'not ready', checks: { error: error instanceof Error ? error.message : String(error) } });
      }
    }
    finalhandler(req, res, { env: 'production' })(); // 404
  };

  const handle = (req: IncomingMessage, res: ServerResponse) => void route(req, res).catch((error: unknown) => fail(req, res, error));
  const httpServer = options.maxHeaderSize === undefined ? createServer(handle) : createServer({ maxHeaderSize: options.maxHeaderSize }, handle);
  httpServer.keepAliveTimeout = 30_000;
  server = options.createServer([ApolloServerPluginDrainHttpServer({ httpServer })]);
  await server.start();

  await new Promise<void>((resolve, reject) => {
    httpServer.once('error', reject);
    httpServer.listen(options.port ?? 0, options.host ?? '127.0.0.1', resolve);
  });
  const { port } = httpServer.address() as AddressInfo;
  const started = server;
  return {
    url: `http://${options.host ?? '127.0.0.1'}:${port}/graphql`,
    httpServer,
    stop: () => started.stop(),
  };
}

/** One GraphQL request through Apollo Server, its answer written as Apollo Server gives it. */
async function execute<TContext extends BaseContext>(
  server: ApolloServer<TContext>,
  req: IncomingMessage & { body?: unknown },
  res: ServerResponse,
  search: string,
  context: (req: IncomingMessage) => Promise<TContext>,
): Promise<void> {
  const headers = new HeaderMap();
  for (const [name, value] of Object.entries(req.headers)) {
    if (value !== undefined) headers.set(name, Array.isArray(value) ? value.join(', ') : value);
  }
  const answer = await server.executeHTTPGraphQLRequest({
    httpGraphQLRequest: { method: (req.method ?? 'GET').toUpperCase(), headers, search, body: req.body },
    context: () => context(req),
  });
  for (const [name, value] of answer.headers) res.setHeader(name, value);
  res.statusCode = answer.status ?? 200;
  if (answer.body.kind === 'complete') {
    res.end(answer.body.string);
    return;
  }
  for await (const chunk of answer.body.asyncIterator) res.write(chunk);
  res.end();
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

/** An HTTP-level failure (a body too large or not JSON, or a bug): its status, never a stack trace. */
function fail(req: IncomingMessage, res: ServerResponse, error: unknown): void {
  // 'production': the status's own message in the body, never the error's stack.
  finalhandler(req, res, {
    env: 'production',
    onerror: (e: { status?: number; statusCode?: number; stack?: string }) => {
      // A client's malformed or oversized body is its business; anything else is ours to see.
      if ((e.status ?? e.statusCode ?? 500) >= 500) console.error(e.stack ?? String(e));
    },
  })(error);
}
