import type { AddressInfo } from 'node:net';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { type ApolloServer, type ApolloServerPlugin, type BaseContext, HeaderMap, type HTTPGraphQLResponse } from '@apollo/server';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import bodyParser from 'body-parser';
import finalhandler from 'finalhandler';
import { type HttpLimitsOptions, httpServerOptions, limitConnectionsPerClient } from './httpLimits';
import { BATCH_REFUSAL, bodyRefusal, INTERNAL_FAILURE, refusalAnswer } from '../errors/httpRefusals';
import { type ServedMetrics, serveMetrics } from '../metrics/serveMetrics';
import { keepTraceContext } from '../tracing/keepTraceContext';
import { requestSpanPlugin, type ServerTracing, traceRequest } from '../tracing/serverSpan';

/** What `admit` decides for one /graphql request. */
export type Admission =
  | {
      admitted: true;
      /** Runs the rest of the request (after its body is read) inside, e.g. an AsyncLocalStorage scope. */
      within?(next: () => void): void;
    }
  | { admitted: false; status: number; body: unknown };

/** What meets one /graphql request as it arrives (`ServeGraphQLOptions.arrive`) and sees its answer. */
export interface GraphQLArrival {
  /**
   * Called once, with the answer about to be written (Apollo Server's, or the HTTP layer's own
   * refusal) and the request as it was read; resolves to the answer to write instead (the
   * gateway's audit: a 503 when the answer cannot be recorded). Must not reject.
   */
  settle(answer: HTTPGraphQLResponse, request: ArrivedRequest): Promise<HTTPGraphQLResponse>;
}

/** A /graphql request as the HTTP layer read it. */
export interface ArrivedRequest {
  method: string;
  /** The query string, with its `?` (empty if none). */
  search: string;
  /** The parsed JSON body; undefined when none was read. */
  body: unknown;
}

export interface ServeGraphQLOptions<TContext extends BaseContext, TArrival extends GraphQLArrival = GraphQLArrival> {
  /** Builds the Apollo Server; the HTTP drain plugin is passed in so shutdown finishes in-flight requests. */
  createServer(plugins: ApolloServerPlugin<TContext>[]): ApolloServer<TContext>;
  /** The request's context; `arrival` is what `arrive` returned for it (undefined without `arrive`). */
  context(req: IncomingMessage, arrival: TArrival | undefined): Promise<TContext>;
  /**
   * Meets every /graphql request as it arrives, before anything of it is read (the gateway:
   * the request's id and audit). With it, every answer of /graphql passes `settle` before it
   * is written, the HTTP layer's own refusals included, which are then coded GraphQL JSON
   * errors (lib/errors/httpRefusals.ts: a body too large or not JSON, a batched array) instead of
   * finalhandler's pages. @default none: HTTP errors answered by finalhandler (the subgraphs,
   * whose only client is the gateway)
   */
  arrive?(req: IncomingMessage): TArrival;
  /** @default 0 (ephemeral) */
  port?: number;
  /** @default '127.0.0.1' */
  host?: string;
  /** Maximum JSON body. @default '1mb' */
  bodyLimit?: string;
  /** Maximum size of the request's headers in bytes. @default node's (16 KiB) */
  maxHeaderSize?: number;
  /** What one client may hold of the server (lib/http/httpLimits.ts). @default HTTP_LIMIT_DEFAULTS */
  httpLimits?: HttpLimitsOptions;
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
  /** How much of `GET /readyz` a request sees (the gateway's: gateway/readiness.ts). @default 'detail' for everyone */
  readinessView?(req: IncomingMessage): ReadinessView;
  /**
   * What `GET /metrics` exposes: this server's registry (lib/metrics/metricsRegistry.ts) and who
   * may scrape it (lib/metrics/metricsAccess.ts). @default none: /metrics is 404
   */
  metrics?: ServedMetrics;
  /**
   * Each /graphql request in a SERVER span continuing the caller's `traceparent`
   * (lib/tracing/serverSpan.ts). @default none: not traced
   */
  tracing?: ServerTracing<TContext>;
  /**
   * Answers requests that are pages, not GraphQL (the gateway's explorer and its files), before
   * any other route, `/graphql` included; returns true when it answered. @default none
   */
  pages?(req: IncomingMessage, res: ServerResponse, path: string): boolean;
}

