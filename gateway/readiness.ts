import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { formattedError } from '../lib/errors/codedError';
import type { Readiness, ReadinessView } from '../lib/http/serveGraphQL';
import type { SubgraphReadiness } from './transport/subgraphTransport';

export interface GatewayReadinessOptions {
  /** Whether ApolloGateway has loaded the supergraph (its schema listener ran). */
  schemaLoaded(): boolean;
  /** Whether the gateway is shutting down (no new work should be sent to it). */
  stopping(): boolean;
  /** A cheap read of the audit store; rejects when it cannot answer. */
  pingAuditStore(): Promise<void>;
  /** Each subgraph's GraphQL URL, by name, as the gateway calls it. */
  subgraphs(): Record<string, string>;
  askSubgraph(url: string, timeoutMs: number): Promise<SubgraphReadiness>;
  /** How long the audit store and each subgraph may take to answer. @default 1000 */
  timeoutMs?: number;
}

/**
 * The gateway's `GET /readyz`: ready when the supergraph is loaded and the audit store
 * answers, since without the audit every request fails closed (AUDIT_UNAVAILABLE). Each
 * subgraph's own `/readyz` (with its agencies' circuit breakers) is reported beside them, but
 * a subgraph down or an agency's breaker open keeps the gateway ready: it still answers
 * everything else, with errors naming the missing agency.
 */
export function gatewayReadiness(options: GatewayReadinessOptions): () => Promise<Readiness> {
  const timeoutMs = options.timeoutMs ?? 1000;
  return async () => {
    const [audit, subgraphs] = await Promise.all([
      auditCheck(options.pingAuditStore, timeoutMs),
      Promise.all(Object.entries(options.subgraphs()).map(async ([name, url]) => [name, await options.askSubgraph(url, timeoutMs)] as const)),
    ]);
    const loaded = options.schemaLoaded();
    const stopping = options.stopping();
    return {
      ready: loaded && audit.status === 'reachable' && !stopping,
      checks: {
        ...(stopping ? { gateway: { status: 'stopping' } } : {}),
        supergraph: { status: loaded ? 'loaded' : 'not loaded' },
        auditStore: audit,
        subgraphs: Object.fromEntries(subgraphs),
      },
    };
  };
}

async function auditCheck(ping: () => Promise<void>, timeoutMs: number): Promise<{ status: 'reachable'; ms: number } | { status: 'unreachable'; error: string }> {
  const started = performance.now();
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      ping(),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
      }),
    ]);
    return { status: 'reachable', ms: Math.round(performance.now() - started) };
  } catch (error) {
    return { status: 'unreachable', error: error instanceof Error ? error.message : String(error) };
  } finally {
    clearTimeout(timer);
  }
}

export interface ReadinessViewOptions {
  production: boolean;
  /** The bearer token that shows an operator the detail in production. @default none: nobody sees it */
  token?: string;
}

/** RFC 6750: a 401 names the scheme the client must use. */
const WWW_AUTHENTICATE = 'Bearer realm="court-asset-graph readiness"';

/**
 * Who sees what of the gateway's `/readyz`. A load balancer or orchestrator needs only ready
 * or not (200 / 503), so in production that is all anyone gets: `{status}`. The detail
 * (audit store errors, subgraph URLs and breakers) maps the inside for an attacker, so it goes
 * only to a request with `Authorization: Bearer <token>`; one with any other Authorization is
 * refused (401 UNAUTHENTICATED, reason MALFORMED or BAD_READINESS_TOKEN) and nothing is
 * checked. In development everyone sees the detail.
 */
export function readinessView(options: ReadinessViewOptions): (req: IncomingMessage) => ReadinessView {
  if (!options.production) return () => 'detail';
  // Compared as digests: equal length, so timingSafeEqual tells nothing of the token's length either.
  const expected = options.token === undefined ? undefined : digest(options.token);
  return (req) => {
    const authorization = req.headers.authorization;
    if (authorization === undefined) return 'status';
    const match = /^Bearer +(\S+) *$/i.exec(authorization);
    if (!match) return refused('MALFORMED', 'The Authorization header must read "Bearer <readiness token>".');
    if (expected === undefined || !timingSafeEqual(digest(match[1]!), expected)) {
      return refused('BAD_READINESS_TOKEN', "This is not the gateway's readiness token; without one /readyz tells only whether it is ready.");
    }
    return 'detail';
  };
}

function digest(token: string): Buffer {
  return createHash('sha256').update(token).digest();
}

function refused(reason: 'MALFORMED' | 'BAD_READINESS_TOKEN', message: string): ReadinessView {
  return { status: 401, headers: { 'www-authenticate': WWW_AUTHENTICATE }, body: { errors: [formattedError('UNAUTHENTICATED', message, { reason })] } };
}
