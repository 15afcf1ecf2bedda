import { randomUUID } from 'node:crypto';
import { type GraphQLDataSourceProcessOptions, RemoteGraphQLDataSource } from '@apollo/gateway';
import { GraphQLError } from 'graphql';
import {
  DEFAULT_SIGNATURE_TTL_SECONDS,
  GATEWAY_SIGNATURE_HEADER,
  type GatewayClaims,
  signForSubgraph,
} from '../lib/gatewaySignature';
import type { GatewayContext } from './context';

/** The subgraph's HTTP response as gateway-js hands it over (its fetcher's type). */
type SubgraphResponse = Parameters<RemoteGraphQLDataSource['errorFromResponse']>[0];

/** The identity the gateway signs with when it asks for itself (health checks, schema loading). */
export const GATEWAY_SERVICE_IDENTITY = 'court-asset-graph-gateway';

export interface SignedDataSourceOptions {
  /** The subgraph's name, recorded in the context's `subgraphsCalled` for the audit. */
  name: string;
  url: string;
  /** Shared with the subgraphs (GatewayConfig.subgraphSecret). */
  secret: string;
  /** @default DEFAULT_SIGNATURE_TTL_SECONDS (30) */
  ttlSeconds?: number;
  /**
   * Refuse to forward an incoming operation whose context has no verified caller. Every
   * field that reaches a subgraph requires a token, so such an operation means the
   * authorization plugin did not run: never let it go out under the service identity.
   * @default true
   */
  requireCaller?: boolean;
}

/**
 * A subgraph transport that signs every request (`x-gateway-signature`) with who asks and
 * why, from the request's context: the verified caller (court and officer, or citizen),
 * the case with its checked debtors and outstanding amount, the root subjects, the request id. Requests the
 * gateway makes for itself carry the gateway's service identity instead. Subgraphs refuse
 * anything unsigned or stale. Each subgraph called is added to `subgraphsCalled`.
 */
export class SignedDataSource extends RemoteGraphQLDataSource<GatewayContext> {
  private readonly secret: string;
  private readonly ttlSeconds: number;
  private readonly requireCaller: boolean;
  private readonly name: string;

  constructor(options: SignedDataSourceOptions) {
    super({ url: options.url });
    this.name = options.name;
    this.secret = options.secret;
    this.ttlSeconds = options.ttlSeconds ?? DEFAULT_SIGNATURE_TTL_SECONDS;
    this.requireCaller = options.requireCaller ?? true;
  }

  override async willSendRequest(options: GraphQLDataSourceProcessOptions<GatewayContext>): Promise<void> {
    // Only an incoming operation has a request context (the kind enum is not exported).
    const incoming = 'incomingRequestContext' in options ? options.context : undefined;
    if (incoming && this.requireCaller && incoming.caller === undefined) {
      throw new Error('Refusing to call a subgraph for an operation with no verified caller: authentication did not run.');
    }
    if (incoming) (incoming.subgraphsCalled ??= new Set()).add(this.name);
    const claims = incoming ? claimsOf(incoming) : serviceClaims();
    const signature = await signForSubgraph(this.secret, claims, this.ttlSeconds);
    options.request.http?.headers.set(GATEWAY_SIGNATURE_HEADER, signature);
  }

  /**
   * A subgraph's 401 means it refused the gateway's own signature, a fault of this
   * deployment, not of the caller's token: say so, instead of gateway-js's UNAUTHENTICATED
   * with the subgraph's URL and body in the extensions.
   */
  override async errorFromResponse(response: SubgraphResponse): Promise<GraphQLError> {
    if (response.status !== 401) return super.errorFromResponse(response);
    return new GraphQLError(
      `The ${this.name} subgraph refused the gateway's signature: the gateway and the subgraph do not share the same secret, or their clocks disagree.`,
      { extensions: { code: 'INTERNAL_SERVER_ERROR', serviceName: this.name } },
    );
  }
}

/** What a subgraph (and the agencies behind it) learns of an incoming operation. */
export function claimsOf(context: Partial<GatewayContext>): GatewayClaims {
  const requestId = typeof context.requestId === 'string' && context.requestId !== '' ? context.requestId : randomUUID();
  const caseNumber = context.case?.caseNumber ?? context.caseNumber;
  const { caller } = context;
  const who: Partial<GatewayClaims> =
    caller?.kind === 'court'
      ? { court: caller.court, officer: caller.officer }
      : caller?.kind === 'citizen'
        ? { citizen: caller.idNumber }
        : // No verified caller on the context (authentication not run): the gateway answers for it.
          { service: GATEWAY_SERVICE_IDENTITY };
  return {
    requestId,
    ...who,
    ...(caseNumber === undefined ? {} : { caseNumber }),
    ...(context.case === undefined ? {} : { debtors: context.case.debtors, caseOutstandingFen: String(context.case.outstandingFen) }),
    ...(context.reached === undefined ? {} : { subjects: context.reached.subjects }),
  };
}

function serviceClaims(): GatewayClaims {
  return { requestId: randomUUID(), service: GATEWAY_SERVICE_IDENTITY };
}
