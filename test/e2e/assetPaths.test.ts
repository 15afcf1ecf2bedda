import { type GuardWalk, guardWalks, valuesAt } from '../support/assetWalks';
import { officerHeaders, postInCase } from '../support/courtRequest';
import { postGraphQL } from '../support/postGraphQL';
import { useStack } from '../support/stack';
import { TestClock } from '../support/testClock';

/**
 * The running half of the debtor rule (issue 12, defect 1): a query per field that carries the
 * rule, generated from the supergraph (test/support/assetWalks.ts), walks from the court's own
 * docket to another case's debtors and measures. Asked in a case where those parties are no
 * debtors, each guard answers null with FORBIDDEN NOT_A_DEBTOR and no agency is asked for asset
 * data; a supervisor, and an officer who states no case, are refused before any subgraph; the
 * same walk in the parties' own case answers (so the walks reach real data).
 */
const clock = new TestClock('2026-01-05T02:00:00.000Z');
const stack = useStack({ clock: clock.now });

const COURT = '浙0106';
const WALKS = guardWalks({ root: 'Query', field: 'cases' }, '(court: $court, first: 1, after: $after)', '($court: String!, $after: String)', new Set(['EnforcementCase.applicants']));
const control = { roles: ['query', 'control'] as ('query' | 'control')[] };

/** Reads of the control interface: measures are coordination data, asked by case or asset key. */
const MEASURE_READS = /\/(measures|case|cases|feedback)$/;

function inquiryCalls(): string[] {
  return Object.entries(stack().emulators)
    .filter(([name]) => name !== 'court')
    .flatMap(([name, e]) => e.calls.filter((c) => !MEASURE_READS.test(c.path)).map((c) => `${name} ${c.method} ${c.path}`));
}

describe('asset data behind every path, walked from the docket', () => {
  let after: string | null = null;
  const rich = () => stack().population.scenarios.richDebtor;
  const stranger = () => stack().population.scenarios.debtorWithNothing;

  beforeAll(async () => {
    // The rich debtor's case takes a measure of every kind whose record leads to an asset.
    const { caseNumber, idNumber, jointUnitNumber, mortgagedVin } = rich();
    const account = stack().population.bankAccounts.find((a) => a.bankCode === 'NCB' && a.holder.kind === 'PERSON' && a.holder.idNumber === idNumber && a.currency === 'CNY')!;
    const acts = [
      ['freezeDeposit', 'FreezeDepositInput', 'freeze', { bankCode: 'NCB', accountNumber: account.accountNumber, termDays: 365, amount: '100.00' }],
      ['sealRealEstate', 'SealRealEstateInput', 'seal', { unitNumber: jointUnitNumber, termDays: 1095 }],
      ['seizeVehicle', 'SeizeVehicleInput', 'seizure', { vin: mortgagedVin, termDays: 730 }],
    ] as const;
    for (const [mutation, input, field, values] of acts) {
      const answer = await postInCase(stack().gateway.url, stack().population, caseNumber,
        `mutation Act($input: ${input}!) { ${mutation}(input: $input) { ${field} { id status } refusal { code message } } }`,
        { input: { requestId: `walk-${mutation}`, documentNumber: `${caseNumber}之一`, ...values } }, control);
      expect(answer.errors).toBeUndefined();
      expect(answer.data![mutation]).toMatchObject({ [field]: { status: 'ACTIVE' }, refusal: null });
    }
    // The docket page that holds exactly the rich debtor's case.
    const docket = `query Docket($court: String!, $after: String) { cases(court: $court, first: 100, after: $after) { edges { cursor node { caseNumber } } pageInfo { hasNextPage endCursor } } }`;
    let page: string | null = null;
    for (;;) {
      const answer: { data?: Record<string, any> | null } = await postInCase(stack().gateway.url, stack().population, stranger().caseNumber, docket, { court: COURT, after: page });
      const edges = answer.data!.cases.edges as { cursor: string; node: { caseNumber: string } }[];
      const at = edges.findIndex((e) => e.node.caseNumber === caseNumber);
      if (at >= 0) {
        after = at > 0 ? edges[at - 1]!.cursor : page;
        break;
      }
      expect(answer.data!.cases.pageInfo.hasNextPage).toBe(true);
      page = answer.data!.cases.pageInfo.endCursor;
    }
  });

  it('covers every guard the supergraph has on the way from the docket', () => {
    expect(WALKS.map((w) => w.coordinate)).toEqual(
      expect.arrayContaining(['DepositFreeze.account', 'RealEstateSeal.unit', 'VehicleSeizure.vehicle', 'Person.bankAccounts', 'Person.realEstate', 'Person.socialInsurance', 'Company.bankAccounts', 'Company.vehicles']),
    );
  });

  describe.each(WALKS.map((w) => [w.coordinate, w] as [string, GuardWalk]))('%s', (_coordinate, walk) => {
    const variables = () => ({ court: COURT, after });

    it('in a case where that party is no debtor: null with FORBIDDEN NOT_A_DEBTOR, and no agency asked for asset data', async () => {
      const answer = await postInCase(stack().gateway.url, stack().population, stranger().caseNumber, walk.query, variables());
      expect(answer.status).toBe(200);
      const [guarded] = walk.fields.slice(-1);
      const refusals = (answer.errors ?? []).filter((e) => e.path?.filter((p) => typeof p === 'string').at(-1) === guarded);
      expect(refusals.length).toBeGreaterThan(0);
      for (const error of refusals) expect(error.extensions).toMatchObject({ code: 'FORBIDDEN', reason: 'NOT_A_DEBTOR' });
      const values = valuesAt(answer.data, walk.fields);
      expect(values.length).toBeGreaterThan(0);
      expect(values.every((v) => v === null)).toBe(true);
      expect(inquiryCalls()).toEqual([]);
    });

    it('for a supervisor or an officer who states no case: refused before any subgraph', async () => {
      const supervisor = await postGraphQL(stack().gateway.url, walk.query, variables(),
        await officerHeaders(stack().population, stranger().caseNumber, { roles: ['supervise'], stateCase: false }));
      expect([supervisor.data ?? null, supervisor.errors?.[0]?.extensions?.reason]).toEqual([null, 'MISSING_ROLE']);
      const noCase = await postInCase(stack().gateway.url, stack().population, stranger().caseNumber, walk.query, variables(), { stateCase: false });
      expect([noCase.data ?? null, noCase.errors?.[0]?.extensions?.reason]).toEqual([null, 'CASE_REQUIRED']);
      expect(Object.values(stack().emulators).flatMap((e) => e.calls)).toEqual([]);
    });

    it('in the parties own case: answered', async () => {
      const answer = await postInCase(stack().gateway.url, stack().population, rich().caseNumber, walk.query, variables());
      const forbidden = (answer.errors ?? []).filter((e) => e.extensions?.code === 'FORBIDDEN');
      expect(forbidden).toEqual([]);
      expect(valuesAt(answer.data, walk.fields).some((v) => v !== null)).toBe(true);
    });
  });
});
