import { DEFAULT_SIGNATURE_TTL_SECONDS, GATEWAY_SIGNATURE_HEADER, requestBodyHash, signForSubgraph } from '../../../lib/gatewaySignature';
import type { GatewayContext } from '../../context';
import { claimsOf, serviceClaims } from '../subgraphClaims';
import type { SubgraphCallStep } from '../subgraphCall';

export interface SignOptions {
  /** Shared with the subgraphs (GatewayConfig.subgraphSecret). */
  secret: string;
  /** @default DEFAULT_SIGNATURE_TTL_SECONDS (30) */
  ttlSeconds?: number;
}

/** Each incoming request's signature, by its context object (one per request), gone with it. */
const signatures = new WeakMap<GatewayContext, { token: Promise<string>; at: number }>();

/**
 * Signs every request that leaves (`x-gateway-signature`) with who asks and why, from the
 * request's context (claimsOf): the verified caller, the case with its checked debtors and
 * outstanding amount, the root subjects, the request id. Requests the gateway makes for itself
 * carry the gateway's service identity instead. Subgraphs refuse anything unsigned or stale.
 */
export function sign(options: SignOptions): SubgraphCallStep {
  const { secret } = options;
  const ttlSeconds = options.ttlSeconds ?? DEFAULT_SIGNATURE_TTL_SECONDS;
  /**
   * One signature per incoming request, shared by all its subgraph calls: their claims are
   * the same (caller, case, debtors, subjects, request id are fixed before execution). A long
   * request (a bulk sweep) gets a fresh one once a third of the lifetime has passed, so no
   * call goes out with a signature about to expire.
   */
  const signatureFor = (incoming: GatewayContext): Promise<string> => {
    const now = Date.now();
    const signed = signatures.get(incoming);
    if (signed && now - signed.at < (ttlSeconds * 1000) / 3) return signed.token;
    const token = signForSubgraph(secret, claimsOf(incoming), ttlSeconds);
    signatures.set(incoming, { token, at: now });
    return token;
  };
  return {
    name: 'sign',
    async beforeSend({ incoming, request }) {
      let signature: string;
      if (!incoming) signature = await signForSubgraph(secret, serviceClaims(), ttlSeconds);
      else if (incoming.operationType === 'mutation') {
        // Each call of a mutation signed on its own, bound to its body: replayed, it can only repeat itself (idempotent).
        const { query = '', variables } = request;
        signature = await signForSubgraph(secret, { ...claimsOf(incoming), bodyHash: requestBodyHash(query, variables) }, ttlSeconds);
      } else signature = await signatureFor(incoming);
      request.http?.headers.set(GATEWAY_SIGNATURE_HEADER, signature);
    },
  };
}
