/**
 * The court case system failing. It is not one agency among others: the gateway binds every
 * request to its case through it before any agency is asked, so when it fails a court's
 * request is answered with nothing, and no other agency is called. Its own subgraph
 * reports each failure with the stable code naming it, like every other agency's.
 */
import type { FaultMode } from '../../../mocks/shared/faults';
import { postInCase } from '../../support/courtRequest';
import { postSigned } from '../../support/signedHeaders';
import { useStack } from '../../support/stack';
import { DOSSIER } from '../../support/faultDossier';

// Breakers must not open here: each test checks the code of one kind of failure.
process.env.AGENCY_BREAKER_FAILURES = '1000';

// The agency limit is the stack's own, far above a healthy call even on a loaded machine; the
// timeout case never answers ('hang'), so it times out however fast or slow the machine is.
const TIMEOUT_MS = 2000;
const stack = useStack({ agencyTimeoutMs: TIMEOUT_MS });

const FAULTS: { fault: string; mode: FaultMode; extraLatencyMs?: number; code: string; message: RegExp }[] = [
  { fault: 'down', mode: 'down', code: 'AGENCY_UNAVAILABLE', message: /could not be reached/ },
  { fault: 'failing with HTTP 500', mode: 'error500', code: 'AGENCY_UNAVAILABLE', message: /failed with HTTP 500/ },
  { fault: 'answering garbage', mode: 'garbage', code: 'AGENCY_BAD_RESPONSE', message: /not JSON/ },
  { fault: 'answering the wrong shape', mode: 'wrongShape', code: 'AGENCY_BAD_RESPONSE', message: /unexpected shape/ },
  { fault: 'answering a cut-off body', mode: 'truncated', code: 'AGENCY_BAD_RESPONSE', message: /not JSON/ },
  { fault: 'not answering within its timeout', mode: 'hang', code: 'AGENCY_TIMEOUT', message: new RegExp(`within ${TIMEOUT_MS} ms`) },
];

describe.each(FAULTS.map((f) => [f.fault, f] as const))('the court case system %s', (_fault, { mode, extraLatencyMs, code, message }) => {
  beforeEach(() => stack().emulators.court!.setFaults({ mode, extraLatencyMs: extraLatencyMs ?? 0 }));

  it('leaves a dossier unanswered with 503 AGENCY_UNAVAILABLE naming the court case system, no other agency asked, no stack trace', async () => {
    const { population, gateway, emulators } = stack();
    const { caseNumber } = population.scenarios.richDebtor;
    const answer = await postInCase(gateway.url, population, caseNumber, DOSSIER, { case: caseNumber });
    expect(answer.data ?? null).toBeNull();
    // The case binding could not be checked: the court case system's failure, not "no such case".
    expect(answer.status).toBe(503);
    expect(answer.errors?.[0]?.extensions).toMatchObject({ code: 'AGENCY_UNAVAILABLE', agency: 'court case system' });
    expect(JSON.stringify(answer)).not.toMatch(/stacktrace|\bat .*\.[jt]s:\d+/);
    const others = Object.entries(emulators).filter(([name]) => name !== 'court');
    expect(Object.fromEntries(others.map(([name, e]) => [name, e.calls.length]))).toEqual(Object.fromEntries(others.map(([name]) => [name, 0])));
  });

  it(`costs the court subgraph its fields with ${code} naming the court case system`, async () => {
    const { population, subgraphs, subgraphSecret } = stack();
    const { caseNumber, idNumber } = population.scenarios.richDebtor;
    const answer = await postSigned(
      subgraphs.court.url,
      `query ($case: CaseNumber!, $reps: [_Any!]!) {
        case(caseNumber: $case) { caseNumber }
        _entities(representations: $reps) { ... on Person { name } }
      }`,
      { case: caseNumber, reps: [{ __typename: 'Person', idNumber }] },
      subgraphSecret,
    );
    expect(answer.data).toEqual({ case: null, _entities: [{ name: null }] });
    expect(answer.errors?.map((e) => e.path)).toEqual(expect.arrayContaining([['case'], ['_entities', 0, 'name']]));
    for (const error of answer.errors!) {
      expect(error.extensions).toMatchObject({ code, agency: 'court case system' });
      expect(error.extensions).not.toHaveProperty('stacktrace');
      expect(error.message).toMatch(message);
    }
  });
});

it('answers the dossier again once the court case system is healed', async () => {
  const { population, gateway } = stack();
  const { caseNumber } = population.scenarios.richDebtor;
  const answer = await postInCase(gateway.url, population, caseNumber, DOSSIER, { case: caseNumber });
  expect(answer.errors).toBeUndefined();
  expect(answer.data?.case.caseNumber).toBe(caseNumber);
});
