import type { GraphQLDataSourceProcessOptions, RemoteGraphQLDataSource } from '@apollo/gateway';
import type { GraphQLError } from 'graphql';
import type { GatewayContext } from '../context';

/** A subgraph's GraphQL answer as gateway-js reads it. */
export type SubgraphAnswer = Awaited<ReturnType<RemoteGraphQLDataSource['process']>>;
/** A subgraph's HTTP response that is not 2xx, as gateway-js hands it over. */
export type SubgraphResponse = Parameters<RemoteGraphQLDataSource['errorFromResponse']>[0];

/** One call of the gateway to a subgraph, as every step sees it (one object per call). */
export interface SubgraphCall {
  /** The subgraph's name in the supergraph. */
  subgraph: string;
  /** What gateway-js sends: query, variables, operation name, and `http` (headers) once it is about to leave. */
  request: GraphQLDataSourceProcessOptions<GatewayContext>['request'];
  /** The incoming request's context; undefined when the gateway asks for itself (health checks, schema loading). */
  incoming: GatewayContext | undefined;
  /**
   * A read made for an incoming query, which may be answered without sending it (from the case
   * record, or from an identical read in flight). Never a mutation, nor a read inside one: it
   * must see the mutation's effect.
   */
  read: boolean;
}

/**
 * One step of every subgraph call. gateway-js offers a data source three points to act at, so
 * a step has up to three hooks, each optional; the chain runs each hook in the steps' order.
 */
export interface SubgraphCallStep {
  /** Named in the documented order (steps/index.ts) and in its test. */
  readonly name: string;
  /**
   * Around the whole call: answer it without the subgraph, refuse it (throw), or pass it on
   * with `next()`, which runs the later steps and then sends it.
   */
  call?(call: SubgraphCall, next: () => Promise<SubgraphAnswer>): Promise<SubgraphAnswer>;
  /** Just before the request leaves (the call was not answered otherwise): set headers, or refuse. */
  beforeSend?(call: SubgraphCall): Promise<void> | void;
  /** The subgraph answered an HTTP error: the error the plan sees; `next()` is the later steps' (last, gateway-js's own). */
  mapError?(subgraph: string, response: SubgraphResponse, next: () => Promise<GraphQLError>): Promise<GraphQLError>;
}

/**
 * Runs the steps of a subgraph call, in their order, at each of gateway-js's three points
 * (Hive Gateway's onSubgraphExecute/onFetch shape): `run` around `process`, `beforeSend` in
 * `willSendRequest`, `mapError` in `errorFromResponse`. The data source only adapts
 * (signedDataSource.ts); what happens to a call is the steps' business.
 */
export class SubgraphCallChain {
  private readonly calls: readonly SubgraphCallStep[];
  private readonly sends: readonly SubgraphCallStep[];
  private readonly errors: readonly SubgraphCallStep[];

  constructor(readonly steps: readonly SubgraphCallStep[]) {
    this.calls = steps.filter((s) => s.call);
    this.sends = steps.filter((s) => s.beforeSend);
    this.errors = steps.filter((s) => s.mapError);
  }

  run(call: SubgraphCall, send: () => Promise<SubgraphAnswer>): Promise<SubgraphAnswer> {
    const from = (i: number): Promise<SubgraphAnswer> => (i < this.calls.length ? this.calls[i]!.call!(call, () => from(i + 1)) : send());
    return from(0);
  }

  async beforeSend(call: SubgraphCall): Promise<void> {
    for (const step of this.sends) await step.beforeSend!(call);
  }

  mapError(subgraph: string, response: SubgraphResponse, fallback: () => Promise<GraphQLError>): Promise<GraphQLError> {
    const from = (i: number): Promise<GraphQLError> =>
      i < this.errors.length ? this.errors[i]!.mapError!(subgraph, response, () => from(i + 1)) : fallback();
    return from(0);
  }
}

/** The call gateway-js asks for with `options`. */
export function subgraphCallOf(subgraph: string, options: GraphQLDataSourceProcessOptions<GatewayContext>): SubgraphCall {
  const incoming = 'incomingRequestContext' in options ? options.context : undefined;
  return { subgraph, request: options.request, incoming, read: incoming !== undefined && isRead(options) };
}

/** A subgraph query made for an incoming query. */
function isRead(options: GraphQLDataSourceProcessOptions<GatewayContext>): boolean {
  if (!('incomingRequestContext' in options)) return false;
  if (options.incomingRequestContext.operation?.operation !== 'query') return false;
  // gateway-js writes each subgraph operation itself: `query ...` or a bare selection set.
  return /^\s*(?:query\b|\{)/.test(options.request.query ?? '');
}
