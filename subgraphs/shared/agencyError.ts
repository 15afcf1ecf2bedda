import { GraphQLError } from 'graphql';
import type { ErrorCode } from '../../lib/errors/catalog';

/**
 * The stable codes a court sees when an agency costs it some fields. Each names one way an
 * agency can fail; the message names the agency, and `extensions.agency` (and `provider`
 * for one bank among several) let clients branch without parsing text.
 */
export type AgencyErrorCode = Extract<ErrorCode, `AGENCY_${string}`>;

export interface AgencyErrorDetails {
  agency: string;
  /** One provider behind a subgraph that fronts several (a bank code). */
  provider?: string;
  /** The agency's own error code, when it gave one. */
  agencyCode?: string;
  httpStatus?: number;
  /** Set when no request was sent because the agency's circuit breaker is open (agencyPolicy.ts). */
  breaker?: 'open';
}

/** What the agency itself said when it refused: its words and facts, for callers that turn a refusal into data. */
export interface AgencySaid {
  code?: string;
  message?: string;
  details?: Record<string, unknown>;
}

export class AgencyError extends GraphQLError {
  constructor(
    code: AgencyErrorCode,
    message: string,
    details: AgencyErrorDetails,
    /** Kept out of `extensions`: a court sees the coded error, not the agency's raw body. */
    readonly said?: AgencySaid,
  ) {
    const extensions: Record<string, unknown> = { code, agency: details.agency };
    if (details.provider !== undefined) extensions.provider = details.provider;
    if (details.agencyCode !== undefined) extensions.agencyCode = details.agencyCode;
    if (details.httpStatus !== undefined) extensions.httpStatus = details.httpStatus;
    if (details.breaker !== undefined) extensions.breaker = details.breaker;
    super(message, { extensions });
    this.name = 'AgencyError';
  }

  get code(): AgencyErrorCode {
    return this.extensions.code as AgencyErrorCode;
  }
}
