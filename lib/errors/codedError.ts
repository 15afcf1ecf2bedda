import { type ASTNode, GraphQLError, type GraphQLFormattedError } from 'graphql';
import { ERROR_CODES, type ErrorCode } from './catalog';

/** Response headers an error sets with its status (Apollo Server reads a Map or a HeaderMap). */
export type ErrorHeaders = Map<string, string>;

export interface RequestErrorOptions {
  /** Another status than the catalog's, where the code says so (a case lookup's AGENCY_UNAVAILABLE: 503). */
  status?: number;
  headers?: ErrorHeaders;
  /** Kept for the server's log; never sent to the client. */
  originalError?: Error;
}

/**
 * An error that answers the whole request: `extensions.http` sets the catalog's status (Apollo
 * Server applies it and does not send it), so every site of a code answers the same status.
 */
export function requestError(code: ErrorCode, message: string, extensions: Record<string, unknown> = {}, options: RequestErrorOptions = {}): GraphQLError {
  const status = options.status ?? (ERROR_CODES[code] as { httpStatus?: number }).httpStatus;
  const http = status === undefined ? {} : { http: options.headers ? { status, headers: options.headers } : { status } };
  return new GraphQLError(message, { originalError: options.originalError, extensions: { code, ...extensions, ...http } });
}

/**
 * An error with no HTTP status of its own: one field's (a status from a resolver's error would
 * turn the whole answer, whose other fields stand, into a refusal), or one whose status its
 * stage sets (Apollo Server answers a validation error 400).
 */
export function codedError(code: ErrorCode, message: string, extensions: Record<string, unknown> = {}, nodes?: ASTNode): GraphQLError {
  return new GraphQLError(message, { ...(nodes ? { nodes } : {}), extensions: { code, ...extensions } });
}

/** The error as it goes out in a JSON body the server writes itself, not through Apollo Server. */
export function formattedError(code: ErrorCode, message: string, extensions: Record<string, unknown> = {}): GraphQLFormattedError {
  return { message, extensions: { code, ...extensions } };
}
