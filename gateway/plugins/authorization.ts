import type { ApolloServerPlugin } from '@apollo/server';
import { getVariableValues } from 'graphql';
import type { AccessRules } from '../authorization/accessRules';
import { authorizeOperation } from '../authorization/authorizeOperation';
import { analyseOperation } from '../authorization/operationAccess';
import { statedCase } from '../caseBinding/caseHeader';
import { type LookupCaseFor, requestCaseLookup } from '../caseBinding/requestCaseLookup';
import type { Caller, GatewayContext } from '../context';

export interface AuthorizationOptions {
  rules: AccessRules;
  /** Verifies a bearer token; throws UNAUTHENTICATED for a bad one; no header, no caller. */
  authenticate(authorization: string | undefined): Promise<Caller | undefined>;
  /** `requestId` is the incoming request's: the case system sees the lookup under it (CaseDirectory#lookup). */
  lookupCase: LookupCaseFor;
}

/**
 * Authentication and case-bound authorization, before any subgraph or agency is called:
 * the caller from the token, the roles the selected fields require (authorization/), and the
 * case the request states, bound by caseBinding/ (active, the caller's court, every subject
 * at the root a debtor). What it
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
          const stated = statedCase(request.http?.headers);
          if (stated !== undefined) contextValue.caseNumber = stated;
          const authorized = await authorizeOperation({
            caller: contextValue.caller,
            access,
            rules: options.rules,
            statedCase: contextValue.caseNumber,
            lookupCase: requestCaseLookup(contextValue, options.lookupCase),
          });
          contextValue.case = authorized.case;
          if (authorized.partyCase) contextValue.caseNumber = authorized.partyCase;
        },
      };
    },
  };
}
