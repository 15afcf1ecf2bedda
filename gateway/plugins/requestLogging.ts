import type { ApolloServerPlugin, GraphQLRequestContext } from '@apollo/server';
import type { GraphQLFormattedError } from 'graphql';
import type { GatewayContext } from '../context';
import type { Logger } from '../../lib/log/logger';
import { maskIdentifiers } from '../../lib/log/maskIdentifiers';
import { formattedError } from '../../lib/errors/codedError';
import { type RequestOutcome, requestOutcome } from '../../lib/http/requestOutcome';

export interface RequestLoggingOptions {
  /** Where the lines go, e.g. `createLogger()`. */
  logger: Logger;
  /** Log the operation's variables (masked). @default true */
  logVariables?: boolean;
}


/** One logged error: its code, its path, and its message with identifiers masked. */
interface LoggedError {
  code: string;
  message: string;
  path?: readonly (string | number)[];
}

/** The fields of one request's line. */
export interface RequestLine {
  requestId?: string;
  court?: string;
  officer?: string;
  citizen?: string;
  case?: string;
  operationName?: string | null;
  operationType?: string;
  queryHash?: string;
  outcome: RequestOutcome;
  status: number;
  latencyMs?: number;
  errorCodes: string[];
  errors?: LoggedError[];
  variables?: unknown;
}

/**
 * Logs one line per request, allowed or refused: request id, caller (court and officer, or the
 * citizen masked), case, operation, outcome, HTTP status, latency and error codes. Messages and
 * variables are masked here (`maskIdentifiers`) whatever logger is given. Logging never fails a
 * request: every hook swallows its own errors.
 *
 * Outcome and level: `ok` (info) no errors; `partial` (warn) data with errors, e.g. one agency
 * down; `refused` (warn) errors and no data with a 4xx, e.g. limits, rate limit, authorization;
 * `failed` (error) a 5xx.
 */
export function requestLoggingPlugin(options: RequestLoggingOptions): ApolloServerPlugin<GatewayContext> {
  const { logger, logVariables = true } = options;
  /** Per request: when it started, and whether its line is written (keyed by the request itself). */
  const requests = new WeakMap<GraphQLRequestContext<GatewayContext>, { started: bigint; logged: boolean }>();

  const write = (line: RequestLine) => {
    const level = line.outcome === 'ok' ? 'info' : line.outcome === 'failed' ? 'error' : 'warn';
    logger[level](line, 'graphql request');
  };
  const logRequest = (request: GraphQLRequestContext<GatewayContext>, outcome: RequestOutcome, status: number, errors: readonly GraphQLFormattedError[]) => {
    const { contextValue: context, request: http } = request;
    const state = requests.get(request);
    const caller = context.caller;
    const logged = errors.map(loggedError);
    const line: RequestLine = {
      requestId: context.requestId,
      ...(caller?.kind === 'court' ? { court: caller.court, officer: caller.officer } : {}),
      ...(caller?.kind === 'citizen' ? { citizen: maskIdentifiers(caller.idNumber) } : {}),
      ...(context.caseNumber ? { case: context.caseNumber } : {}),
      operationName: request.operationName ?? http.operationName ?? null,
      ...(request.operation ? { operationType: request.operation.operation } : {}),
      ...(request.queryHash ? { queryHash: request.queryHash } : {}),
      outcome,
      status,
      ...(state ? { latencyMs: Number(process.hrtime.bigint() - state.started) / 1e6 } : {}),
      errorCodes: [...new Set(logged.map((e) => e.code))],
      ...(logged.length > 0 ? { errors: logged } : {}),
      ...(logVariables && http.variables ? { variables: maskValue(http.variables) } : {}),
    };
    if (state) state.logged = true;
    write(line);
  };

  return {
    async requestDidStart(request) {
      safely(() => requests.set(request, { started: process.hrtime.bigint(), logged: false }));
      return {
        async willSendResponse(request) {
          safely(() => {
            const { outcome, status, errors } = requestOutcome(request);
            logRequest(request, outcome, status, errors);
          });
        },
      };
    },
    async unexpectedErrorProcessingRequest({ requestContext, error }) {
      safely(() => {
        if (requests.get(requestContext)?.logged) return;
        logRequest(requestContext, 'failed', 500, [formattedError('INTERNAL_SERVER_ERROR', error.message)]);
      });
    },
    async invalidRequestWasReceived({ error }) {
      safely(() => write({ outcome: 'refused', status: 400, errorCodes: [codeOf(error)], errors: [loggedError(error)] }));
    },
    async contextCreationDidFail({ error }) {
      safely(() => {
        const status = httpStatusOf(error) ?? 500;
        write({ outcome: status >= 500 ? 'failed' : 'refused', status, errorCodes: [codeOf(error)], errors: [loggedError(error)] });
      });
    },
  };
}

function loggedError(error: GraphQLFormattedError | Error): LoggedError {
  const path = 'path' in error && Array.isArray(error.path) ? { path: error.path } : {};
  return { code: codeOf(error), message: maskIdentifiers(error.message), ...path };
}

function codeOf(error: GraphQLFormattedError | Error): string {
  const code = 'extensions' in error ? (error.extensions as { code?: unknown } | undefined)?.code : undefined;
  return typeof code === 'string' ? code : 'INTERNAL_SERVER_ERROR';
}

function httpStatusOf(error: Error): number | undefined {
  const http = 'extensions' in error ? (error.extensions as { http?: { status?: unknown } } | undefined)?.http : undefined;
  return typeof http?.status === 'number' ? http.status : undefined;
}

/** Variables with every string (and long integer) passed through `maskIdentifiers`, keys too. */
function maskValue(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return maskIdentifiers(value);
  if (typeof value === 'number' && Number.isInteger(value) && Math.abs(value) >= 1e14) return maskIdentifiers(String(value));
  if (value === null || typeof value !== 'object') return value;
  if (depth > 20) return '[too deep]';
  if (Array.isArray(value)) return value.map((v) => maskValue(v, depth + 1));
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [maskIdentifiers(k), maskValue(v, depth + 1)]));
}

function safely(action: () => void): void {
  try {
    action();
  } catch {
    // The log is never a reason to fail a request.
  }
}
