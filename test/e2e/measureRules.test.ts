import { callCounts, useStack } from '../support/stack';
import { postInCase } from '../support/courtRequest';
import { TestClock } from '../support/testClock';

/**
 * The rules every control mutation rests on, through the gateway (real-estate seals stand in
 * for every kind): the control role, an active case of the caller's court, a debtor's asset,
 * a document number, idempotency under concurrent retries, and durability across a restart
 * of the agency and its subgraph. Each refusal reaches no agency's control interface and is
 * audited.
 */
const clock = new TestClock('2026-02-02T01:00:00.000Z');
const stack = useStack({ clock: clock.now });

const SEAL = `mutation Seal($input: SealRealEstateInput!) {
  sealRealEstate(input: $input) { seal { id requestId status queuePosition documentNumber } refusal { code message limitDays } }
}`;
const SEALS = `query Seals($id: IdNumber!) {
  person(idNumber: $id) { realEstate { unitNumber seals { id requestId status } } }
}`;

const control = { roles: ['query', 'control'] as ('query' | 'control')[] };
const controlCalls = () => stack().emulators.realestate!.calls.filter((c) => c.path.startsWith('/bdc/api/kz/')).length;

async function newestAudit(court: string) {
  const rows = await stack().gateway.audit.reviewOf(court);
  return rows.at(-1)!;
}

