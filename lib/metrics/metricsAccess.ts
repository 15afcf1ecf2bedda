import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { formattedError } from '../errors/codedError';
import { MIN_SUBGRAPH_SECRET_LENGTH } from '../gatewaySignature';

/** A metrics token is a secret: as long as the subgraph secret (and the readiness token). */
export const MIN_METRICS_TOKEN_LENGTH = MIN_SUBGRAPH_SECRET_LENGTH;

/** Who may scrape a server's `/metrics`. */
export interface MetricsAccess {
  /** Production: only with `Authorization: Bearer <token>`; without a token, nobody (404). Else open. */
  production: boolean;
  /** METRICS_TOKEN. @default none */
  token?: string;
}

/** What one `GET /metrics` gets: the exposition, or a refusal (status, headers, JSON body). */
export type MetricsView = 'exposition' | { status: number; headers?: Record<string, string>; body?: unknown };

/** RFC 6750: a 401 names the scheme the client must use. */
const WWW_AUTHENTICATE = 'Bearer realm="metrics"';

/**
 * Decides a scrape from its headers. In development anyone scrapes (the series carry no
 * personal identifier, and the stack runs on loopback). In production the series still say
 * how busy each agency and court operation is, which is the operator's business: only a
 * request with the metrics token gets them, and with no token configured the route does not
 * exist (404), so nothing tells a prober it is there.
 */
export function metricsView(access: MetricsAccess): (req: IncomingMessage) => MetricsView {
  if (!access.production) return () => 'exposition';
  // Compared as digests: equal length, so timingSafeEqual tells nothing of the token's length either.
  const expected = access.token === undefined ? undefined : digest(access.token);
  return (req) => {
    if (expected === undefined) return { status: 404 };
    const match = /^Bearer ([^\s]+)$/i.exec(req.headers.authorization ?? '');
    if (match && timingSafeEqual(digest(match[1]!), expected)) return 'exposition';
    return {
      status: 401,
      headers: { 'www-authenticate': WWW_AUTHENTICATE },
      body: { errors: [formattedError('UNAUTHENTICATED', 'The metrics are for the operator: send "Authorization: Bearer <metrics token>".')] },
    };
  };
}

function digest(token: string): Buffer {
  return createHash('sha256').update(token).digest();
}
