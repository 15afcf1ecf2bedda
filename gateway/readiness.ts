import type { Readiness } from '../lib/serveGraphQL';
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
