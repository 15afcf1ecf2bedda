import { InflightReads } from '../inflightReads';
import { claimsOf } from '../subgraphClaims';
import type { SubgraphAnswer, SubgraphCallStep } from '../subgraphCall';

/** A fresh store of in-flight reads; share one among the data sources of a gateway. */
export function shareReads(): InflightReads<SubgraphAnswer> {
  return new InflightReads<SubgraphAnswer>(copyAnswer);
}

/**
 * Identical reads share one subgraph call while it is in flight: same subgraph, same body
 * (query, variables, operation name) and the same signed facts (caller, case, debtors,
 * outstanding amount, subjects), whatever their request ids. Only reads (SubgraphCall.read).
 * The subgraph and its agencies see the leader's request id only; the audit still has one
 * record per gateway request, each naming the subgraph as reached (admit ran for each).
 */
export function shareInflightReads(reads: InflightReads<SubgraphAnswer>): SubgraphCallStep {
  return {
    name: 'shareInflightReads',
    call({ subgraph, incoming, read, request }, next) {
      if (!read || incoming === undefined) return next();
      const { requestId: _ignored, ...facts } = claimsOf(incoming);
      const key = JSON.stringify([subgraph, facts, request.query, request.variables ?? null, request.operationName ?? null]);
      // A follower never reaches the later steps: nothing is signed or sent for it.
      return reads.run(key, next);
    },
  };
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
