import { Agent } from 'undici';

/** The part of a fetch Response AgencyHttp reads. */
export interface AgencyResponse {
  status: number;
  ok: boolean;
  text(): Promise<string>;
}

export interface AgencyRequestInit {
  method: string;
  headers: Record<string, string>;
  body?: string;
  signal: AbortSignal;
}

export type AgencyFetch = (url: URL, init: AgencyRequestInit) => Promise<AgencyResponse>;

/** Node's own fetch, looked up per call (so nock's patch of it applies in unit tests). */
export const unpooledFetch: AgencyFetch = (url, init) => fetch(url, init);

/** How busy one pool is right now (undici's pool stats, summed over the agency's origins). */
export interface AgencyPoolStats {
  /** Sockets open. */
  connected: number;
  /** Requests on a socket now. */
  running: number;
  /** Requests waiting for a socket. */
  queued: number;
}

export interface AgencyPoolOptions {
  /** Sockets per origin; further calls wait in the pool's queue. */
  maxConnections: number;
  /** Idle time after which a kept socket is closed. */
  keepAliveTimeoutMs: number;
}

/**
 * Keep-alive connections to one agency, shared by every request of a subgraph: a call reuses
 * an idle socket instead of paying a TCP handshake, and at most `maxConnections` sockets
 * are open at once, so a 1000-person sweep (hundreds of batches at once) queues here rather
 * than opening hundreds of sockets to a legacy system.
 *
 * Calls go through undici's request API on the Agent: for small JSON calls it is several
 * times faster than fetch (bench/agencyPool.ts), and Node's global fetch bundles another
 * undici major, whose fetch does not support a dispatcher of this one. No redirects are
 * followed and no compression is asked for: agencies' APIs use neither.
 */
export class AgencyPool {
  private readonly agent: Agent;

  constructor(options: AgencyPoolOptions) {
    this.agent = new Agent({
      connections: options.maxConnections,
      keepAliveTimeout: options.keepAliveTimeoutMs,
      // An agency's Keep-Alive hint may shorten the idle time, never lengthen it past ours.
      keepAliveMaxTimeout: options.keepAliveTimeoutMs,
    });
  }

  readonly fetch: AgencyFetch = async (url, init) => {
    const response = await this.agent.request({
      origin: url.origin,
      path: `${url.pathname}${url.search}`,
      method: init.method as 'GET' | 'POST',
      headers: init.headers,
      body: init.body,
      signal: init.signal,
    });
    return {
      status: response.statusCode,
      ok: response.statusCode >= 200 && response.statusCode < 300,
      text: () => response.body.text(),
    };
  };

  /** Read when the metrics are scraped: the saturation of the pool (running against maxConnections, queued). */
  stats(): AgencyPoolStats {
    const total: AgencyPoolStats = { connected: 0, running: 0, queued: 0 };
    for (const origin of Object.values(this.agent.stats)) {
      // A Pool per origin (connections > 1) counts its sockets; a single Client says whether its one is open.
      total.connected += typeof origin.connected === 'number' ? origin.connected : Number(origin.connected);
      total.running += origin.running;
      total.queued += origin.pending;
    }
    return total;
  }

  /** Closes idle sockets at once and the others when their calls end. */
  close(): Promise<void> {
    return this.agent.close();
  }
}
