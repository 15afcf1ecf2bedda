import { type HTTPGraphQLResponse, HeaderMap } from '@apollo/server';
import type { ErrorCode } from './catalog';
import { formattedError } from './codedError';

/**
 * The refusals the HTTP layer answers itself, before Apollo Server sees the request
 * (lib/http/serveGraphQL.ts, for a server that audits every answer: the gateway), as GraphQL JSON
 * errors with a stable `extensions.code`, never finalhandler's HTML page:
 *
 * - `PAYLOAD_TOO_LARGE` (413): the body is over the limit;
 * - `BAD_REQUEST` (400; 415 for a charset or content encoding it cannot read): the body is
 *   not JSON, or not one JSON object;
 * - `BATCH_NOT_SUPPORTED` (400): a JSON array of operations (batching is refused).
 *
 * Apollo Server's own refusals of what is not a GraphQL request (a request blocked as a
 * possible cross-site forgery, a content type that is not JSON, a mutation by GET) carry
 * `BAD_REQUEST` too.
 */
export interface HttpRefusal {
  status: number;
  code: Extract<ErrorCode, 'PAYLOAD_TOO_LARGE' | 'BAD_REQUEST' | 'BATCH_NOT_SUPPORTED' | 'INTERNAL_SERVER_ERROR'>;
  message: string;
}

export const BATCH_REFUSAL: HttpRefusal = {
  status: 400,
  code: 'BATCH_NOT_SUPPORTED',
  message: 'Batched requests are not supported: send one operation per request, as a JSON object.',
};

/** A failure of the server itself while answering (a bug): no detail leaves. */
export const INTERNAL_FAILURE: HttpRefusal = { status: 500, code: 'INTERNAL_SERVER_ERROR', message: 'The request could not be answered.' };

/** What body-parser's error (http-errors, with `type` and `status`) means for the client. */
export function bodyRefusal(error: unknown): HttpRefusal {
  const e = (typeof error === 'object' && error !== null ? error : {}) as { type?: unknown; status?: unknown };
  const status = typeof e.status === 'number' ? e.status : 500;
  if (e.type === 'entity.too.large') return { status: 413, code: 'PAYLOAD_TOO_LARGE', message: 'The request body is larger than the server accepts.' };
  if (e.type === 'entity.parse.failed') return { status: 400, code: 'BAD_REQUEST', message: 'The request body is not a JSON object.' };
  if (status === 415) return { status, code: 'BAD_REQUEST', message: 'The request body is in a charset or content encoding the server cannot read.' };
  if (status >= 400 && status < 500) return { status: 400, code: 'BAD_REQUEST', message: 'The request body could not be read.' };
  return INTERNAL_FAILURE;
}

/** A GraphQL JSON error answer, `{ errors: [{ message, extensions: { code } }] }`. */
export function errorAnswer(status: number, code: ErrorCode, message: string, headers: readonly [string, string][] = []): HTTPGraphQLResponse {
  return {
    status,
    headers: new HeaderMap([['content-type', 'application/json; charset=utf-8'], ...headers]),
    body: { kind: 'complete', string: JSON.stringify({ errors: [formattedError(code, message)] }) },
  };
}

export function refusalAnswer(refusal: HttpRefusal): HTTPGraphQLResponse {
  return errorAnswer(refusal.status, refusal.code, refusal.message);
}
