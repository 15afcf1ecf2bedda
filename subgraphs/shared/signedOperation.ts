import type { ApolloServerPlugin } from '@apollo/server';
import { requestBodyHash } from '../../lib/gatewaySignature';
import type { SignedContext } from './signedRequest';
import { accessDenied } from '../../lib/errors/accessDenied';

/**
 * A subgraph runs a mutation only under the gateway's signature of that very request: one made
 * for a mutation (claim `operation`) and for this query and these variables (claim `bodyHash`).
 * A read's signature is shared by the request's subgraph calls and lives 30 s; without this,
 * one taken off a court's read, or off another mutation, could be replayed with a freeze in
 * its body, in the officer's name and with no audit record at the gateway. Reads run under
 * any valid signature.
 */
export function signedOperationPlugin<TContext extends SignedContext>(): ApolloServerPlugin<TContext> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ operation, request, contextValue }) {
          if (operation?.operation !== 'mutation') return;
          const { signed } = contextValue;
          if (signed?.operation !== 'mutation') {
            const kind = signed?.operation === undefined ? 'an operation of no stated kind' : `a ${signed.operation}`;
            throw accessDenied('NOT_SIGNED_FOR_MUTATION', `This subgraph runs a mutation only when the gateway signed the request for one; this signature is for ${kind}.`);
          }
          if (signed.bodyHash !== requestBodyHash(request.query ?? '', request.variables)) {
            throw accessDenied('SIGNED_FOR_ANOTHER_REQUEST', 'This subgraph runs a mutation only under the signature of that very request; this one was made for another query or other variables.');
          }
        },
      };
    },
  };
}
