import { requestError } from '../../lib/errors/codedError';
import type { CaseFacts, GatewayContext } from '../context';
import type { LookupCase } from './bindCase';

/** The case directory's lookup (CaseDirectory#lookup): `requestId` is the incoming request's, so the case system sees it under that. */
export type LookupCaseFor = (caseNumber: string, requestId: string) => Promise<CaseFacts | null>;

/**
 * A request's case lookup: its first outbound call, so its audit intent is durable first (or
 * nothing is sent); a lookup that fails is the court case system's failure (AGENCY_UNAVAILABLE,
 * 503), and no agency is asked.
 */
export function requestCaseLookup(context: GatewayContext, lookupCase: LookupCaseFor): LookupCase {
  return async (caseNumber) => {
    await context.audit?.intent();
    try {
      return await lookupCase(caseNumber, context.requestId);
    } catch {
      // The whole request fails (503), not a field: without the case, nothing may be asked.
      throw requestError('AGENCY_UNAVAILABLE', `The court case system could not confirm case ${caseNumber}; no agency was asked.`, { agency: 'court case system' }, { status: 503 });
    }
  };
}
