import { codedError } from '../../../lib/errors/codedError';
import type { SubgraphCallStep } from '../subgraphCall';

/**
 * A subgraph's 401 means it refused the gateway's own signature, a fault of this deployment,
 * not of the caller's token: say so, instead of gateway-js's UNAUTHENTICATED with the
 * subgraph's URL and body in the extensions. Any other status is gateway-js's to word.
 */
export function mapSubgraphErrors(): SubgraphCallStep {
  return {
    name: 'mapSubgraphErrors',
    async mapError(subgraph, response, next) {
      if (response.status !== 401) return next();
      return codedError(
        'INTERNAL_SERVER_ERROR',
        `The ${subgraph} subgraph refused the gateway's signature: the gateway and the subgraph do not share the same secret, or their clocks disagree.`,
        { serviceName: subgraph },
      );
    },
  };
}
