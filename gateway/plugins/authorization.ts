import type { ApolloServerPlugin } from '@apollo/server';
import { GraphQLError } from 'graphql';
import { getVariableValues } from 'graphql/execution/values';
import { checkCaseNumber } from '../../schemas/identifiers';
import type { AccessRules } from '../authorization/accessRules';
import { authorizeOperation } from '../authorization/authorizeOperation';
import { analyseOperation } from '../authorization/operationAccess';
import type { Caller, CaseFacts, GatewayContext } from '../context';

/** The header in which every court request states the case it serves. */
export const CASE_HEADER = 'x-case-number';

export interface AuthorizationOptions {
  rules: AccessRules;
  /** Verifies a bearer token; throws UNAUTHENTICATED for a bad one; no header, no caller. */
  authenticate(authorization: string | undefined): Promise<Caller | undefined>;
  /** `requestId` is the incoming request's: the case system sees the lookup under it. */
  lookupCase(caseNumber: string, requestId: string): Promise<CaseFacts | null>;
}

/**
 * Authentication and case-bound authorization, before any subgraph or agency is called:
 * the caller from the token, the roles the selected fields require, and the case the
 * request states (active, the caller's court, every subject at the root a debtor). What it
 * learns (caller, case, subjects, fields) stays on the context for the audit and for the
 * signed subgraph calls, which carry the case's debtors so each subgraph answers asset
 * fields (`@policy(case_debtor)`) only for them.
 */
export function authorizationPlugin(options: AuthorizationOptions): ApolloServerPlugin<GatewayContext> {
  return {
    async requestDidStart({ request, contextValue }) {
      // The caller is known from the start of the request, so the other plugins (rate limit,
      // audit) see it; a refused token is thrown once the operation is known, and audited.
      let refusedToken: unknown;
      try {
        contextValue.caller = await options.authenticate(request.http?.headers.get('authorization') || undefined);
      } catch (error) {
        refusedToken = error;
      }
      return {
        async didResolveOperation({ contextValue, request, document, operation, schema }) {
          // No such operation in the document, or variables that do not coerce: the operation
          // cannot run, and execution says why exactly as gateway-js does (e.g. BAD_USER_INPUT,
          // 400, every variable error), before any subgraph is called. The mark makes sure none is.
          if (operation) contextValue.operationType = operation.operation;
          const coerced = operation && getVariableValues(schema, operation.variableDefinitions ?? [], request.variables ?? {});
          if (operation === undefined || coerced === undefined || coerced.errors) {
            contextValue.cannotRun = true;
            return;
          }
          // What the operation reaches is read first, so a refusal is audited with it too.
          const access = analyseOperation(schema, document, operation.name?.value, request.variables, coerced.coerced);
          contextValue.reached = { subjects: access.roots.flatMap((r) => r.subjects), fields: [...access.coordinates] };
          if (refusedToken !== undefined) throw refusedToken;
          const headers = request.http?.headers;
          const stated = headers?.get(CASE_HEADER);
          if (stated !== undefined && stated !== '') {
            const checked = checkCaseNumber(percentDecoded(stated));
            if (!checked.ok) {
              throw new GraphQLError(`Header "${CASE_HEADER}" is invalid: ${checked.message}`, {
                extensions: { code: 'BAD_USER_INPUT', reason: checked.reason, http: { status: 400 } },
              });
            }
            contextValue.caseNumber = checked.value;
          }
          const authorized = await authorizeOperation({
            caller: contextValue.caller,
            access,
            rules: options.rules,
            statedCase: contextValue.caseNumber,
            lookupCase: async (caseNumber) => {
              // The lookup is the request's first outbound call: its audit intent is durable first (or nothing is sent).
              await contextValue.audit?.intent();
              try {
                return await options.lookupCase(caseNumber, contextValue.requestId);
              } catch {
                throw new GraphQLError(`The court case system could not confirm case ${caseNumber}; no agency was asked.`, {
                  extensions: { code: 'AGENCY_UNAVAILABLE', agency: 'court case system', http: { status: 503 } },
                });
              }
            },
          });
          contextValue.case = authorized.case;
          if (authorized.partyCase) contextValue.caseNumber = authorized.partyCase;
        },
      };
    },
  };
}

/** Header values are bytes: courts send the case number percent-encoded; a raw ASCII one passes as is. */
function percentDecoded(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}
