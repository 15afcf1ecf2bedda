import type { ApolloServerPlugin, GraphQLRequestContext } from '@apollo/server';
import { type GraphQLFormattedError, Kind, parse } from 'graphql';
import { Counter, Histogram, type Registry } from 'prom-client';
import { isErrorCode } from '../../lib/errors/catalog';
import { type RequestOutcome, requestOutcome } from '../../lib/http/requestOutcome';
import { METRICS_PREFIX } from '../../lib/metrics/metricsRegistry';
import type { GatewayContext } from '../context';

export interface MetricsPluginOptions {
  /** The gateway's registry (lib/metrics/metricsRegistry.ts). */
  registry: Registry;
  /**
   * The operation names a series may carry (labelledOperations()); every other name is
   * `other`. Names are the client's choice, unbounded, and could carry anything, an ID number
   * included: only names the deployment knows become a label.
   */
  operationNames: ReadonlySet<string>;
}

/** Requests take ms (a refusal) to seconds (a 1000-person sweep); agencies time out at 5 s. */
const REQUEST_SECONDS_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

/**
 * The names of the operations in `documents` (the documented court operations,
 * schemas/courtOperations.ts) and the `configured` ones (METRICS_OPERATIONS): the bounded set
 * of operation labels.
 */
export function labelledOperations(documents: readonly string[], configured: readonly string[] = []): ReadonlySet<string> {
  const names = documents.flatMap((text) =>
    parse(text).definitions.flatMap((d) => (d.kind === Kind.OPERATION_DEFINITION && d.name ? [d.name.value] : [])),
  );
  return new Set([...names, ...configured]);
}

/**
 * Counts and times every request Apollo Server sees, by operation (a bounded name, `other` or
 * `none`), operation type and outcome, and counts the errors answered by `extensions.code` (a
 * catalog code, else `other`). No caller, court, case or variable goes into a label. Metrics
 * never fail a request: every hook swallows its own errors.
 */
export function metricsPlugin(options: MetricsPluginOptions): ApolloServerPlugin<GatewayContext> {
  const { registry, operationNames } = options;
  const requests = new Counter({
    name: `${METRICS_PREFIX}gateway_requests_total`,
    help: 'GraphQL requests answered, by operation (a documented or configured name, else other; none without a name), type and outcome (ok, partial, refused, failed).',
    labelNames: ['operation', 'type', 'outcome'] as const,
    registers: [registry],
  });
  const duration = new Histogram({
    name: `${METRICS_PREFIX}gateway_request_duration_seconds`,
    help: 'Time from a GraphQL request reaching Apollo Server to its answer, by operation and type.',
    labelNames: ['operation', 'type'] as const,
    buckets: REQUEST_SECONDS_BUCKETS,
    registers: [registry],
  });
  const errors = new Counter({
    name: `${METRICS_PREFIX}gateway_errors_total`,
    help: 'Errors in GraphQL answers, by extensions.code (a catalog code, else other).',
    labelNames: ['code'] as const,
    registers: [registry],
  });
  /** When each request started, and whether it was counted (keyed by the request itself). */
  const started = new WeakMap<GraphQLRequestContext<GatewayContext>, { at: bigint; counted: boolean }>();

  const operationOf = (request: GraphQLRequestContext<GatewayContext>) => {
    const name = request.operationName ?? request.request.operationName ?? null;
    return name === null || name === '' ? 'none' : operationNames.has(name) ? name : 'other';
  };
  const count = (request: GraphQLRequestContext<GatewayContext>, outcome: RequestOutcome, codes: readonly string[]) => {
    const labels = { operation: operationOf(request), type: request.operation?.operation ?? 'none' };
    const state = started.get(request);
    if (state) {
      state.counted = true;
      duration.observe(labels, Number(process.hrtime.bigint() - state.at) / 1e9);
    }
    requests.inc({ ...labels, outcome });
    for (const code of codes) errors.inc({ code });
  };

  return {
    async requestDidStart(request) {
      safely(() => started.set(request, { at: process.hrtime.bigint(), counted: false }));
      return {
        async willSendResponse(request) {
          safely(() => {
            const { outcome, errors } = requestOutcome(request);
            count(request, outcome, errors.map(codeLabel));
          });
        },
      };
    },
    async unexpectedErrorProcessingRequest({ requestContext }) {
      safely(() => {
        // Apollo Server answers it INTERNAL_SERVER_ERROR, after no willSendResponse of ours.
        if (!started.get(requestContext)?.counted) count(requestContext, 'failed', ['INTERNAL_SERVER_ERROR']);
      });
    },
    async invalidRequestWasReceived({ error }) {
      safely(() => {
        requests.inc({ operation: 'none', type: 'none', outcome: 'refused' });
        errors.inc({ code: codeLabel(error) });
      });
    },
  };
}

/** A catalog code as it is; anything else (a code a subgraph made up) as `other`. */
function codeLabel(error: GraphQLFormattedError | Error): string {
  const code = 'extensions' in error ? (error.extensions as { code?: unknown } | undefined)?.code : undefined;
  if (code === undefined) return 'INTERNAL_SERVER_ERROR';
  return typeof code === 'string' && isErrorCode(code) ? code : 'other';
}

function safely(action: () => void): void {
  try {
    action();
  } catch {
    // Metrics are never a reason to fail a request.
  }
}
