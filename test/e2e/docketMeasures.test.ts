import { officerHeaders } from '../support/courtRequest';
import { postGraphQL } from '../support/postGraphQL';
import { callCounts, useStack } from '../support/stack';

/**
 * A docket page listing every case's measures (issue 12): each agency's control interface is
 * asked once for the page's cases together, not once per case and bank (a page of 60 cases
 * used to make about 300 bank calls).
 */
const stack = useStack();

const DOCKET = `query Docket($court: String!) {
  cases(court: $court, first: 60) {
    edges { node { caseNumber
      depositFreezes { id status amountControlled }
      realEstateSeals { id status }
      vehicleSeizures { id status }
      equityFreezes { id status }
      incomeWithholdings { id status monthlyAmount }
    } }
  }
}`;

describe("a docket page with its cases' measures", () => {
  it('asks each agency that records measures once for the whole page, and nothing else', async () => {
    const { caseNumber } = stack().population.scenarios.richDebtor;
    const headers = await officerHeaders(stack().population, caseNumber, { roles: ['supervise'], stateCase: false });
    const answer = await postGraphQL(stack().gateway.url, DOCKET, { court: '浙0106' }, headers);
    expect(answer.errors).toBeUndefined();
    const pageCases = (answer.data!.cases.edges as { node: { caseNumber: string } }[]).map((e) => e.node.caseNumber);
    // Not vacuous: a page of many cases.
    expect(pageCases.length).toBeGreaterThan(10);

    const controlAgencies = ['bank:NCB', 'bank:HZCB', 'bank:WEB', 'realestate', 'vehicle', 'commerce', 'social-insurance'];
    const counts = callCounts(stack().emulators);
    expect(Object.fromEntries(controlAgencies.map((name) => [name, counts[name]]))).toEqual(Object.fromEntries(controlAgencies.map((name) => [name, 1])));
    for (const name of controlAgencies) {
      const [call] = stack().emulators[name]!.calls;
      expect(call!.path).toMatch(/\/cases$/);
      expect([...(call!.body as { caseNumbers: string[] }).caseNumbers].sort()).toEqual([...pageCases].sort());
    }
    // The credit cooperative freezes only on paper: nothing to ask it.
    expect(counts['bank:RCC']).toBe(0);
  });
});
