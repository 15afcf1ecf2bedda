import type { InflightReads } from '../inflightReads';
import type { SubgraphAnswer, SubgraphCallStep } from '../subgraphCall';
import { admit, type AdmitOptions } from './admit';
import { mapSubgraphErrors } from './mapSubgraphErrors';
import { measureSubgraphCalls, type SubgraphCallMetrics } from './measureSubgraphCalls';
import { shareInflightReads } from './shareInflightReads';
import { sign, type SignOptions } from './sign';
import { traceSubgraphCalls } from './traceSubgraphCalls';

export interface SubgraphCallStepsOptions extends AdmitOptions, SignOptions {
  /**
   * For the court subgraph: the step that answers a read of the request's own case from the
   * case record the binding read (caseBinding/answerFromCaseRecord.ts). It comes from the case
   * binding, which transport does not import; none for the other subgraphs.
   */
  answerFromCaseRecord?: SubgraphCallStep;
  /** Send identical reads in flight at the same time once (shareReads()); none: send every read. */
  inflightReads?: InflightReads<SubgraphAnswer>;
  /** The gateway's series of subgraph calls (one for all data sources); none: not measured. */
  callMetrics?: SubgraphCallMetrics;
}

/**
 * The steps of every subgraph call, in the order they run (like graphql-js's specifiedRules):
 *
 * 1. admit: refuse what authorization could not check; the audit intent durable first; record the subgraph as called.
 * 2. answerFromCaseRecord: the plan's ask for the request's own case, from the record the binding read.
 * 3. shareInflightReads: an identical read already in flight answers this one.
 * 4. traceSubgraphCalls: a CLIENT span per call that goes to its subgraph, its `traceparent` sent along.
 * 5. measureSubgraphCalls: count and time each call that goes to its subgraph, by outcome.
 * 6. sign: the gateway signature, as the request leaves.
 * 7. mapSubgraphErrors: a subgraph's refusal of the signature worded as the deployment's fault.
 *
 * Each step answering a call stops the later ones: nothing is signed for a call the record or
 * a shared read answered. A new concern (per-subgraph timeouts, tracing) is one file in this
 * folder and one line here.
 */
export function subgraphCallSteps(options: SubgraphCallStepsOptions): SubgraphCallStep[] {
  return [
    admit(options),
    ...(options.answerFromCaseRecord ? [options.answerFromCaseRecord] : []),
    ...(options.inflightReads ? [shareInflightReads(options.inflightReads)] : []),
    traceSubgraphCalls(),
    ...(options.callMetrics ? [measureSubgraphCalls(options.callMetrics)] : []),
    sign(options),
    mapSubgraphErrors(),
  ];
}
