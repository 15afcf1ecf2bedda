import type { HTTPGraphQLResponse } from '@apollo/server';
import { GraphQLError } from 'graphql';
import { type AuditCallerInput, type AuditOutcome, type AuditRecordInput, operationHash, outcomeOf } from '../../lib/audit/auditRecord';
import type { AuditWriter } from '../../lib/audit/auditWriter';
import type { SearchPurpose } from '../../lib/audit/searchPurpose';
import type { ErrorCode } from '../../lib/errors/catalog';
import { requestError } from '../../lib/errors/codedError';
import { errorAnswer } from '../../lib/errors/httpRefusals';
import { REQUEST_ID_HEADER } from '../../lib/http/requestIdHeader';
import type { ArrivedRequest, GraphQLArrival } from '../../lib/http/serveGraphQL';
import type { Caller, GatewayContext, OperationFacts, PipelineAnswer, RequestAuditHandle } from '../context';

export const AUDIT_UNAVAILABLE = 'AUDIT_UNAVAILABLE' satisfies ErrorCode;
export const AUDIT_UNAVAILABLE_MESSAGE = 'The request could not be written to the audit log, so it is not answered.';

export interface RequestAuditOptions {
  log: Pick<AuditWriter, 'append'>;
  /** Unique per request, never taken from the client. */
  requestId: string;
  /** @default () => new Date() */
  now?: () => Date;
}

/**
 * The audit of one request to the gateway, from its arrival at /graphql to its answer
 * (lib/http/serveGraphQL.ts `arrive`/`settle`). Two records of the one hash chain, under the
 * request's id:
 *
 * - the intent (`INTENT`), made durable by `intent()` before the request's first outbound call:
 *   the case lookup (plugins/authorization.ts) and every subgraph call (signedDataSource.ts)
 *   await that one memoised write, so if it fails nothing is sent for the request at all;
 * - the final record, written by `settle` before any answer leaves, whatever is answered:
 *   Apollo Server's answer, or a refusal of the HTTP layer. If it (or the intent) cannot be
 *   written, the answer is replaced by 503 `AUDIT_UNAVAILABLE`.
 *
 * A request refused before any call needs no intent, only its final record. An intent with no
 * final record means the request was cut off between them (the process stopped, or the final
 * commit failed and the caller got a 503): readers show it as an access that was made
 * (`UNFINISHED`, lib/audit/auditReader.ts).
 */
export class RequestAudit implements GraphQLArrival, RequestAuditHandle {
  /** The request's context as it arrived, handed to Apollo Server. */
  readonly context: GatewayContext;
  /**
   * The context the operation runs with, where authentication and authorization write what
   * they learn: Apollo Server runs each operation on its own shallow copy of `context`.
   */
  private live: GatewayContext;
  private readonly at: Date;
  private readonly now: () => Date;
  private operation: (() => OperationFacts) | undefined;
  private pipeline: PipelineAnswer | undefined;
  private intentWrite: Promise<void> | undefined;
  private settling = false;

  constructor(private readonly options: RequestAuditOptions) {
    this.now = options.now ?? (() => new Date());
    this.at = this.now();
    this.context = { requestId: options.requestId, audit: this };
    this.live = this.context;
  }

  get requestId(): string {
    return this.options.requestId;
  }

  /**
   * Where the records read the request from once Apollo Server has it: the context the
   * operation runs with, and the operation (read when a record is made).
   */
  describe(context: GatewayContext, operation: () => OperationFacts): void {
    this.live = context;
    this.operation = operation;
  }

  /** What Apollo Server's pipeline answered: the final record's outcome, unless the HTTP answer differs. */
  answered(answer: PipelineAnswer): void {
    this.pipeline = answer;
  }

  /**
   * Makes the request's intent durable, once: every outbound call of the request awaits this
   * before it is sent. Rejects with `AUDIT_UNAVAILABLE` (503) when it cannot be written, and
   * once the request is being answered (nothing leaves after that).
   */
  intent(): Promise<void> {
    if (this.intentWrite === undefined) {
      this.intentWrite = this.settling ? Promise.reject(auditUnavailable()) : this.writeIntent();
      // Awaited by each call; an unawaited rejection here is not a crash.
      this.intentWrite.catch(() => undefined);
    }
    return this.intentWrite;
  }

  private async writeIntent(): Promise<void> {
    try {
      await this.options.log.append(this.record({ outcome: 'INTENT', errorCodes: [], agencies: [] }));
    } catch {
      throw auditUnavailable();
    }
  }

  /**
   * Writes the final record of what is about to be answered, after the intent's write (if
   * any) has settled, so the chain holds the intent first; returns the answer to send: the
   * given one, or 503 `AUDIT_UNAVAILABLE` when the intent or this record could not be
   * written. Never rejects.
   */
  async settle(answer: HTTPGraphQLResponse, request: ArrivedRequest): Promise<HTTPGraphQLResponse> {
    this.settling = true;
    try {
      const intentDurable = this.intentWrite === undefined ? true : await this.intentWrite.then(() => true, () => false);
      // The request was cut off before any call: what leaves is the 503, and that is what is recorded.
      const answered = intentDurable ? this.factsOf(answer) : { hasData: false, errorCodes: [AUDIT_UNAVAILABLE] };
      await this.options.log.append(
        this.record(
          { outcome: outcomeOf(answered.hasData, answered.errorCodes), errorCodes: answered.errorCodes, agencies: [...(this.live.subgraphsCalled ?? [])] },
          request,
        ),
      );
      return this.named(intentDurable ? answer : unavailableAnswer());
    } catch {
      return this.named(unavailableAnswer());
    }
  }

