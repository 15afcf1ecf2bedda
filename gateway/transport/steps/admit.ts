import type { GatewayContext } from '../../context';
import type { SubgraphCallStep } from '../subgraphCall';

export interface AdmitOptions {
  /**
   * Refuse an incoming operation whose context has no verified caller. In the court graph every
   * field that reaches a subgraph requires a token, so such an operation means the authorization
   * plugin did not run: never let it go out under the service identity. createGateway turns it
   * off only for a supergraph that carries no access rules. @default true
   */
  requireCaller?: boolean;
  /**
   * Refuse an incoming operation whose context has no audit (`GatewayContext.audit`, made as the
   * request arrived): its intent could not be made durable first. createGateway turns it on;
   * every context the gateway serves has one. @default false
   */
  requireIntent?: boolean;
}

/**
 * The one gate of every subgraph call of an incoming operation, whether it is then sent,
 * shared with an identical read in flight or answered from the case record: an operation
 * authorization could not check, or with no verified caller (unless allowed), is refused; then
 * the request's intent is durable in the audit (RequestAudit.intent, once per request), or
 * nothing goes out. A refused operation writes no intent. The subgraph is then recorded as
 * called, for the audit. Checked once more just before a request leaves.
 */
export function admit(options: AdmitOptions = {}): SubgraphCallStep {
  const requireCaller = options.requireCaller ?? true;
  const requireIntent = options.requireIntent ?? false;
  const refuseUnchecked = (incoming: GatewayContext) => {
    if (incoming.cannotRun) {
      throw new Error('Refusing to call a subgraph for an operation authorization could not check.');
    }
    if (requireCaller && incoming.caller === undefined) {
      throw new Error('Refusing to call a subgraph for an operation with no verified caller: authentication did not run.');
    }
  };
  const admitted = (incoming: GatewayContext, subgraph: string) => {
    refuseUnchecked(incoming);
    (incoming.subgraphsCalled ??= new Set()).add(subgraph);
  };
  return {
    name: 'admit',
    async call({ incoming, subgraph }, next) {
      if (incoming) {
        refuseUnchecked(incoming);
        if (incoming.audit) await incoming.audit.intent();
        else if (requireIntent) throw new Error('Refusing to call a subgraph for a request with no audit: its intent cannot be recorded first.');
        admitted(incoming, subgraph);
      }
      return next();
    },
    beforeSend({ incoming, subgraph }) {
      if (incoming) admitted(incoming, subgraph);
    },
  };
}
