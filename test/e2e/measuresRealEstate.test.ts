import { useStack } from '../support/stack';
import { postInCase } from '../support/courtRequest';
import { DAY_MS, plus, TestClock } from '../support/testClock';

/**
 * Seals on one house through the gateway (issue 5's scenario): two courts, three cases, one
 * seal in force and two waiting; release of the first promotes the second; expiry of the
 * second (on the agencies' clock) promotes the third.
 */
const T0 = '2026-01-05T02:00:00.000Z';
const clock = new TestClock(T0);
const stack = useStack({ clock: clock.now });

const SEAL = `mutation Seal($input: SealRealEstateInput!) {
  sealRealEstate(input: $input) {
    seal { id requestId status queuePosition courtCode documentNumber termDays termStart termEnd servedAt case { caseNumber }
           priorMeasures { courtCode caseNumber status queuePosition termEnd } }
    refusal { code message limitDays }
  }
}`;
const RELEASE = `mutation Release($input: ReleaseMeasureInput!) {
  releaseRealEstateSeal(input: $input) { seal { id status endedAt history { kind at note } } refusal { code message } }
}`;
const RENEW = `mutation Renew($input: RenewMeasureInput!) {
  renewRealEstateSeal(input: $input) { seal { id status termStart termEnd renewals } refusal { code message limitDays } }
}`;
const SEALS_OF_DEBTOR = `query Seals($id: IdNumber!) {
  person(idNumber: $id) { realEstate { unitNumber seals { id status queuePosition termStart termEnd endedAt case { caseNumber } } } }
}`;
const SEALS_OF_CASE = `query CaseSeals($case: CaseNumber!) {
  case(caseNumber: $case) { realEstateSeals { id status termStart termEnd history { kind at note } unit { unitNumber } } }
}`;

const control = { roles: ['query', 'control'] as ('query' | 'control')[] };

