import type { GraphQLResponse } from '@apollo/server';
import type { GraphQLFormattedError } from 'graphql';

/**
 * How a request ended, from the caller's side: `ok` (no error), `partial` (data and errors,
 * e.g. one agency down), `refused` (errors and no data: a rule said no), `failed` (5xx).
 * The request log, the metrics and the server span all say it, so they say it alike.
 */
export type RequestOutcome = 'ok' | 'partial' | 'refused' | 'failed';

/** A response's outcome, its HTTP status and its errors, read once Apollo Server has answered (willSendResponse). */
export function requestOutcome(request: { readonly response: GraphQLResponse }): {
  outcome: RequestOutcome;
  status: number;
  errors: readonly GraphQLFormattedError[];
} {
  const body = request.response.body;
  const result = body.kind === 'single' ? body.singleResult : body.initialResult;
  const errors = result.errors ?? [];
  const status = request.response.http.status ?? 200;
  const outcome: RequestOutcome = status >= 500 ? 'failed' : errors.length === 0 ? 'ok' : result.data == null ? 'refused' : 'partial';
  return { outcome, status, errors };
}