  /** The answer, naming its audit record (lib/http/requestIdHeader.ts). */
  private named(answer: HTTPGraphQLResponse): HTTPGraphQLResponse {
    answer.headers.set(REQUEST_ID_HEADER, this.options.requestId);
    return answer;
  }

  /**
   * Outcome and codes of the answer: as the pipeline reported them when the answer is the
   * pipeline's (same status), else read off the answer itself (a refusal before or around
   * the pipeline: its body is a small JSON error, or a page).
   */
  private factsOf(answer: HTTPGraphQLResponse): { hasData: boolean; errorCodes: string[] } {
    const status = answer.status ?? 200;
    if (this.pipeline && this.pipeline.status === status) return this.pipeline;
    if (answer.body.kind !== 'complete') return { hasData: true, errorCodes: [] };
    try {
      const body = JSON.parse(answer.body.string) as { data?: unknown; errors?: { extensions?: { code?: unknown } }[] };
      return { hasData: body.data !== undefined && body.data !== null, errorCodes: errorCodesOf(body.errors) };
    } catch {
      // Not JSON: Apollo Sandbox's page (answered), or a failure with no GraphQL error.
      return status < 400 ? { hasData: false, errorCodes: [] } : { hasData: false, errorCodes: ['INTERNAL_SERVER_ERROR'] };
    }
  }

  private record(
    result: { outcome: AuditOutcome; errorCodes: string[]; agencies: string[] },
    request?: ArrivedRequest,
  ): AuditRecordInput {
    const c = this.live;
    const operation = this.operation?.() ?? (request ? operationSent(request) : { operationName: null, query: undefined });
    return {
      at: this.at.toISOString(),
      requestId: this.options.requestId,
      caller: auditCaller(c.caller),
      caseNumber: c.case?.caseNumber ?? c.caseNumber ?? null,
      subjects: c.reached?.subjects ?? [],
      // An empty name is no name (and is refused: OPERATION_NOT_FOUND).
      operationName: operation.operationName || null,
      operationHash: operationHash(operation.query ?? ''),
      fields: c.reached?.fields ?? [],
      agencies: result.agencies,
      outcome: result.outcome,
      errorCodes: result.errorCodes,
      latencyMs: Math.max(0, this.now().getTime() - this.at.getTime()),
      // From the verified token, as the caller is: the intent and the final record say the same.
      purpose: searchPurpose(c.caller),
    };
  }
}

/** The error every outbound call of a request gets when its intent could not be written. */
export function auditUnavailable(): GraphQLError {
  return requestError(AUDIT_UNAVAILABLE, AUDIT_UNAVAILABLE_MESSAGE);
}

/** The answer instead of one that cannot be recorded: nothing of it leaves, not even its headers. */
export function unavailableAnswer(): HTTPGraphQLResponse {
  return errorAnswer(503, AUDIT_UNAVAILABLE, AUDIT_UNAVAILABLE_MESSAGE);
}

export function auditCaller(caller: Caller | undefined): AuditCallerInput {
  if (!caller) return { kind: 'anonymous' };
  if (caller.kind === 'citizen') return { kind: 'citizen', idNumber: caller.idNumber };
  return { kind: caller.roles.includes('supervise') ? 'supervisor-as-court' : 'court', court: caller.court, officer: caller.officer };
}

/** Why a court's search was made (its token's `purpose`, a supervisor's too); null: an officer's own request, or no court asked. */
export function searchPurpose(caller: Caller | undefined): SearchPurpose | null {
  return caller?.kind === 'court' ? (caller.purpose ?? null) : null;
}

/** The distinct `extensions.code`s of an answer's errors (INTERNAL_SERVER_ERROR for one without). */
export function errorCodesOf(errors: readonly { extensions?: { code?: unknown } }[] | undefined): string[] {
  return [...new Set((errors ?? []).map((e) => String(e.extensions?.code ?? 'INTERNAL_SERVER_ERROR')))];
}

/** The operation a request refused before Apollo Server read it names, as sent (POST body or GET query string). */
function operationSent(request: ArrivedRequest): OperationFacts {
  const fields: Record<string, unknown> =
    request.method === 'GET'
      ? Object.fromEntries(new URLSearchParams(request.search))
      : typeof request.body === 'object' && request.body !== null && !Array.isArray(request.body)
        ? (request.body as Record<string, unknown>)
        : {};
  return {
    operationName: typeof fields.operationName === 'string' ? fields.operationName : null,
    query: typeof fields.query === 'string' ? fields.query : undefined,
  };
}
