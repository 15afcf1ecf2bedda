/**
 * Who looked at me, once measures take effect (issue 12, defect 2), through the real stack:
 * an open case's requests stay hidden from a debtor while the measures on the debtor's assets
 * are only served or waiting, and show once one of them has been ACTIVE (also after its
 * release). Agencies answer an hour after they are served, on the agencies' clock, which the
 * test moves; nothing here waits on the machine's speed.
 */
import { randomBytes } from 'node:crypto';
import { issueDevToken } from '../../gateway/auth/devIssuer';
import { postInCase } from '../support/courtRequest';
import { postGraphQL } from '../support/postGraphQL';
import { useStack } from '../support/stack';
import { TestClock } from '../support/testClock';

const HOUR = 3_600_000;
const clock = new TestClock('2026-01-05T02:00:00.000Z');
const stack = useStack({ persons: 300, clock: clock.now, agencyAnswerDelayMs: HOUR });

const ACCESS_LOG = '{ accessLog { requestId caseNumber operationName outcome } }';
const SEAL = `mutation Seal($input: SealRealEstateInput!) { sealRealEstate(input: $input) { seal { id status } refusal { code message } } }`;
const RELEASE_SEAL = `mutation Release($input: ReleaseMeasureInput!) { releaseRealEstateSeal(input: $input) { seal { id status } refusal { code message } } }`;
const FREEZE = `mutation Freeze($input: FreezeDepositInput!) { freezeDeposit(input: $input) { freeze { id status } refusal { code message } } }`;
const CASE_MEASURES = `query CaseMeasures($case: CaseNumber!) { case(caseNumber: $case) { realEstateSeals { id status } depositFreezes { id status } } }`;
const control = { roles: ['query', 'control'] as ('query' | 'control')[] };
/** An operation name no other test uses, to find its record. */
const named = (what: string) => `${what}${randomBytes(4).toString('hex')}`;

interface Access { operationName: string | null; caseNumber: string | null; outcome: string }

/** The names of the operations the citizen sees in their access log. */
async function seenBy(idNumber: string): Promise<(string | null)[]> {
  const token = await issueDevToken({ kind: 'citizen', idNumber });
  const answer = await postGraphQL<{ accessLog: Access[] }>(stack().gateway.url, ACCESS_LOG, undefined, { authorization: `Bearer ${token}` });
  expect(answer.errors).toBeUndefined();
  return answer.data!.accessLog.map((r) => r.operationName);
}

/** Looks a person up in a case, as that case's officer, under a fresh operation name. */
async function lookUp(caseNumber: string, idNumber: string, what: string): Promise<string> {
  const op = named(what);
  await postInCase(stack().gateway.url, stack().population, caseNumber, `query ${op}($id: IdNumber!) { person(idNumber: $id) { name realEstate { unitNumber } } }`, { id: idNumber });
  return op;
}

async function inCase(caseNumber: string, query: string, variables: Record<string, unknown>) {
  const answer = await postInCase(stack().gateway.url, stack().population, caseNumber, query, variables, control);
  expect(answer.errors).toBeUndefined();
  return answer.data!;
}

/** The statuses of a case's seals and freezes, read through the gateway (which also picks up answers due). */
async function measuresOf(caseNumber: string): Promise<{ seals: string[]; freezes: string[] }> {
  const { case: kase } = await inCase(caseNumber, CASE_MEASURES, { case: caseNumber });
  return { seals: kase.realEstateSeals.map((s: { status: string }) => s.status), freezes: kase.depositFreezes.map((f: { status: string }) => f.status) };
}

const seal = async (caseNumber: string, unitNumber: string, requestId: string) =>
  (await inCase(caseNumber, SEAL, { input: { requestId, unitNumber, documentNumber: `${caseNumber}之一`, termDays: 1095 } })).sealRealEstate.seal as { id: string; status: string };
const release = async (caseNumber: string, measureId: string) =>
  (await inCase(caseNumber, RELEASE_SEAL, { input: { measureId, documentNumber: `${caseNumber}之二` } })).releaseRealEstateSeal.seal as { status: string };

