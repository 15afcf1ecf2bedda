import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import { GraphQLError } from 'graphql';
import { currentCaseContext } from './caseContext';

/**
 * A subgraph runs a mutation only under a gateway signature made for a mutation (claim
 * `operation`). A signature is shared by a request's subgraph calls and lives 30 s: without
 * this, one taken off a court's read could be replayed with a freeze in its body, in the
 * officer's name and with no audit record at the gateway. Reads run under any signature.
 */
export function signedOperationPlugin<TContext extends BaseContext>(): ApolloServerPlugin<TContext> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ operation }) {
          if (operation?.operation !== 'mutation') return;
          const signed = currentCaseContext()?.operation;
          if (signed === 'mutation') return;
          throw new GraphQLError(
            `This subgraph runs a mutation only when the gateway signed the request for one; this signature is for ${signed === undefined ? 'an operation of no stated kind' : `a ${signed}`}.`,
            { extensions: { code: 'FORBIDDEN', reason: 'NOT_SIGNED_FOR_MUTATION', http: { status: 403 } } },
          );
        },
      };
    },
  };
}