/** What one `GET /readyz` sees: status and checks, only the status, or a refusal (status, headers, JSON body). */
export type ReadinessView = 'detail' | 'status' | { status: number; headers?: Record<string, string>; body: unknown };

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
 * Serves an Apollo Server at `/graphql` with `/healthz`, `/readyz` and `/metrics` beside it. Used by the gateway and
 * every subgraph alike, so they share one HTTP behaviour (body limits, drain on stop).
 *
 * Straight on Node's HTTP server through Apollo Server's integration API
 * (`executeHTTPGraphQLRequest`), with body-parser for the JSON body and finalhandler for HTTP
 * errors, as Apollo's own standalone server does: a router framework in front cost ~40 % more
 * CPU per small request (measured), and a dossier is eight of them (gateway and subgraphs).
 */
export async function serveGraphQL<TContext extends BaseContext, TArrival extends GraphQLArrival = GraphQLArrival>(
  options: ServeGraphQLOptions<TContext, TArrival>,
): Promise<ServedGraphQL> {
  // The body's stream events run outside the request's trace context: its callback is bound back to it.
  const parseJson = keepTraceContext(bodyParser.json({ limit: options.bodyLimit ?? '1mb' }));
  let server: ApolloServer<TContext> | undefined;

  const graphql = async (req: IncomingMessage & { body?: unknown }, res: ServerResponse, search: string): Promise<void> => {
    const arrival = options.arrive?.(req);
    if (arrival) return arrived(arrival, req, res, search);
    let within: ((next: () => void) => void) | undefined;
    if (options.admit) {
      const decided = await options.admit(req);
      if (!decided.admitted) return sendJson(res, decided.status, decided.body);
      within = decided.within;
    }
    parseJson(req, res, (error?: unknown) => {
      if (error) return fail(req, res, error);
      // The scope starts after the body is read: stream events would not carry it.
      const run = () =>
        void execute(server!, req, search, (r) => options.context(r, undefined))
          .then((answer) => write(res, answer))
          .catch((e: unknown) => fail(req, res, e));
      if (within) within(run);
      else run();
    });
  };

  /**
   * A request met by `arrive`: whatever is answered, Apollo Server's answer or a refusal of
   * this layer, goes through `settle` once before it is written, and nothing else is written.
   */
  const arrived = async (arrival: TArrival, req: IncomingMessage & { body?: unknown }, res: ServerResponse, search: string): Promise<void> => {
    let settled = false;
    const answer = async (response: HTTPGraphQLResponse): Promise<void> => {
      settled = true;
      const request = { method: (req.method ?? 'GET').toUpperCase(), search, body: req.body };
      await write(res, await arrival.settle(response, request));
    };
    const failed = (error: unknown): void => {
      console.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
      // Not answered yet: a 500, recorded like any answer. Answered (or being written): cut the connection.
      if (!settled) void answer(refusalAnswer(INTERNAL_FAILURE)).catch(() => res.destroy());
      else if (!res.writableEnded) res.destroy();
    };
    try {
      let within: ((next: () => void) => void) | undefined;
      if (options.admit) {
        const decided = await options.admit(req);
        if (!decided.admitted) return await answer(jsonAnswer(decided.status, decided.body));
        within = decided.within;
      }
      parseJson(req, res, (error?: unknown) => {
        if (error) {
          const refusal = bodyRefusal(error);
          if (refusal === INTERNAL_FAILURE) return failed(error);
          // Anything of the body still unread is drained, so the answer reaches the client.
          req.resume();
          return void answer(refusalAnswer(refusal)).catch(failed);
        }
        // Refused here, not by Apollo Server (which would refuse it before any plugin could record it).
        if (req.method === 'POST' && Array.isArray(req.body)) return void answer(refusalAnswer(BATCH_REFUSAL)).catch(failed);
        const run = () =>
          void execute(server!, req, search, (r) => options.context(r, arrival))
            .then(answer)
            .catch(failed);
        if (within) within(run);
        else run();
      });
    } catch (error) {
      failed(error);
    }
  };

  const route = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const target = req.url ?? '/';
    const q = target.indexOf('?');
    const path = q === -1 ? target : target.slice(0, q);
    const search = q === -1 ? '' : target.slice(q);
    // Not audited: a page view is not a GraphQL request, it carries no data and asks no agency.
    if (options.pages?.(req, res, path)) return;
    const read = req.method === 'GET' || req.method === 'HEAD';
    if (path === '/graphql' || path === '/graphql/') return traceRequest(options.tracing, req, res, () => graphql(req, res, search));
    // Alive: the process answers. Ready: it can do its work (readiness checks pass).
    if (path === '/healthz' && read) return sendJson(res, 200, { status: 'ok' });
    if (path === '/readyz' && read) {
      const view = options.readinessView?.(req) ?? 'detail';
      if (typeof view === 'object') {
        for (const [name, value] of Object.entries(view.headers ?? {})) res.setHeader(name, value);
        return sendJson(res, view.status, view.body);
      }
      const detail = (checks: Record<string, unknown>) => (view === 'detail' ? { checks } : {});
      try {
        const { ready, checks } = options.readiness ? await options.readiness() : { ready: true, checks: {} };
        return sendJson(res, ready ? 200 : 503, { status: ready ? 'ready' : 'not ready', ...detail(checks) });
      } catch (error) {
        return sendJson(res, 503, { status: 'not ready', ...detail({ error: error instanceof Error ? error.message : String(error) }) });
      }
    }
    if (path === '/metrics' && read && options.metrics) return serveMetrics(options.metrics, req, res);
    finalhandler(req, res, { env: 'production' })(); // 404
  };

  const handle = (req: IncomingMessage, res: ServerResponse) => void route(req, res).catch((error: unknown) => fail(req, res, error));
  // Slow or greedy clients are cut off: bounded header and request time, idle keep-alive, connections per address.
  const httpServer = createServer(
    { ...httpServerOptions(options.httpLimits), ...(options.maxHeaderSize === undefined ? {} : { maxHeaderSize: options.maxHeaderSize }) },
    handle,
  );
  limitConnectionsPerClient(httpServer, options.httpLimits);
  server = options.createServer([ApolloServerPluginDrainHttpServer({ httpServer }), ...(options.tracing ? [requestSpanPlugin(options.tracing)] : [])]);
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

