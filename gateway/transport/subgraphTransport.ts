import { STATUS_CODES } from 'node:http';
import type { RemoteGraphQLDataSource } from '@apollo/gateway';
import { Agent } from 'undici';

/** gateway-js's transport type (`RemoteGraphQLDataSource#fetcher`), named without importing its package. */
export type Fetcher = RemoteGraphQLDataSource['fetcher'];
type FetcherResponse = Awaited<ReturnType<Fetcher>>;
type FetcherRequestInit = NonNullable<Parameters<Fetcher>[1]>;

export interface SubgraphTransportOptions {
  /**
   * Open connections per subgraph origin at most; further requests queue in the pool. 64 is
   * more than one gateway replica keeps busy against one subgraph process (a request fans out
   * to ~7 subgraph calls of a few ms each), and bounds what a burst can open.
   * @default 64
   */
  connectionsPerOrigin?: number;
  /**
   * How long an idle connection is kept for reuse (capped by the subgraph's own keep-alive
   * hint, 30 s for ours). @default 10000
   */
  keepAliveTimeoutMs?: number;
  /**
   * How long a subgraph may take to start answering, and between two chunks of its answer.
   * Subgraphs bound each agency call themselves; this only catches a subgraph that hangs.
   * @default 30000
   */
  requestTimeoutMs?: number;
}

export const SUBGRAPH_TRANSPORT_DEFAULTS: Required<SubgraphTransportOptions> = {
  connectionsPerOrigin: 64,
  keepAliveTimeoutMs: 10_000,
  requestTimeoutMs: 30_000,
};

/** What a subgraph's `GET /readyz` said, or why it said nothing. */
export type SubgraphReadiness =
  | { status: string; httpStatus: number; checks?: unknown }
  | { status: 'unreachable'; error: string };

export interface SubgraphTransport {
  /** For `RemoteGraphQLDataSource#fetcher`: every subgraph call goes through the pool. */
  fetcher: Fetcher;
  /** Asks a subgraph's `/readyz` (beside its GraphQL path), giving up after `timeoutMs`. */
  readiness(subgraphUrl: string, timeoutMs: number): Promise<SubgraphReadiness>;
  /** Connections opened so far, per origin (for measurements). */
  connectionsOpened(): Record<string, number>;
  /** Closes the pool once in-flight calls are done. */
  close(): Promise<void>;
}

/**
 * Keep-alive connection pools from the gateway to its subgraphs: one undici Agent, one
 * bounded pool per subgraph origin. gateway-js's default fetcher (make-fetch-happen) keeps
 * connections alive too, but spends most of a small subgraph call in its fetch machinery;
 * undici's `request` is several times cheaper per call (test/integration/gateway/transport.test.ts
 * measures both).
 *
 * The fetcher sends exactly what gateway-js hands it and reads the whole answer. It asks for
 * no compression and follows no redirects: a subgraph is called at the URL the supergraph
 * (or the configuration) gives.
 */
export function createSubgraphTransport(options: SubgraphTransportOptions = {}): SubgraphTransport {
  const o = { ...SUBGRAPH_TRANSPORT_DEFAULTS, ...options };
  const opened: Record<string, number> = {};
  const agent = new Agent({
    connections: o.connectionsPerOrigin,
    keepAliveTimeout: o.keepAliveTimeoutMs,
    headersTimeout: o.requestTimeoutMs,
    bodyTimeout: o.requestTimeoutMs,
  });
  agent.on('connect', (origin) => {
    const key = String(origin);
    opened[key] = (opened[key] ?? 0) + 1;
  });

  const fetcher: Fetcher = async (url: string, init?: FetcherRequestInit) => {
    const target = new URL(url);
    try {
      const response = await agent.request({
        origin: target.origin,
        path: `${target.pathname}${target.search}`,
        method: (init?.method ?? 'GET') as 'GET',
        headers: init?.headers ?? {},
        body: init?.body ?? null,
        signal: init?.signal ?? null,
      });
      const headers = new Headers();
      for (const [name, value] of Object.entries(response.headers)) {
        for (const v of Array.isArray(value) ? value : value === undefined ? [] : [value]) headers.append(name, v);
      }
      return new ReadResponse(url, response.statusCode, headers, await response.body.text());
    } catch (error) {
      throw new FetchError(url, error);
    }
  };

  return {
    fetcher,
    async readiness(subgraphUrl, timeoutMs) {
      const url = new URL('/readyz', subgraphUrl);
      try {
        const response = await agent.request({ origin: url.origin, path: url.pathname, method: 'GET', signal: AbortSignal.timeout(timeoutMs) });
        const text = await response.body.text();
        let body: { status?: unknown; checks?: unknown } = {};
        try {
          body = JSON.parse(text) as typeof body;
        } catch {
          // A subgraph without our /readyz (another supergraph's) answers what it answers.
        }
        return {
          status: typeof body.status === 'string' ? body.status : response.statusCode === 200 ? 'ready' : 'not ready',
          httpStatus: response.statusCode,
          ...(body.checks === undefined ? {} : { checks: body.checks }),
        };
      } catch (error) {
        return { status: 'unreachable', error: error instanceof Error ? `${error.name}: ${error.message}` : String(error) };
      }
    },
    connectionsOpened: () => ({ ...opened }),
    close: () => agent.close(),
  };
}

/**
 * A failed subgraph call, worded as gateway-js's own fetcher (node-fetch) words it, so a
 * subgraph that is down reads the same in an answer as under bare Apollo Gateway.
 */
class FetchError extends Error {
  readonly type = 'system';
  readonly code: string | undefined;

  constructor(url: string, cause: unknown) {
    // Not `instanceof Error`: socket errors may come from another realm (e.g. under jest).
    const failure = typeof cause === 'object' && cause !== null ? (cause as { message?: unknown; code?: unknown }) : {};
    super(`request to ${url} failed, reason: ${failure.message === undefined ? String(cause) : String(failure.message)}`, { cause });
    this.name = 'FetchError';
    this.code = failure.code === undefined ? undefined : String(failure.code);
  }
}

/** A subgraph's answer, read in full, in the shape gateway-js reads (`ok`, `headers`, `json()`...). */
class ReadResponse implements FetcherResponse {
  readonly bodyUsed = false;
  readonly redirected = false;

  constructor(
    readonly url: string,
    readonly status: number,
    readonly headers: Headers,
    private readonly body: string,
  ) {}

  get ok(): boolean {
    return this.status >= 200 && this.status < 300;
  }

  get statusText(): string {
    return STATUS_CODES[this.status] ?? '';
  }

  async text(): Promise<string> {
    return this.body;
  }

  async json(): Promise<unknown> {
    return JSON.parse(this.body);
  }

  async arrayBuffer(): Promise<ArrayBuffer> {
    return new TextEncoder().encode(this.body).buffer as ArrayBuffer;
  }

  clone(): ReadResponse {
    return new ReadResponse(this.url, this.status, this.headers, this.body);
  }
}