describe('seals on a contested house through the gateway', () => {
  const scenario = () => stack().population.scenarios.contestedHouse;
  const seal = (caseIndex: 0 | 1 | 2, input: Record<string, unknown>, roles = control) => {
    const caseNumber = scenario().caseNumbers[caseIndex];
    return postInCase(stack().gateway.url, stack().population, caseNumber, SEAL, {
      input: { unitNumber: scenario().unitNumber, documentNumber: `${caseNumber}之一`, termDays: 1095, ...input },
    }, roles);
  };
  const inCase = (caseIndex: 0 | 1 | 2, query: string, variables: Record<string, unknown>) =>
    postInCase(stack().gateway.url, stack().population, scenario().caseNumbers[caseIndex], query, variables, control);
  const sealsOnHouse = async () => {
    const answer = await inCase(2, SEALS_OF_DEBTOR, { id: scenario().idNumber });
    expect(answer.errors).toBeUndefined();
    const unit = (answer.data!.person.realEstate as { unitNumber: string; seals: any[] }[]).find((u) => u.unitNumber === scenario().unitNumber)!;
    return unit.seals.map((s) => [s.case.caseNumber, s.status, s.queuePosition]);
  };

  it('active, waiting 1, waiting 2; release -> promotion; expiry -> promotion; each case sees its own', async () => {
    const [caseA, caseB, caseC] = scenario().caseNumbers;
    const first = await seal(0, { requestId: 'house-1', termDays: 1095 });
    expect(first.errors).toBeUndefined();
    const a = first.data!.sealRealEstate.seal;
    expect(a).toMatchObject({ requestId: 'house-1', status: 'ACTIVE', queuePosition: null, courtCode: '浙0106', termStart: T0, termEnd: plus(T0, 1095 * DAY_MS), priorMeasures: [] });
    expect(a.id).toMatch(/^realestate:\d+$/);

    clock.advance(3_600_000);
    const second = (await seal(1, { requestId: 'house-1', termDays: 30 })).data!.sealRealEstate.seal;
    // The other court's seal is what this one queues behind, and the answer says so.
    expect(second).toMatchObject({ status: 'WAITING', queuePosition: 1, courtCode: '浙0203', termStart: null, termEnd: null });
    expect(second.priorMeasures).toEqual([{ courtCode: '浙0106', caseNumber: caseA, status: 'ACTIVE', queuePosition: null, termEnd: a.termEnd }]);
    clock.advance(3_600_000);
    const third = (await seal(2, { requestId: 'house-3', termDays: 365 })).data!.sealRealEstate.seal;
    expect([third.status, third.queuePosition]).toEqual(['WAITING', 2]);
    expect(await sealsOnHouse()).toEqual([
      [caseA, 'ACTIVE', null],
      [caseB, 'WAITING', 1],
      [caseC, 'WAITING', 2],
    ]);

    // Release the first: the second takes effect from the release, the third moves up.
    const releasedAt = clock.advance(10 * DAY_MS);
    const released = await inCase(0, RELEASE, { input: { measureId: a.id, documentNumber: `${caseA}之二` } });
    expect(released.data!.releaseRealEstateSeal.seal).toMatchObject({ status: 'RELEASED', endedAt: releasedAt });
    expect(released.data!.releaseRealEstateSeal.seal.history.map((e: any) => [e.kind, e.note])).toEqual([
      ['SUBMITTED', null],
      ['ACTIVE', null],
      ['RELEASED', `${caseA}之二`],
    ]);
    expect(await sealsOnHouse()).toEqual([
      [caseA, 'RELEASED', null],
      [caseB, 'ACTIVE', null],
      [caseC, 'WAITING', 1],
    ]);

    // The second's 30 days run out on the agencies' clock: it lapses, the third takes effect then.
    const secondEnds = plus(releasedAt, 30 * DAY_MS);
    clock.set(plus(secondEnds, DAY_MS));
    expect(await sealsOnHouse()).toEqual([
      [caseA, 'RELEASED', null],
      [caseB, 'LAPSED', null],
      [caseC, 'ACTIVE', null],
    ]);
    const ofCase = await inCase(2, SEALS_OF_CASE, { case: caseC });
    expect(ofCase.errors).toBeUndefined();
    expect(ofCase.data!.case.realEstateSeals).toEqual([
      {
        id: third.id,
        status: 'ACTIVE',
        termStart: secondEnds,
        termEnd: plus(secondEnds, 365 * DAY_MS),
        history: [
          { kind: 'SUBMITTED', at: plus(T0, 7_200_000), note: null },
          { kind: 'WAITING', at: plus(T0, 7_200_000), note: 'position 2' },
          { kind: 'ACTIVE', at: secondEnds, note: 'promoted from the waiting list' },
        ],
        unit: { unitNumber: scenario().unitNumber },
      },
    ]);

    // Renewal: only by its own case, within 1095 days, while active.
    const otherCourt = await inCase(0, RENEW, { input: { measureId: third.id, termDays: 400, documentNumber: 'X' } });
    expect(otherCourt.data!.renewRealEstateSeal).toMatchObject({ seal: null, refusal: { code: 'NOT_YOUR_MEASURE' } });
    const tooLong = await inCase(2, RENEW, { input: { measureId: third.id, termDays: 1096, documentNumber: `${caseC}之三` } });
    expect(tooLong.data!.renewRealEstateSeal).toMatchObject({ seal: null, refusal: { code: 'TERM_TOO_LONG', limitDays: 1095 } });
    const renewedAt = clock.advance(100 * DAY_MS);
    const renewed = await inCase(2, RENEW, { input: { measureId: third.id, termDays: 1095, documentNumber: `${caseC}之三` } });
    expect(renewed.data!.renewRealEstateSeal.seal).toMatchObject({ status: 'ACTIVE', termStart: renewedAt, termEnd: plus(renewedAt, 1095 * DAY_MS), renewals: 1 });
    const lapsed = await inCase(1, RENEW, { input: { measureId: second.id, termDays: 30, documentNumber: 'B' } });
    expect(lapsed.data!.renewRealEstateSeal.refusal.code).toBe('NOT_ACTIVE');
  });
});
