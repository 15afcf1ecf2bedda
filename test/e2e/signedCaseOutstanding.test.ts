/**
 * The gateway tells every subgraph of a case-bound request what the case still has to
 * recover (`caseOutstandingFen`, integer fen as a string), as the court case system holds
 * it, so a subgraph can refuse a seizure beyond it. Observed where a subgraph takes the
 * verified claims in: `withAgencyHeaders` (startSubgraph passes it the claims it puts on `context.signed`).
 */
import * as agencyHeaders from '../../subgraphs/shared/agencyHeaders';
import type { GatewayClaims } from '../../lib/gatewaySignature';
import { postInCase } from '../support/courtRequest';
import { useStack } from '../support/stack';

const stack = useStack({ persons: 200 });

describe('the case\'s outstanding amount reaches the subgraphs', () => {
  const received: GatewayClaims[] = [];
  let spy: jest.SpyInstance;
  beforeAll(() => {
    const original = agencyHeaders.withAgencyHeaders;
    spy = jest.spyOn(agencyHeaders, 'withAgencyHeaders').mockImplementation((claims, fn) => {
      received.push(claims);
      return original(claims, fn);
    });
  });
  afterAll(() => spy.mockRestore());
  beforeEach(() => {
    received.length = 0;
  });

  it('a case-bound request signs caseOutstandingFen for each subgraph it reaches, the bank\'s among them', async () => {
    const { population, gateway, emulators } = stack();
    const rich = population.scenarios.richDebtor;
    const kase = population.cases.find((c) => c.caseNumber === rich.caseNumber)!;
    const answer = await postInCase(gateway.url, population, rich.caseNumber, `{ person(idNumber: "${rich.idNumber}") { bankAccounts { accountNumber } } }`);
    expect(answer.errors).toBeUndefined();
    expect(answer.data?.person.bankAccounts.length).toBeGreaterThan(0);

    // The gateway's own case lookup goes out before the case is known; every call after it carries the facts.
    const bound = received.filter((claims) => claims.debtors !== undefined);
    expect(bound.length).toBeGreaterThan(0);
    for (const claims of bound) {
      expect(claims).toMatchObject({ caseNumber: rich.caseNumber, caseOutstandingFen: String(kase.outstandingFen) });
    }
    expect(received.filter((claims) => claims.debtors === undefined).every((claims) => claims.caseOutstandingFen === undefined)).toBe(true);

    // The bank subgraph was among them: the banks were asked under the request those claims were signed for.
    const bankCalls = Object.values(emulators).filter((e) => e.name.startsWith('bank ')).flatMap((e) => e.calls);
    expect(bankCalls.length).toBeGreaterThan(0);
    const boundRequests = new Set(bound.map((claims) => encodeURIComponent(claims.requestId)));
    for (const call of bankCalls) expect(boundRequests.has(String(call.headers['x-request-id']))).toBe(true);
  });
});
