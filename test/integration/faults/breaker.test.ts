/**
 * Circuit breakers through the real stack: an agency that keeps failing gets its breaker
 * opened (shown at its subgraph's /readyz, which stays ready), later requests cost it no
 * call at all while the rest of the dossier still answers, and once the agency is healed
 * and the half-open time has passed, one probe closes the breaker again.
 */
import type { SubgraphName } from '../../../schemas/subgraphs';
import { postInCase } from '../../support/courtRequest';
import type { GraphQLAnswer } from '../../support/postGraphQL';
import { useStack } from '../../support/stack';
import { AGENCIES, DOSSIER, expectOnlyItsOwnFields } from '../../support/faultDossier';

// The stack's subgraphs read unset resilience settings from the environment: a breaker that
// opens after 3 failed calls in a row and lets a probe through after a short open time.
// (The breaker keeps time by the wall clock, so the open-time assertions are taken only from a
// dossier that ended inside the open time: dossierWhileOpen.)
const HALF_OPEN_MS = 3000;
process.env.AGENCY_BREAKER_FAILURES = '3';
process.env.AGENCY_BREAKER_HALF_OPEN_MS = String(HALF_OPEN_MS);

const stack = useStack();

let healthy: GraphQLAnswer;

async function dossier(): Promise<GraphQLAnswer & { status: number }> {
  const { population, gateway } = stack();
  const { caseNumber } = population.scenarios.richDebtor;
  return postInCase(gateway.url, population, caseNumber, DOSSIER, { case: caseNumber });
}

interface Readyz {
  status: string;
  checks: { agencies: Record<string, { breaker: string; openedAt?: string }> };
}

async function readyz(subgraph: SubgraphName): Promise<{ httpStatus: number; body: Readyz }> {
  const response = await fetch(stack().subgraphs[subgraph].url.replace(/\/graphql$/, '/readyz'));
  return { httpStatus: response.status, body: (await response.json()) as Readyz };
}

const breakerOf = async (subgraph: SubgraphName, agency: string) => (await readyz(subgraph)).body.checks.agencies[agency]?.breaker;

/** Polls /readyz until the breaker shows `state` (the test's own timeout guards against a hang). */
async function untilBreaker(subgraph: SubgraphName, agency: string, state: string): Promise<void> {
  while ((await breakerOf(subgraph, agency)) !== state) await new Promise((resolve) => setTimeout(resolve, 25));
}

/** Sends dossiers until the agency's breaker opens; at most `limit` of them. */
async function failUntilOpen(subgraph: SubgraphName, agency: string, limit: number): Promise<number> {
  for (let sent = 1; sent <= limit; sent++) {
    await dossier();
    if ((await breakerOf(subgraph, agency)) === 'open') return sent;
  }
  throw new Error(`${agency} breaker did not open after ${limit} failing dossiers`);
}

/**
 * One dossier sent while the agency's breaker is open, with every emulator's calls counted from
 * the moment it opened. A dossier that ends after the open time (a busy machine) proves
 * nothing, as the breaker may have let a probe through: then the breaker is opened afresh and
 * the dossier sent again.
 */
async function dossierWhileOpen(subgraph: SubgraphName, agency: string): Promise<GraphQLAnswer & { status: number }> {
  for (let attempt = 1; attempt <= 5; attempt++) {
    await untilBreakerNot(subgraph, agency, 'half-open');
    if ((await breakerOf(subgraph, agency)) !== 'open') await failUntilOpen(subgraph, agency, 5);
    const openedAt = Date.parse((await readyz(subgraph)).body.checks.agencies[agency]!.openedAt!);
    for (const e of Object.values(stack().emulators)) e.resetCalls();
    const answer = await dossier();
    if (Date.now() - openedAt < HALF_OPEN_MS) return answer;
    // Too slow to count: let the breaker's probe fail and reopen it.
    await untilBreaker(subgraph, agency, 'half-open');
    await dossier();
  }
  throw new Error(`five dossiers in a row took longer than the ${HALF_OPEN_MS} ms open time of the ${agency} breaker`);
}

async function untilBreakerNot(subgraph: SubgraphName, agency: string, state: string): Promise<void> {
  while ((await breakerOf(subgraph, agency)) === state) await new Promise((resolve) => setTimeout(resolve, 25));
}

