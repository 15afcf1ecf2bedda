import type { ApolloServerPlugin, GraphQLRequestContextWillSendResponse } from '@apollo/server';
import type { AuditLog } from '../audit/auditLog';
import { type AuditCallerInput, type AuditOutcome, operationHash } from '../audit/auditRecord';
import type { Caller, GatewayContext } from '../context';

export interface AuditPluginOptions {
  log: Pick<AuditLog, 'append'>;
  /** @default () => new Date() */
  now?: () => Date;
}

/** Codes that mean the gateway refused the request rather than failed to answer it. */
const REFUSALS = new Set(['UNAUTHENTICATED', 'FORBIDDEN', 'BAD_USER_INPUT', 'GRAPHQL_VALIDATION_FAILED', 'GRAPHQL_PARSE_FAILED', 'RATE_LIMITED', 'PERSISTED_QUERY_NOT_FOUND']);

export const AUDIT_UNAVAILABLE_MESSAGE = 'The request could not be written to the audit log, so it is not answered.';

/**
 * One audit record per request, allowed or refused, written before the answer leaves. If
 * the record cannot be written the answer is replaced by an AUDIT_UNAVAILABLE error (fail
 * closed): no court sees data nobody can prove it asked for.
 */
export function auditPlugin(options: AuditPluginOptions): ApolloServerPlugin<GatewayContext> {
  const now = options.now ?? (() => new Date());
  return {
    async requestDidStart() {
      const at = now();
      return {
        async willSendResponse(requestContext) {
          await writeOrRefuse(options.log, requestContext, at, now().getTime() - at.getTime());
        },
      };
    },
  };
}

async function writeOrRefuse(
  log: AuditPluginOptions['log'],
  requestContext: GraphQLRequestContextWillSendResponse<GatewayContext>,
  at: Date,
  latencyMs: number,
): Promise<void> {
  const { contextValue, request, response } = requestContext;
  const result = response.body.kind === 'single' ? response.body.singleResult : undefined;
  const errorCodes = [...new Set((result?.errors ?? []).map((e) => String(e.extensions?.code ?? 'INTERNAL_SERVER_ERROR')))];
  try {
    await log.append({
      at: at.toISOString(),
      requestId: contextValue.requestId,
      caller: auditCaller(contextValue.caller),
      caseNumber: contextValue.case?.caseNumber ?? contextValue.caseNumber ?? null,
      subjects: contextValue.reached?.subjects ?? [],
      operationName: requestContext.operationName ?? request.operationName ?? null,
      operationHash: operationHash(request.query ?? ''),
      fields: contextValue.reached?.fields ?? [],
      agencies: [...(contextValue.subgraphsCalled ?? [])],
      outcome: outcomeOf(result?.data, errorCodes),
      errorCodes,
      latencyMs,
    });
  } catch {
    response.body = {
      kind: 'single',
      singleResult: { errors: [{ message: AUDIT_UNAVAILABLE_MESSAGE, extensions: { code: 'AUDIT_UNAVAILABLE' } }] },
    };
    response.http.status = 503;
  }
}

function auditCaller(caller: Caller | undefined): AuditCallerInput {
  if (!caller) return { kind: 'anonymous' };
  if (caller.kind === 'citizen') return { kind: 'citizen', idNumber: caller.idNumber };
  return { kind: caller.roles.includes('supervise') ? 'supervisor-as-court' : 'court', court: caller.court, officer: caller.officer };
}

function outcomeOf(data: unknown, errorCodes: string[]): AuditOutcome {
  if (errorCodes.length === 0) return 'ANSWERED';
  if (data !== undefined && data !== null) return 'PARTIAL';
  return errorCodes.every((code) => REFUSALS.has(code)) ? 'REFUSED' : 'FAILED';
}
