import type { ApolloServerPlugin } from '@apollo/server';
import { formattedError } from '../../lib/errors/codedError';
import { AUDIT_UNAVAILABLE, AUDIT_UNAVAILABLE_MESSAGE, errorCodesOf } from '../audit/requestAudit';
import type { GatewayContext } from '../context';

export { AUDIT_UNAVAILABLE_MESSAGE };

/**
 * Tells the request's audit (audit/requestAudit.ts, made as the request arrived) what Apollo
 * Server knows and the HTTP layer does not: the operation as resolved, and the outcome and
 * error codes of the GraphQL answer. The records themselves are written by the request's
 * audit: its intent before the first outbound call, its final record before the answer leaves.
 *
 * A request with no audit on its context (not served through the gateway's HTTP layer) is not
 * answered (fail closed): no court sees data nobody can prove it asked for.
 */
export function auditPlugin(): ApolloServerPlugin<GatewayContext> {
  return {
    async requestDidStart(requestContext) {
      const { audit } = requestContext.contextValue;
      // The context the operation runs with (Apollo Server's copy of the one the request arrived
      // with), and the operation, read when a record is made: by then its name is resolved.
      audit?.describe(requestContext.contextValue, () => ({
        operationName: requestContext.operationName ?? requestContext.request.operationName ?? null,
        query: requestContext.request.query,
      }));
      return {
        async willSendResponse({ response }) {
          if (!audit) {
            response.http.status = 503;
            response.body = { kind: 'single', singleResult: { errors: [formattedError(AUDIT_UNAVAILABLE, AUDIT_UNAVAILABLE_MESSAGE)] } };
            return;
          }
          const result = response.body.kind === 'single' ? response.body.singleResult : response.body.initialResult;
          audit.answered({
            status: response.http.status ?? 200,
            hasData: result.data !== undefined && result.data !== null,
            errorCodes: errorCodesOf(result.errors),
          });
        },
      };
    },
  };
}
