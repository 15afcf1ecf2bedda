/**
 * Each agency in turn down, failing, answering garbage, the wrong shape, a cut-off body, or
 * too slow, through the real stack (gateway, subgraphs, emulators with fault injection): the
 * dossier still carries every other agency's data, and the failing agency's fields come
 * back null with errors that name it and carry its stable code, never a stack trace.
 */
import type { FaultMode } from '../../../mocks/shared/faults';
import { postInCase } from '../../support/courtRequest';
import type { GraphQLAnswer } from '../../support/postGraphQL';
import { useStack } from '../../support/stack';
import { AGENCIES, DOSSIER, expectOnlyItsOwnFields } from '../../support/faultDossier';

// Breakers must not open here (this file checks the code of each failure; breaker.test.ts
// opens them). The stack's subgraphs read unset resilience settings from the environment.
process.env.AGENCY_BREAKER_FAILURES = '1000';

// The agency limit is the stack's own, far above a healthy call even on a loaded machine; the
// timeout case never answers ('hang'), so it times out however fast or slow the machine is.
const TIMEOUT_MS = 2000;
const stack = useStack({ agencyTimeoutMs: TIMEOUT_MS });

const FAULTS: { fault: string; mode: FaultMode; extraLatencyMs?: number; code: string }[] = [
  { fault: 'down', mode: 'down', code: 'AGENCY_UNAVAILABLE' },
  { fault: 'failing with HTTP 500', mode: 'error500', code: 'AGENCY_UNAVAILABLE' },
  { fault: 'answering garbage', mode: 'garbage', code: 'AGENCY_BAD_RESPONSE' },
  { fault: 'answering the wrong shape', mode: 'wrongShape', code: 'AGENCY_BAD_RESPONSE' },
  { fault: 'answering a cut-off body', mode: 'truncated', code: 'AGENCY_BAD_RESPONSE' },
  { fault: 'not answering within its timeout', mode: 'hang', code: 'AGENCY_TIMEOUT' },
];

let healthy: GraphQLAnswer;

async function dossier(): Promise<GraphQLAnswer & { status: number }> {
  const { population, gateway } = stack();
  const { caseNumber } = population.scenarios.richDebtor;
  return postInCase(gateway.url, population, caseNumber, DOSSIER, { case: caseNumber });
}

beforeAll(async () => {
  healthy = await dossier();
  expect(healthy.errors).toBeUndefined();
});

describe.each(AGENCIES.map((agency) => [agency.emulator, agency] as const))('%s', (_name, agency) => {
  it.each(FAULTS.map((f) => [f.fault, f] as const))('%s costs only its own fields', async (_fault, { mode, extraLatencyMs, code }) => {
    stack().emulators[agency.emulator]!.setFaults({ mode, extraLatencyMs: extraLatencyMs ?? 0 });
    const answer = await dossier();
    expect(answer.status).toBe(200);
    expectOnlyItsOwnFields(answer, healthy, agency, code);
  });
});

it('answers in full again once the agencies are healed', async () => {
  expect(await dossier()).toEqual({ ...healthy, status: 200 });
});