/** One GraphQL request through Apollo Server: its answer as Apollo Server gives it. */
async function execute<TContext extends BaseContext>(
  server: ApolloServer<TContext>,
  req: IncomingMessage & { body?: unknown },
  search: string,
  context: (req: IncomingMessage) => Promise<TContext>,
): Promise<HTTPGraphQLResponse> {
  const headers = new HeaderMap();
  for (const [name, value] of Object.entries(req.headers)) {
    if (value !== undefined) headers.set(name, Array.isArray(value) ? value.join(', ') : value);
  }
  return server.executeHTTPGraphQLRequest({
    httpGraphQLRequest: { method: (req.method ?? 'GET').toUpperCase(), headers, search, body: req.body },
    context: () => context(req),
  });
}

/** Writes an answer as given: status, headers, then its body whole or chunk by chunk. */
async function write(res: ServerResponse, answer: HTTPGraphQLResponse): Promise<void> {
  for (const [name, value] of answer.headers) res.setHeader(name, value);
  res.statusCode = answer.status ?? 200;
  if (answer.body.kind === 'complete') {
    res.end(answer.body.string);
    return;
  }
  for await (const chunk of answer.body.asyncIterator) res.write(chunk);
  res.end();
}

/** A JSON body as an answer, e.g. a refused admission's. */
function jsonAnswer(status: number, body: unknown): HTTPGraphQLResponse {
  return { status, headers: new HeaderMap([['content-type', 'application/json; charset=utf-8']]), body: { kind: 'complete', string: JSON.stringify(body) } };
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
