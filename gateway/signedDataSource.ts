import { randomUUID } from 'node:crypto';
import { type GraphQLDataSourceProcessOptions, RemoteGraphQLDataSource } from '@apollo/gateway';
import { GraphQLError } from 'graphql';
import {
  DEFAULT_SIGNATURE_TTL_SECONDS,
  GATEWAY_SIGNATURE_HEADER,
  type GatewayClaims,
  requestBodyHash,
  signForSubgraph,
} from '../lib/gatewaySignature';
import type { GatewayContext } from './context';
import type { CaseRecordAnswers } from './transport/caseRecordAnswers';
import { InflightReads } from './transport/inflightReads';
import type { Fetcher } from './transport/subgraphTransport';

/** The subgraph's HTTP response as gateway-js hands it over (its fetcher's type). */
type SubgraphResponse = Parameters<RemoteGraphQLDataSource['errorFromResponse']>[0];
/** A subgraph's GraphQL answer as gateway-js reads it. */
type SubgraphAnswer = Awaited<ReturnType<RemoteGraphQLDataSource['process']>>;

/** Each incoming request's signature, by its context object (one per request), gone with it. */
const signatures = new WeakMap<GatewayContext, { token: Promise<string>; at: number }>();

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
   * Refuse to forward an incoming operation whose context has no verified caller. In the
   * court graph every field that reaches a subgraph requires a token, so such an operation
   * means the authorization plugin did not run: never let it go out under the service
   * identity. createGateway turns it off only for a supergraph that carries no access rules.
   * @default true
   */
  requireCaller?: boolean;
  /**
   * Refuse to forward an incoming operation whose context has no audit (`GatewayContext.audit`,
   * made as the request arrived): its intent could not be made durable first. createGateway
   * turns it on; every context the gateway serves has one. @default false
   */
  requireIntent?: boolean;
  /** How requests reach the subgraph. @default gateway-js's own fetcher */
  fetcher?: Fetcher;
  /**
   * Send identical reads in flight at the same time once (see `shareReads`). Share one
   * instance among the data sources of a gateway, or give none to send every read.
   */
  inflightReads?: InflightReads<SubgraphAnswer>;
  /**
   * For the court subgraph: answer a read of the request's own case from the case record the
   * binding check read, when the record holds everything the read asks (see CaseRecordAnswers).
   */
  caseRecordAnswers?: CaseRecordAnswers;
}

