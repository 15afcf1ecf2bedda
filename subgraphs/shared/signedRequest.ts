import type { GatewayClaims } from '../../lib/gatewaySignature';

/**
 * Who asks and why, as the gateway signed it for one subgraph request (court, officer, case,
 * its debtors and outstanding amount, citizen, request id, operation kind). Verified by
 * `startSubgraph` before the body is read; resolvers and policies decide on it and on nothing
 * a caller could state otherwise.
 */
export type SignedRequest = GatewayClaims;

/**
 * What every subgraph's context carries: the verified claims, put there by `startSubgraph`
 * (request state lives on the context, as at the gateway, not in ambient storage).
 */
export interface SignedContext {
  readonly signed: SignedRequest;
}

/**
 * The claims on a context the code cannot type (schema-wide wrappers such as the entity
 * policy); undefined for a context built without them (a schema executed directly in a test).
 */
export function signedOf(context: unknown): SignedRequest | undefined {
  return (context as Partial<SignedContext> | null | undefined)?.signed;
}
