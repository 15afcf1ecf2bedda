import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import { GraphQLError } from 'graphql';
import { requestError } from '../../lib/errors/codedError';

/**
 * Refuses, before anything runs, a request that does not choose one operation the gateway
 * can run, with a coded 400 (under gateway-js they were 500s):
 *
 * - `OPERATION_NOT_FOUND`: `operationName` is empty or names no operation of the document, or
 *   the document holds several operations and `operationName` chooses none;
 * - `SUBSCRIPTION_NOT_SUPPORTED`: the gateway answers queries and mutations only.
 *
 * Put it before the authorization plugin: the first refusal among the plugins is the answer.
 */
export function operationChoicePlugin(): ApolloServerPlugin<BaseContext> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ operation, request }) {
          if (operation === undefined || operation === null) {
            const message =
              request.operationName === undefined || request.operationName === null
                ? 'The document holds several operations: name the one to run in `operationName`.'
                : `The document has no operation named ${JSON.stringify(request.operationName)}.`;
            throw refused(message, 'OPERATION_NOT_FOUND');
          }
          if (operation.operation === 'subscription') {
            throw refused('Subscriptions are not supported: send a query or a mutation.', 'SUBSCRIPTION_NOT_SUPPORTED');
          }
        },
      };
    },
  };
}

function refused(message: string, code: 'OPERATION_NOT_FOUND' | 'SUBSCRIPTION_NOT_SUPPORTED'): GraphQLError {
  return requestError(code, message);
}