beforeAll(async () => {
  healthy = await dossier();
  expect(healthy.errors).toBeUndefined();
});

it('shows every agency breaker closed at each subgraph /readyz to begin with', async () => {
  const expected: Record<string, string[]> = {
    court: ['court case system'],
    bank: ['bank NCB', 'bank HZCB', 'bank RCC', 'bank WEB'],
    realestate: ['real-estate registry'],
    vehicle: ['vehicle registry'],
    commerce: ['commerce registry'],
    'social-insurance': ['social insurance bureau', 'housing provident fund centre'],
    // The audit asks the court case system, and every control interface whether a case's measures took effect.
    audit: ['court case system', 'bank NCB', 'bank HZCB', 'bank WEB', 'real-estate registry', 'vehicle registry', 'commerce registry', 'social insurance bureau'],
  };
  for (const [subgraph, agencies] of Object.entries(expected)) {
    expect(await readyz(subgraph as SubgraphName)).toEqual({
      httpStatus: 200,
      body: { status: 'ready', checks: { agencies: Object.fromEntries(agencies.map((a) => [a, { breaker: 'closed' }])) } },
    });
  }
});

it('opens the vehicle registry breaker after repeated failures, calls it no more while open, and closes after the probe', async () => {
  const vehicle = stack().emulators.vehicle!;
  const failing = AGENCIES.find((a) => a.emulator === 'vehicle')!;
  vehicle.setFaults({ mode: 'error500' });
  expect(await failUntilOpen('vehicle', 'vehicle registry', 5)).toBeLessThanOrEqual(3);

  // Open, but the subgraph stays ready: it still answers everything else.
  expect(await readyz('vehicle')).toEqual({
    httpStatus: 200,
    body: { status: 'ready', checks: { agencies: { 'vehicle registry': { breaker: 'open', openedAt: expect.any(String) } } } },
  });
  const whileOpen = await dossierWhileOpen('vehicle', 'vehicle registry');
  expectOnlyItsOwnFields(whileOpen, healthy, failing, 'AGENCY_UNAVAILABLE');
  for (const error of whileOpen.errors!) {
    expect(error.message).toMatch(/^The vehicle registry was not called: its circuit breaker is open/);
    expect(error.extensions).toMatchObject({ breaker: 'open' });
  }
  expect(vehicle.calls).toEqual([]);

  vehicle.setFaults({ mode: 'none' });
  await untilBreaker('vehicle', 'vehicle registry', 'half-open');
  expect(await dossier()).toEqual({ ...healthy, status: 200 });
  expect(vehicle.calls.length).toBeGreaterThan(0);
  expect(await breakerOf('vehicle', 'vehicle registry')).toBe('closed');
});

it('keeps a breaker per bank: one bank down is cut off, the other banks are still asked', async () => {
  const { emulators } = stack();
  const web = emulators['bank:WEB']!;
  const failing = AGENCIES.find((a) => a.provider === 'WEB')!;
  web.setFaults({ mode: 'down' });
  await failUntilOpen('bank', 'bank WEB', 5);
  expect((await readyz('bank')).body.checks.agencies).toEqual({
    'bank NCB': { breaker: 'closed' },
    'bank HZCB': { breaker: 'closed' },
    'bank RCC': { breaker: 'closed' },
    'bank WEB': { breaker: 'open', openedAt: expect.any(String) },
  });

  const whileOpen = await dossierWhileOpen('bank', 'bank WEB');
  expectOnlyItsOwnFields(whileOpen, healthy, failing, 'AGENCY_UNAVAILABLE');
  expect(whileOpen.errors!.every((e) => e.extensions?.breaker === 'open')).toBe(true);
  expect(web.calls).toEqual([]);
  expect(['NCB', 'HZCB', 'RCC'].map((code) => emulators[`bank:${code}`]!.calls.length > 0)).toEqual([true, true, true]);

  web.setFaults({ mode: 'none' });
  await untilBreaker('bank', 'bank WEB', 'half-open');
  expect(await dossier()).toEqual({ ...healthy, status: 200 });
  expect(await breakerOf('bank', 'bank WEB')).toBe('closed');
});