describe('control measures: who may act, and on what', () => {
  const contested = () => stack().population.scenarios.contestedHouse;
  const rich = () => stack().population.scenarios.richDebtor;
  const sealIn = (caseNumber: string, input: Record<string, unknown>, options = control) =>
    postInCase(stack().gateway.url, stack().population, caseNumber, SEAL, {
      input: { unitNumber: contested().unitNumber, documentNumber: `${caseNumber}之一`, termDays: 1095, requestId: 'r-1', ...input },
    }, options);

  it('refuses a mutation to an officer without the control role (FORBIDDEN MISSING_ROLE), before any agency, and audits it', async () => {
    const caseNumber = contested().caseNumbers[0];
    const answer = await sealIn(caseNumber, {}, { roles: ['query'] });
    expect(answer.status).toBe(403);
    expect(answer.data ?? null).toBeNull();
    expect(answer.errors![0]!.extensions).toMatchObject({ code: 'FORBIDDEN', reason: 'MISSING_ROLE', field: 'Mutation.sealRealEstate' });
    expect(callCounts(stack().emulators).realestate).toBe(0);
    expect(await newestAudit('浙0106')).toMatchObject({ caseNumber, operationName: 'Seal', outcome: 'REFUSED', errorCodes: ['FORBIDDEN'], agencies: [] });
  });

  it('refuses a closed case, another court\'s case and a missing case header, before any agency', async () => {
    const closed = await sealIn(stack().population.scenarios.closedCase.caseNumber, {});
    expect(closed.errors![0]!.extensions).toMatchObject({ code: 'FORBIDDEN', reason: 'CASE_NOT_ACTIVE' });
    const otherCourt = await sealIn(contested().caseNumbers[1], {}, { ...control, court: '浙0106' } as never);
    expect(otherCourt.errors![0]!.extensions).toMatchObject({ code: 'FORBIDDEN', reason: 'WRONG_COURT' });
    const noCase = await sealIn(contested().caseNumbers[0], {}, { ...control, stateCase: false } as never);
    expect(noCase.errors![0]!.extensions).toMatchObject({ code: 'FORBIDDEN', reason: 'CASE_REQUIRED' });
    expect(callCounts(stack().emulators).realestate).toBe(0);
  });

  it('refuses to seal a unit no debtor of the case owns (FORBIDDEN NOT_A_DEBTOR); the registry is asked only who owns it', async () => {
    // The rich debtor's flat, in the contested house's first case: not that case's debtor.
    const flat = stack().population.realEstate.find((u) => u.owners.some((o) => o.party.kind === 'PERSON' && o.party.idNumber === rich().idNumber))!;
    const answer = await sealIn(contested().caseNumbers[0], { unitNumber: flat.unitNumber });
    expect(answer.data ?? null).toBeNull();
    expect(answer.errors![0]!.extensions).toMatchObject({ code: 'FORBIDDEN', reason: 'NOT_A_DEBTOR' });
    expect(controlCalls()).toBe(0);
    expect(await newestAudit('浙0106')).toMatchObject({ operationName: 'Seal', errorCodes: ['FORBIDDEN'] });
  });

  it('refuses, as data, a missing document number and a term beyond the law, with nothing recorded', async () => {
    const caseNumber = contested().caseNumbers[0];
    const noDocument = await sealIn(caseNumber, { documentNumber: '  ', requestId: 'no-doc' });
    expect(noDocument.data!.sealRealEstate).toEqual({ seal: null, refusal: { code: 'DOCUMENT_NUMBER_REQUIRED', message: expect.any(String), limitDays: null } });
    const tooLong = await sealIn(caseNumber, { termDays: 1096, requestId: 'long' });
    expect(tooLong.data!.sealRealEstate.refusal).toMatchObject({ code: 'TERM_TOO_LONG', limitDays: 1095 });
    expect(tooLong.data!.sealRealEstate.refusal.message).toContain('1095 days');
    const zero = await sealIn(caseNumber, { termDays: 0, requestId: 'zero' });
    expect(zero.errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT' });
    expect(controlCalls()).toBe(0);
  });

  it('50 concurrent requests with one request id make exactly one seal; the same id for another request is refused', async () => {
    const caseNumber = contested().caseNumbers[2];
    const answers = await Promise.all(Array.from({ length: 50 }, () => sealIn(caseNumber, { requestId: 'retry-storm', termDays: 200 })));
    // Every request answered (an error would hide as an undefined id below).
    expect(answers.flatMap((a) => a.errors ?? [])).toEqual([]);
    const ids = new Set(answers.map((a) => a.data?.sealRealEstate.seal?.id));
    expect(ids.size).toBe(1);
    expect([...ids][0]).toMatch(/^realestate:\d+$/);
    const reused = await sealIn(caseNumber, { requestId: 'retry-storm', termDays: 200, documentNumber: 'another ruling' });
    expect(reused.data!.sealRealEstate.refusal).toMatchObject({ code: 'REQUEST_ID_REUSED' });
    // Request ids are the court's own: another court may use the same one.
    const otherCourt = await sealIn(contested().caseNumbers[1], { requestId: 'retry-storm' });
    expect(otherCourt.data!.sealRealEstate.seal).toMatchObject({ requestId: 'retry-storm' });
    expect(otherCourt.data!.sealRealEstate.seal.id).not.toBe([...ids][0]);
    const seals = await postInCase(stack().gateway.url, stack().population, caseNumber, SEALS, { id: contested().idNumber }, control);
    const house = seals.data!.person.realEstate.find((u: { unitNumber: string }) => u.unitNumber === contested().unitNumber);
    expect(house.seals.filter((s: { requestId: string }) => s.requestId === 'retry-storm')).toHaveLength(2);
  });

  it('an accepted seal survives a restart of the registry and its subgraph', async () => {
    const caseNumber = contested().caseNumbers[0];
    const accepted = await sealIn(caseNumber, { requestId: 'before-restart', termDays: 100 });
    const seal = accepted.data!.sealRealEstate.seal;
    expect(seal.id).toMatch(/^realestate:/);
    await stack().restart('realestate');
    const again = await sealIn(caseNumber, { requestId: 'before-restart', termDays: 100 });
    expect(again.data!.sealRealEstate.seal).toEqual(seal);
    const seals = await postInCase(stack().gateway.url, stack().population, caseNumber, SEALS, { id: contested().idNumber }, control);
    const house = seals.data!.person.realEstate.find((u: { unitNumber: string }) => u.unitNumber === contested().unitNumber);
    expect(house.seals).toContainEqual({ id: seal.id, requestId: 'before-restart', status: seal.status });
  });
});