/** A fresh store of in-flight reads for `SignedDataSourceOptions.inflightReads`. */
export function shareReads(): InflightReads<SubgraphAnswer> {
  return new InflightReads<SubgraphAnswer>(copyAnswer);
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
  private readonly requireIntent: boolean;
  private readonly name: string;
  private readonly inflightReads: InflightReads<SubgraphAnswer> | undefined;
  private readonly caseRecordAnswers: CaseRecordAnswers | undefined;

  constructor(options: SignedDataSourceOptions) {
    super({ url: options.url, ...(options.fetcher ? { fetcher: options.fetcher } : {}) });
    this.name = options.name;
    this.secret = options.secret;
    this.ttlSeconds = options.ttlSeconds ?? DEFAULT_SIGNATURE_TTL_SECONDS;
    this.requireCaller = options.requireCaller ?? true;
    this.requireIntent = options.requireIntent ?? false;
    this.inflightReads = options.inflightReads;
    this.caseRecordAnswers = options.caseRecordAnswers;
  }

  /**
   * A read of the request's own case that its case record holds is answered from the record
   * (the court subgraph gave it moments ago in this request; see CaseRecordAnswers).
   * Identical reads share one subgraph call while it is in flight: same subgraph, same body
   * (query, variables, operation name) and the same signed facts (caller, case, debtors,
   * outstanding amount, subjects), whatever their request ids. Only reads of incoming
   * queries are shared: never a mutation, nor a read inside a mutation (it must see the
   * mutation's effect). The subgraph and its agencies see the leader's request id only; the
   * audit still has one record per gateway request, each naming the subgraph as reached.
   */
  override async process(options: GraphQLDataSourceProcessOptions<GatewayContext>): Promise<SubgraphAnswer> {
    const incoming = incomingContext(options);
    if (incoming) await this.intentDurable(incoming);
    const read = incoming !== undefined && isSharedRead(options);
    const kase = incoming?.case;
    if (this.caseRecordAnswers && read && kase?.record) {
      const { query, variables } = options.request;
      const answer = query === undefined ? undefined : this.caseRecordAnswers.answer(query, variables, kase.caseNumber, kase.record);
      if (answer) {
        this.admit(incoming);
        return answer;
      }
    }
    if (this.inflightReads === undefined || !read) return super.process(options);
    // A follower never reaches willSendRequest: check and record it here as well.
    this.admit(incoming);
    const { requestId: _ignored, ...facts } = claimsOf(incoming);
    const { query, variables, operationName } = options.request;
    const key = JSON.stringify([this.name, facts, query, variables ?? null, operationName ?? null]);
    return this.inflightReads.run(key, () => super.process(options));
  }

  override async willSendRequest(options: GraphQLDataSourceProcessOptions<GatewayContext>): Promise<void> {
    const incoming = incomingContext(options);
    if (incoming) this.admit(incoming);
    let signature: string;
    if (!incoming) signature = await signForSubgraph(this.secret, serviceClaims(), this.ttlSeconds);
    else if (incoming.operationType === 'mutation') {
      // Each call of a mutation signed on its own, bound to its body: replayed, it can only repeat itself (idempotent).
      const { query = '', variables } = options.request;
      signature = await signForSubgraph(this.secret, { ...claimsOf(incoming), bodyHash: requestBodyHash(query, variables) }, this.ttlSeconds);
    } else signature = await this.signatureFor(incoming);
    options.request.http?.headers.set(GATEWAY_SIGNATURE_HEADER, signature);
  }

  /**
   * One signature per incoming request, shared by all its subgraph calls: their claims are
   * the same (caller, case, debtors, subjects, request id are fixed before execution). A
   * long request (a bulk sweep) gets a fresh one once a third of the lifetime has passed, so
   * no call goes out with a signature about to expire.
   */
  private signatureFor(incoming: GatewayContext): Promise<string> {
    const now = Date.now();
    const signed = signatures.get(incoming);
    if (signed && now - signed.at < (this.ttlSeconds * 1000) / 3) return signed.token;
    const token = signForSubgraph(this.secret, claimsOf(incoming), this.ttlSeconds);
    signatures.set(incoming, { token, at: now });
    return token;
  }

  /**
   * The one gate of every subgraph call of an incoming operation, whether it is sent, shared
   * with an identical read in flight or answered from the case record: the request's intent is
   * durable in the audit (RequestAudit.intent, once per request), or nothing goes out. An
   * operation refused here anyway (see `admit`) writes no intent.
   */
  private async intentDurable(incoming: GatewayContext): Promise<void> {
    this.refuseUnchecked(incoming);
    if (incoming.audit) return incoming.audit.intent();
    if (this.requireIntent) throw new Error('Refusing to call a subgraph for a request with no audit: its intent cannot be recorded first.');
  }

  /**
   * Refuses an operation authorization could not check, or with no verified caller (unless
   * allowed); records the subgraph as called.
   */
  private admit(incoming: GatewayContext): void {
    this.refuseUnchecked(incoming);
    (incoming.subgraphsCalled ??= new Set()).add(this.name);
  }

  private refuseUnchecked(incoming: GatewayContext): void {
    if (incoming.cannotRun) {
      throw new Error('Refusing to call a subgraph for an operation authorization could not check.');
    }
    if (this.requireCaller && incoming.caller === undefined) {
      throw new Error('Refusing to call a subgraph for an operation with no verified caller: authentication did not run.');
    }
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
    ...(context.operationType === undefined ? {} : { operation: context.operationType }),
  };
}

/** The request's context when gateway-js forwards an incoming operation (the kind enum is not exported). */
function incomingContext(options: GraphQLDataSourceProcessOptions<GatewayContext>): GatewayContext | undefined {
  return 'incomingRequestContext' in options ? options.context : undefined;
}

/** A subgraph query made for an incoming query; anything else is sent as is. */
function isSharedRead(options: GraphQLDataSourceProcessOptions<GatewayContext>): boolean {
  if (!('incomingRequestContext' in options)) return false;
  if (options.incomingRequestContext.operation?.operation !== 'query') return false;
  // gateway-js writes each subgraph operation itself: `query ...` or a bare selection set.
  return /^\s*(?:query\b|\{)/.test(options.request.query ?? '');
}

/** Each sharer's own copy: gateway-js merges entity answers into its result tree in place. */
function copyAnswer(answer: SubgraphAnswer): SubgraphAnswer {
  return {
    ...answer,
    ...(answer.data === undefined ? {} : { data: structuredClone(answer.data) }),
    ...(answer.errors === undefined ? {} : { errors: structuredClone(answer.errors) }),
    ...(answer.extensions === undefined ? {} : { extensions: structuredClone(answer.extensions) }),
  };
}

function serviceClaims(): GatewayClaims {
  return { requestId: randomUUID(), service: GATEWAY_SERVICE_IDENTITY };
}
