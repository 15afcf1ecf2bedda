import { GraphQLError } from 'graphql';

/**
 * Why a token was refused: a stable word for clients, the audit and tests; the message is
 * the sentence for the person holding the token.
 */
export const UNAUTHENTICATED_REASONS = {
  NO_TOKEN: 'The request carries no token.',
  MALFORMED: 'The Authorization header or the token in it is not well-formed.',
  BAD_SIGNATURE: 'The signature does not verify against a key the issuer publishes, or uses an algorithm the gateway does not accept.',
  EXPIRED: 'The token has expired.',
  WRONG_ISSUER: 'The token was issued by an issuer this gateway does not trust.',
  WRONG_AUDIENCE: 'The token is meant for another audience.',
  BAD_CLAIMS: 'The token lacks a required claim or its claims are not valid.',
  DEVELOPMENT_KEY: 'The token is signed with the development key, which production refuses.',
} as const;

export type UnauthenticatedReason = keyof typeof UNAUTHENTICATED_REASONS;

/** RFC 6750: a 401 names the scheme the client must use. */
const WWW_AUTHENTICATE = 'Bearer realm="court-asset-graph"';

/**
 * The error a refused token becomes: HTTP 401, `extensions.code` UNAUTHENTICATED and the
 * reason. Thrown from Apollo Server's context function, `extensions.http` sets the status
 * and header and is not sent to the client.
 */
export function unauthenticated(reason: UnauthenticatedReason, message: string): GraphQLError {
  return new GraphQLError(message, {
    extensions: {
      code: 'UNAUTHENTICATED',
      reason,
      http: { status: 401, headers: new Map([['www-authenticate', WWW_AUTHENTICATE]]) },
    },
  });
}

/**
 * The issuer's keys could not be loaded (JWKS URL down): not the caller's fault, so 503,
 * and nothing is answered (fail closed). `cause` stays on the error for the server's log.
 */
export function authenticationUnavailable(cause: unknown): GraphQLError {
  return new GraphQLError('The gateway cannot check tokens right now: the token issuer\'s keys could not be loaded. Try again shortly.', {
    // Kept for the server's logs; formatError never sends it to the client.
    originalError: cause instanceof Error ? cause : undefined,
    extensions: { code: 'AUTHENTICATION_UNAVAILABLE', http: { status: 503 } },
  });
}
