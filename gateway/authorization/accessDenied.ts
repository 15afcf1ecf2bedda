import { GraphQLError } from 'graphql';
import { unauthenticated } from '../auth/unauthenticated';

/**
 * Why a request was refused, one stable word each; `extensions.reason` carries it beside
 * `extensions.code` (UNAUTHENTICATED or FORBIDDEN) so a court's software can branch on it.
 */
export const ACCESS_DENIED_REASONS = {
  NO_TOKEN: 'No bearer token was presented.',
  MISSING_ROLE: "The caller's roles do not include one the field requires.",
  CASE_REQUIRED: 'The operation reaches a person or company but names no case (x-case-number header).',
  CASE_NOT_FOUND: 'No court has the case the request names.',
  WRONG_COURT: "The case belongs to another court than the caller's.",
  CASE_NOT_ACTIVE: 'The case is suspended or closed.',
  NOT_A_DEBTOR: 'A person or company the operation reaches is not a debtor of the case.',
  WRONG_CASE: 'The operation names another case than the one it states.',
  OTHER_COURT_DOCKET: "Only the caller's own court's docket may be listed.",
  NOT_A_COURT: 'The field is for court officers; the caller is a citizen.',
  NOT_A_PARTY: 'The caller is not an applicant of the case the view is about.',
} as const;

export type AccessDeniedReason = keyof typeof ACCESS_DENIED_REASONS;

export function accessDenied(reason: AccessDeniedReason, message: string, extra: Record<string, unknown> = {}): GraphQLError {
  // A missing token is the authentication's refusal, with its 401 and WWW-Authenticate.
  if (reason === 'NO_TOKEN') return unauthenticated('NO_TOKEN', message);
  return new GraphQLError(message, { extensions: { code: 'FORBIDDEN', reason, ...extra, http: { status: 403 } } });
}
