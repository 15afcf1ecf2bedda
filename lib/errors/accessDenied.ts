import type { GraphQLError } from 'graphql';
import { FORBIDDEN_REASONS, type ForbiddenReason } from './catalog';
import { codedError, requestError } from './codedError';
import { unauthenticated } from './unauthenticated';

/**
 * Why a request was refused, one stable word each; `extensions.reason` carries it beside
 * `extensions.code` (UNAUTHENTICATED for NO_TOKEN, FORBIDDEN for the rest).
 */
export const ACCESS_DENIED_REASONS = { NO_TOKEN: 'No bearer token was presented.', ...FORBIDDEN_REASONS } as const;
export type AccessDeniedReason = keyof typeof ACCESS_DENIED_REASONS;

/** A refusal of the whole request, 403 (gateway and subgraphs alike). */
export function accessDenied(reason: AccessDeniedReason, message: string, extra: Record<string, unknown> = {}): GraphQLError {
  // A missing token is the authentication's refusal, with its 401 and WWW-Authenticate.
  if (reason === 'NO_TOKEN') return unauthenticated('NO_TOKEN', message);
  return requestError('FORBIDDEN', message, { reason, ...extra });
}

/** A refusal of one field (`null`, the rest of the answer stands): no status of its own. */
export function fieldDenied(reason: ForbiddenReason, message: string, extra: Record<string, unknown> = {}): GraphQLError {
  return codedError('FORBIDDEN', message, { reason, ...extra });
}
