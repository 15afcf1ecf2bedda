import type { BaseContext } from '@apollo/server';
import type { SearchPurpose } from '../lib/audit/searchPurpose';

/** What a court officer's token grants (DESIGN.md "Security and audit"). */
export type CourtRole = 'query' | 'control' | 'supervise';

/**
 * Who is asking, as proven by a verified token; never taken from unverified headers. A court
 * caller's `purpose` (a worker's sweep or follow-up search) goes to the audit; absent: the
 * officer's own request.
 */
export type Caller =
  | { kind: 'court'; court: string; officer: string; roles: CourtRole[]; purpose?: SearchPurpose; tokenId?: string }
  | { kind: 'citizen'; idNumber: string; tokenId?: string };

/** The facts of the case a request rests on, as the court case system holds them. */
export interface CaseFacts {
  caseNumber: string;
  courtCode: string;
  status: 'ACTIVE' | 'SUSPENDED' | 'CLOSED';
  /** ID numbers and credit codes of the case's debtors. */
  debtors: string[];
  /** ID numbers and credit codes of the case's applicants. */
  applicants: string[];
  /** What the case still has to recover, integer fen: the ceiling of any seizure in it. */
  outstandingFen: number;
  /**
   * The court subgraph's answer for the case (CASE_RECORD_QUERY), as given and never changed:
   * it answers the request's query plan's own ask for the case (caseRecordAnswers.ts).
   */
  record?: Readonly<object>;
}

/** Per-request state of the gateway; plugins read and fill it, nothing lives in module maps. */
export interface GatewayContext extends BaseContext {
  /** Unique per request; sent to subgraphs and agencies and written to the audit. */
  requestId: string;
  /**
   * The request's audit, made as it arrived (audit/requestAudit.ts): every outbound call of the
   * request awaits `audit.intent()` first; the audit plugin reports the answer to it.
   */
  audit?: RequestAuditHandle;
  /** Set by authentication; absent only until it has run. */
  caller?: Caller;
  /** Who sent the request on the network (plugins/clientAddress.ts): unauthenticated traffic is limited by it. */
  clientAddress?: string;
  /** The case the request states (`x-case-number` header), normalised. */
  caseNumber?: string;
  /** Set by case authorization once the case is checked. */
  case?: CaseFacts;
  /** The kind of the operation (once known): signed to subgraphs, which run mutations only under a mutation's signature. */
  operationType?: 'query' | 'mutation' | 'subscription';
  /** What the operation reaches, read before it runs: root subjects and field coordinates. */
  reached?: { subjects: string[]; fields: string[] };
  /** Subgraphs the request was sent to (filled by the subgraph data source), for the audit. */
  subgraphsCalled?: Set<string>;
  /**
   * Set by authorization for an operation that cannot run (no such operation in the document,
   * variables that do not coerce), which it therefore did not check: execution refuses it before
   * any subgraph call, and the subgraph data source refuses to forward anything for it.
   */
  cannotRun?: true;
}

/**
 * The request's audit as the code handling the request uses it; audit/requestAudit.ts
 * implements it. Declared here, with what its methods take, because that audit reads the
 * context: the context naming the class would make the two modules import each other.
 */
export interface RequestAuditHandle {
  /**
   * Makes the request's intent durable, once: every outbound call awaits it first. Rejects
   * with `AUDIT_UNAVAILABLE` (503) when it cannot be written.
   */
  intent(): Promise<void>;
  /** Where the records read the request from once Apollo Server has it (plugins/audit.ts). */
  describe(context: GatewayContext, operation: () => OperationFacts): void;
  /** What Apollo Server's pipeline answered (plugins/audit.ts, in willSendResponse). */
  answered(answer: PipelineAnswer): void;
}

/** The operation as Apollo Server resolved it; read when a record is made (plugins/audit.ts). */
export interface OperationFacts {
  /** The name of the operation that runs, else the one the client sent; null for none. */
  operationName: string | null;
  query: string | undefined;
}

/** What Apollo Server's request pipeline answered (plugins/audit.ts reports it in willSendResponse). */
export interface PipelineAnswer {
  /** The HTTP status it set. */
  status: number;
  hasData: boolean;
  errorCodes: string[];
}
