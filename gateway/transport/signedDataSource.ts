import { type GraphQLDataSourceProcessOptions, RemoteGraphQLDataSource } from '@apollo/gateway';
import type { GraphQLError } from 'graphql';
import type { GatewayContext } from '../context';
import { type SubgraphCallStepsOptions, subgraphCallSteps } from './steps';
import { type SubgraphAnswer, type SubgraphCall, SubgraphCallChain, subgraphCallOf, type SubgraphResponse } from './subgraphCall';
import type { Fetcher } from './subgraphTransport';

export interface SignedDataSourceOptions extends SubgraphCallStepsOptions {
  /** The subgraph's name, recorded in the context's `subgraphsCalled` for the audit. */
  name: string;
  url: string;
  /** How requests reach the subgraph. @default gateway-js's own fetcher */
  fetcher?: Fetcher;
}

/**
 * gateway-js's data source for one subgraph, adapted to the subgraph-call chain (steps/index.ts):
 * each of its three points runs the steps' hook for it, in their order. What a call goes
 * through (the audit gate, the case record, shared reads, the signature, error wording) is
 * the steps'; this class only adapts.
 */
export class SignedDataSource extends RemoteGraphQLDataSource<GatewayContext> {
  private readonly name: string;
  private readonly chain: SubgraphCallChain;
  /** The call each gateway-js request is, so every hook of one call sees the same object. */
  private readonly calls = new WeakMap<object, SubgraphCall>();

  constructor(options: SignedDataSourceOptions) {
    super({ url: options.url, ...(options.fetcher ? { fetcher: options.fetcher } : {}) });
    this.name = options.name;
    this.chain = new SubgraphCallChain(subgraphCallSteps(options));
  }

  override process(options: GraphQLDataSourceProcessOptions<GatewayContext>): Promise<SubgraphAnswer> {
    return this.chain.run(this.callOf(options), () => super.process(options));
  }

  override willSendRequest(options: GraphQLDataSourceProcessOptions<GatewayContext>): Promise<void> {
    return this.chain.beforeSend(this.callOf(options));
  }

  override errorFromResponse(response: SubgraphResponse): Promise<GraphQLError> {
    return this.chain.mapError(this.name, response, () => super.errorFromResponse(response));
  }

  private callOf(options: GraphQLDataSourceProcessOptions<GatewayContext>): SubgraphCall {
    let call = this.calls.get(options);
    if (call === undefined) this.calls.set(options, (call = subgraphCallOf(this.name, options)));
    return call;
  }
}
