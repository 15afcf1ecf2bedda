import type { GraphQLError } from 'graphql';
import { requestError } from '../../lib/errors/codedError';

/**
 * The issuer's keys could not be loaded (JWKS URL down): not the caller's fault, so 503,
 * and nothing is answered (fail closed). `cause` stays on the error for the server's log.
 */
export function authenticationUnavailable(cause: unknown): GraphQLError {
  return requestError(
    'AUTHENTICATION_UNAVAILABLE',
    'The gateway cannot check tokens right now: the token issuer\'s keys could not be loaded. Try again shortly.',
    {},
    // Kept for the server's logs; formatError never sends it to the client.
    { originalError: cause instanceof Error ? cause : undefined },
  );
}
