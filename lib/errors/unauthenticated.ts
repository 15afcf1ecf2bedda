import type { GraphQLError } from 'graphql';
import type { UnauthenticatedReason } from './catalog';
import { requestError } from './codedError';

/** RFC 6750: a 401 names the scheme the client must use. */
export const WWW_AUTHENTICATE = 'Bearer realm="court-asset-graph"';

/**
 * The error a refused token becomes: HTTP 401, `extensions.code` UNAUTHENTICATED and the
 * reason. Thrown from Apollo Server's context function, `extensions.http` sets the status
 * and header and is not sent to the client.
 */
export function unauthenticated(reason: UnauthenticatedReason, message: string): GraphQLError {
  return requestError('UNAUTHENTICATED', message, { reason }, { headers: new Map([['www-authenticate', WWW_AUTHENTICATE]]) });
}