describe('who looked at me, once measures take effect', () => {
  it("shows the debtor an open case's requests once the seal of their house is ACTIVE, not while it is SUBMITTED, nor for a co-debtor's freeze; never to the co-owner", async () => {
    const { population } = stack();
    const rich = population.scenarios.richDebtor;
    const look = await lookUp(rich.caseNumber, rich.idNumber, 'RichAssets');
    const dossier = named('RichDossier');
    await inCase(rich.caseNumber, `query ${dossier}($case: CaseNumber!) { case(caseNumber: $case) { debtors { ... on Person { idNumber } } } }`, { case: rich.caseNumber });
    // The spouse co-owns the house but is no debtor: refused, and recorded as naming them.
    const spouseLook = await lookUp(rich.caseNumber, rich.spouseIdNumber, 'SpouseLook');
    expect(await seenBy(rich.idNumber)).not.toContain(look);

    // The co-debtor company's deposit frozen in the same case: a measure against another debtor.
    const companyAccount = population.bankAccounts.find((a) => a.holder.kind === 'COMPANY' && a.holder.creditCode === rich.companyCreditCode && a.bankCode === 'HZCB' && a.currency === 'CNY')!;
    const freeze = (await inCase(rich.caseNumber, FREEZE, {
      input: { requestId: 'company-1', bankCode: 'HZCB', accountNumber: companyAccount.accountNumber, documentNumber: `${rich.caseNumber}之一`, termDays: 365, amount: '1000.00' },
    })).freezeDeposit;
    expect(freeze).toMatchObject({ freeze: { status: 'SUBMITTED' }, refusal: null });
    clock.advance(HOUR);
    expect(await measuresOf(rich.caseNumber)).toEqual({ seals: [], freezes: ['ACTIVE'] });
    let seen = await seenBy(rich.idNumber);
    expect(seen).not.toContain(look);
    expect(seen).not.toContain(dossier);

    // The debtor's own (joint) house: served, not answered yet.
    const onHouse = await seal(rich.caseNumber, rich.jointUnitNumber, 'house-1');
    expect(onHouse.status).toBe('SUBMITTED');
    seen = await seenBy(rich.idNumber);
    expect(seen).not.toContain(look);
    expect(seen).not.toContain(dossier);

    // The registry answers: the seal is ACTIVE, and the debtor sees the case's requests.
    clock.advance(HOUR);
    expect((await measuresOf(rich.caseNumber)).seals).toEqual(['ACTIVE']);
    seen = await seenBy(rich.idNumber);
    expect(seen).toEqual(expect.arrayContaining([look, dossier]));
    expect(seen).not.toContain(spouseLook);
    expect(await seenBy(rich.spouseIdNumber)).not.toContain(spouseLook);

    // Each agency is asked once per open case, however many requests state it; a closed case never.
    const closedLook = named('ClosedLook');
    await postInCase(stack().gateway.url, population, population.scenarios.closedCase.caseNumber, `query ${closedLook}($id: IdNumber!) { person(idNumber: $id) { name } }`, { id: rich.idNumber });
    for (const e of Object.values(stack().emulators)) e.resetCalls();
    expect(await seenBy(rich.idNumber)).toEqual(expect.arrayContaining([look, dossier, closedLook]));
    const caseAsks = (name: string) => stack().emulators[name]!.calls.filter((c) => /\/cases$/.test(c.path)).map((c) => (c.body as { caseNumbers: string[] }).caseNumbers);
    for (const name of ['realestate', 'vehicle', 'commerce', 'social-insurance', 'bank:NCB', 'bank:HZCB', 'bank:WEB']) expect(caseAsks(name)).toEqual([[rich.caseNumber]]);
    expect(stack().emulators['bank:RCC']!.calls).toEqual([]);

    // It has taken effect for good: released, the requests stay shown.
    clock.advance(HOUR);
    expect(await release(rich.caseNumber, onHouse.id)).toMatchObject({ status: 'RELEASED' });
    expect(await seenBy(rich.idNumber)).toEqual(expect.arrayContaining([look, dossier]));
  });

  it("reveals only the case whose measure took effect: not a case whose seal waits behind it, nor a third case; and an agency that cannot answer reveals nothing", async () => {
    const { population } = stack();
    const house = population.scenarios.contestedHouse;
    const [caseA, caseB, caseC] = house.caseNumbers;
    const lookA = await lookUp(caseA, house.idNumber, 'HouseA');
    const lookB = await lookUp(caseB, house.idNumber, 'HouseB');
    const lookC = await lookUp(caseC, house.idNumber, 'HouseC');
    // A request stating no case: refused, and shown whatever the agencies say.
    const noCase = named('NoCase');
    const refused = await postInCase(stack().gateway.url, population, caseA, `query ${noCase}($id: IdNumber!) { person(idNumber: $id) { name } }`, { id: house.idNumber }, { stateCase: false });
    expect(refused.errors?.[0]?.extensions).toMatchObject({ code: 'FORBIDDEN' });
    expect(await seenBy(house.idNumber)).toEqual([noCase]);

    const sealA = await seal(caseA, house.unitNumber, 'contested-a');
    clock.advance(HOUR);
    expect((await measuresOf(caseA)).seals).toEqual(['ACTIVE']);
    await seal(caseB, house.unitNumber, 'contested-b');
    clock.advance(HOUR);
    expect((await measuresOf(caseB)).seals).toEqual(['WAITING']);
    expect(await seenBy(house.idNumber)).toEqual([noCase, lookA]);

    // A's seal released: B's takes effect from the waiting list; A's requests stay shown.
    expect(await release(caseA, sealA.id)).toMatchObject({ status: 'RELEASED' });
    expect((await measuresOf(caseB)).seals).toEqual(['ACTIVE']);
    expect(await seenBy(house.idNumber)).toEqual([noCase, lookB, lookA]);
    expect(await seenBy(house.idNumber)).not.toContain(lookC);

    // The registry down: it confirms no seal, so both cases are hidden again, and the log still answers.
    stack().emulators.realestate!.setFaults({ mode: 'down', extraLatencyMs: 0 });
    expect(await seenBy(house.idNumber)).toEqual([noCase]);
  });
});
