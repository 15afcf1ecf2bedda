import { randomUUID } from 'node:crypto';
import { type GatewayClaims, GATEWAY_SIGNATURE_ISSUER } from '../../lib/gatewaySignature';
import type { GatewayContext } from '../context';

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
          { service: GATEWAY_SIGNATURE_ISSUER };
  return {
    requestId,
    ...who,
    ...(caseNumber === undefined ? {} : { caseNumber }),
    ...(context.case === undefined ? {} : { debtors: context.case.debtors, caseOutstandingFen: String(context.case.outstandingFen) }),
    ...(context.reached === undefined ? {} : { subjects: context.reached.subjects }),
    ...(context.operationType === undefined ? {} : { operation: context.operationType }),
  };
}

/** What the gateway signs when it asks for itself (health checks, schema loading): under its own name. */
export function serviceClaims(): GatewayClaims {
  return { requestId: randomUUID(), service: GATEWAY_SIGNATURE_ISSUER };
}
