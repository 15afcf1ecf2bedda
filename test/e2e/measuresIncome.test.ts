import { SOCIAL_INSURANCE_CONTROL_PREFIX } from '../../mocks/social-insurance/server';
import { SUBSISTENCE_MINIMUM_FEN } from '../../mocks/social-insurance/withholding';
import { formatFen } from '../../schemas/identifiers';
import { postInCase } from '../support/courtRequest';
import { useStack } from '../support/stack';
import { DAY_MS, plus, TestClock } from '../support/testClock';

/**
 * Withholding wages and pensions through social insurance, through the gateway (issue 5):
 * within the subsistence cap it takes effect; above it, refused as data with the limit and
 * no control call; a second court's withholding waits and takes effect on release.
 */
const T0 = '2026-03-02T02:00:00.000Z';
const clock = new TestClock(T0);
const stack = useStack({ clock: clock.now });

const WITHHOLD = `mutation Withhold($input: WithholdIncomeInput!) {
  withholdIncome(input: $input) {
    withholding { id requestId status queuePosition courtCode documentNumber termDays termStart termEnd monthlyAmount
                  person { idNumber } case { caseNumber }
                  priorMeasures { courtCode caseNumber status queuePosition amountControlled termEnd } }
    refusal { code message limit limitDays }
  }
}`;
const RELEASE = `mutation Release($input: ReleaseMeasureInput!) {
  releaseIncomeWithholding(input: $input) { withholding { id status endedAt history { kind at note } } refusal { code message } }
}`;
const RENEW = `mutation Renew($input: RenewMeasureInput!) {
  renewIncomeWithholding(input: $input) { withholding { id status termStart termEnd renewals } refusal { code message limitDays } }
}`;
const OF_PERSON = `query Withholdings($id: IdNumber!) {
  person(idNumber: $id) { incomeWithholdings { id status queuePosition courtCode monthlyAmount case { caseNumber } } }
}`;
const OF_CASE = `query CaseWithholdings($case: CaseNumber!) {
  case(caseNumber: $case) { incomeWithholdings { id status termStart termEnd monthlyAmount person { idNumber } history { kind at note } } }
}`;

const control = { roles: ['query', 'control'] as ('query' | 'control')[] };

const population = () => stack().population;
const scenarios = () => population().scenarios;
const inCase = (caseNumber: string, query: string, variables: Record<string, unknown>, options = control) =>
  postInCase(stack().gateway.url, population(), caseNumber, query, variables, options);
const withhold = (caseNumber: string, input: Record<string, unknown>, options = control) =>
  inCase(caseNumber, WITHHOLD, { input: { documentNumber: `${caseNumber}之一`, termDays: 1095, ...input } }, options);
const bureau = () => stack().emulators['social-insurance']!;
const controlCalls = () => bureau().calls.filter((c) => c.path.startsWith(`${SOCIAL_INSURANCE_CONTROL_PREFIX}/`)).length;

/** The most that may be withheld from a person each month, as the scenario data says. */
function limitOf(idNumber: string): number {
  const record = population().socialInsurance.find((r) => r.idNumber === idNumber)!;
  const county = population().persons.find((p) => p.idNumber === idNumber)!.countyCode;
  const income = record.status === 'RETIRED' ? record.monthlyPensionFen : record.contributionBaseFen;
  return income - SUBSISTENCE_MINIMUM_FEN[county]!;
}

describe('income withholding through the gateway', () => {
  it('withholds the rich debtor’s wage within the cap: ACTIVE for its term, on the person and the case', async () => {
    const { idNumber, caseNumber } = scenarios().richDebtor;
    const answer = await withhold(caseNumber, { requestId: 'wage-1', idNumber, monthlyAmount: '3000.00' });
    expect(answer.errors).toBeUndefined();
    const w = answer.data!.withholdIncome.withholding;
    expect(answer.data!.withholdIncome.refusal).toBeNull();
    expect(w).toMatchObject({
      requestId: 'wage-1',
      status: 'ACTIVE',
      queuePosition: null,
      courtCode: '浙0106',
      termDays: 1095,
      termStart: T0,
      termEnd: plus(T0, 1095 * DAY_MS),
      monthlyAmount: '3000.00',
      person: { idNumber },
      case: { caseNumber },
      priorMeasures: [],
    });
    expect(w.id).toMatch(/^social-insurance:\d+$/);

    // The same request id again: the same withholding, never a second one.
    const again = await withhold(caseNumber, { requestId: 'wage-1', idNumber, monthlyAmount: '3000.00' });
    expect(again.data!.withholdIncome.withholding.id).toBe(w.id);

    const ofPerson = await inCase(caseNumber, OF_PERSON, { id: idNumber });
    expect(ofPerson.errors).toBeUndefined();
    expect(ofPerson.data!.person.incomeWithholdings).toEqual([
      { id: w.id, status: 'ACTIVE', queuePosition: null, courtCode: '浙0106', monthlyAmount: '3000.00', case: { caseNumber } },
    ]);
    const ofCase = await inCase(caseNumber, OF_CASE, { case: caseNumber });
    expect(ofCase.errors).toBeUndefined();
    expect(ofCase.data!.case.incomeWithholdings).toEqual([
      {
        id: w.id,
        status: 'ACTIVE',
        termStart: T0,
        termEnd: plus(T0, 1095 * DAY_MS),
        monthlyAmount: '3000.00',
        person: { idNumber },
        history: [
          { kind: 'SUBMITTED', at: T0, note: null },
          { kind: 'ACTIVE', at: T0, note: null },
        ],
      },
    ]);
  });

  it('refuses above the cap as data with the most that may be withheld, with no control call at the bureau', async () => {
    const { idNumber, caseNumber } = scenarios().richDebtor;
    const limit = limitOf(idNumber);
    expect(formatFen(limit)).toBe('16719.00');
    const answer = await withhold(caseNumber, { requestId: 'wage-too-much', idNumber, monthlyAmount: formatFen(limit + 1) });
    expect(answer.errors).toBeUndefined();
    expect(answer.data!.withholdIncome).toEqual({
      withholding: null,
      refusal: {
        code: 'EXCEEDS_LIVING_ALLOWANCE',
        message:
          'Withholding 16719.01 a month would leave less than the local subsistence minimum of 1281.00 out of a monthly wage of 18000.00; at most 16719.00 may be withheld.',
        limit: '16719.00',
        limitDays: null,
      },
    });
    expect(controlCalls()).toBe(0);
    expect(bureau().calls.map((c) => c.path)).toEqual(['/si/exchange/withholdable']);
  });

  it('refuses a term over 1095 days (TERM_TOO_LONG) before the bureau is asked anything', async () => {
    const { idNumber, caseNumber } = scenarios().richDebtor;
    const answer = await withhold(caseNumber, { requestId: 'wage-long', idNumber, monthlyAmount: '100.00', termDays: 1096 });
    expect(answer.data!.withholdIncome).toMatchObject({ withholding: null, refusal: { code: 'TERM_TOO_LONG', limitDays: 1095 } });
    expect(bureau().calls).toEqual([]);
  });

  it('refuses a person who is not a debtor of the case (FORBIDDEN NOT_A_DEBTOR) before the bureau is asked anything', async () => {
    const { spouseIdNumber, caseNumber } = scenarios().richDebtor;
    const answer = await withhold(caseNumber, { requestId: 'spouse', idNumber: spouseIdNumber, monthlyAmount: '100.00' });
    expect(answer.data?.withholdIncome ?? null).toBeNull();
    expect(answer.errors?.[0]?.extensions).toMatchObject({ code: 'FORBIDDEN', reason: 'NOT_A_DEBTOR' });
    expect(bureau().calls).toEqual([]);
  });

  it('refuses without the control role, and in a closed case, before the bureau is asked anything', async () => {
    const { idNumber, caseNumber } = scenarios().richDebtor;
    const queryOnly = await withhold(caseNumber, { requestId: 'no-role', idNumber, monthlyAmount: '100.00' }, { roles: ['query'] });
    expect(queryOnly.errors?.[0]?.extensions).toMatchObject({ code: 'FORBIDDEN', reason: 'MISSING_ROLE' });
    // The closed case's debtor draws a pension, but nothing is withheld in a closed case.
    const closed = scenarios().closedCase;
    const inClosed = await withhold(closed.caseNumber, { requestId: 'closed', idNumber: closed.debtorIdNumber, monthlyAmount: '100.00' });
    expect(inClosed.errors?.[0]?.extensions).toMatchObject({ code: 'FORBIDDEN', reason: 'CASE_NOT_ACTIVE' });
    expect(bureau().calls).toEqual([]);
  });

  it('refuses a debtor the bureau pays nothing (ASSET_NOT_FOUND), with no control call', async () => {
    const { idNumber, caseNumber } = scenarios().debtorWithNothing;
    const answer = await withhold(caseNumber, { requestId: 'nothing', idNumber, monthlyAmount: '100.00' });
    expect(answer.data!.withholdIncome).toMatchObject({ withholding: null, refusal: { code: 'ASSET_NOT_FOUND' } });
    expect(controlCalls()).toBe(0);
  });

  it('withholds a retired debtor’s pension up to the cap exactly', async () => {
    // A retiree who is debtor of an active case (the closed case's retiree cannot be: its case is closed).
    const pensioners = new Set(population().socialInsurance.filter((r) => r.status === 'RETIRED').map((r) => r.idNumber));
    const found = population()
      .cases.filter((c) => c.status === 'ACTIVE')
      .flatMap((c) => c.debtors.flatMap((d) => (d.kind === 'PERSON' && pensioners.has(d.idNumber) ? [{ caseNumber: c.caseNumber, idNumber: d.idNumber }] : [])))
      .find(({ idNumber }) => limitOf(idNumber) > 0)!;
    const limit = formatFen(limitOf(found.idNumber));
    const over = await withhold(found.caseNumber, { requestId: 'pension-over', idNumber: found.idNumber, monthlyAmount: formatFen(limitOf(found.idNumber) + 1) });
    expect(over.data!.withholdIncome.refusal).toMatchObject({ code: 'EXCEEDS_LIVING_ALLOWANCE', limit });
    expect(over.data!.withholdIncome.refusal.message).toContain('monthly pension');
    const exact = await withhold(found.caseNumber, { requestId: 'pension-1', idNumber: found.idNumber, monthlyAmount: limit });
    expect(exact.errors).toBeUndefined();
    expect(exact.data!.withholdIncome.withholding).toMatchObject({ status: 'ACTIVE', monthlyAmount: limit, person: { idNumber: found.idNumber } });
  });

  it('a second court’s withholding waits behind the first; release promotes it; each case sees its own', async () => {
    const { idNumber, caseNumbers } = scenarios().debtorInTwoCourts;
    const [caseA, caseB] = caseNumbers;
    const startA = clock.advance(3_600_000);
    const first = await withhold(caseA, { requestId: 'two-1', idNumber, monthlyAmount: '2000.00', termDays: 365 });
    expect(first.errors).toBeUndefined();
    const a = first.data!.withholdIncome.withholding;
    expect(a).toMatchObject({ status: 'ACTIVE', courtCode: '浙0106', termStart: startA, termEnd: plus(startA, 365 * DAY_MS) });

    clock.advance(3_600_000);
    // Both courts use request id "two-1": request ids are each court's own.
    const second = await withhold(caseB, { requestId: 'two-1', idNumber, monthlyAmount: '1500.00', termDays: 200 });
    expect(second.errors).toBeUndefined();
    const b = second.data!.withholdIncome.withholding;
    expect(b).toMatchObject({ status: 'WAITING', queuePosition: 1, courtCode: '浙0203', termStart: null, termEnd: null, monthlyAmount: '1500.00' });
    expect(b.priorMeasures).toEqual([
      { courtCode: '浙0106', caseNumber: caseA, status: 'ACTIVE', queuePosition: null, amountControlled: null, termEnd: a.termEnd },
    ]);
    const queue = await inCase(caseB, OF_PERSON, { id: idNumber });
    expect(queue.data!.person.incomeWithholdings.map((w: any) => [w.case.caseNumber, w.status, w.queuePosition, w.monthlyAmount])).toEqual([
      [caseA, 'ACTIVE', null, '2000.00'],
      [caseB, 'WAITING', 1, '1500.00'],
    ]);

    // Only the case that placed a withholding may release it.
    const notYours = await inCase(caseB, RELEASE, { input: { measureId: a.id, documentNumber: `${caseB}之二` } });
    expect(notYours.data!.releaseIncomeWithholding).toMatchObject({ withholding: null, refusal: { code: 'NOT_YOUR_MEASURE' } });

    const releasedAt = clock.advance(30 * DAY_MS);
    const released = await inCase(caseA, RELEASE, { input: { measureId: a.id, documentNumber: `${caseA}之二` } });
    expect(released.errors).toBeUndefined();
    expect(released.data!.releaseIncomeWithholding.withholding).toMatchObject({ id: a.id, status: 'RELEASED', endedAt: releasedAt });
    expect(released.data!.releaseIncomeWithholding.withholding.history.map((e: any) => [e.kind, e.note])).toEqual([
      ['SUBMITTED', null],
      ['ACTIVE', null],
      ['RELEASED', `${caseA}之二`],
    ]);

    const ofCaseB = await inCase(caseB, OF_CASE, { case: caseB });
    expect(ofCaseB.errors).toBeUndefined();
    expect(ofCaseB.data!.case.incomeWithholdings).toEqual([
      {
        id: b.id,
        status: 'ACTIVE',
        termStart: releasedAt,
        termEnd: plus(releasedAt, 200 * DAY_MS),
        monthlyAmount: '1500.00',
        person: { idNumber },
        history: [
          { kind: 'SUBMITTED', at: plus(startA, 3_600_000), note: null },
          { kind: 'WAITING', at: plus(startA, 3_600_000), note: 'position 1' },
          { kind: 'ACTIVE', at: releasedAt, note: 'promoted from the waiting list' },
        ],
      },
    ]);
    const ofCaseA = await inCase(caseA, OF_CASE, { case: caseA });
    expect(ofCaseA.data!.case.incomeWithholdings.map((w: any) => [w.id, w.status])).toEqual([[a.id, 'RELEASED']]);

    // Renewal: by its own case, within 1095 days, while active.
    const tooLong = await inCase(caseB, RENEW, { input: { measureId: b.id, termDays: 1096, documentNumber: `${caseB}之三` } });
    expect(tooLong.data!.renewIncomeWithholding).toMatchObject({ withholding: null, refusal: { code: 'TERM_TOO_LONG', limitDays: 1095 } });
    const renewedAt = clock.advance(100 * DAY_MS);
    const renewed = await inCase(caseB, RENEW, { input: { measureId: b.id, termDays: 1095, documentNumber: `${caseB}之三` } });
    expect(renewed.data!.renewIncomeWithholding.withholding).toMatchObject({ status: 'ACTIVE', termStart: renewedAt, termEnd: plus(renewedAt, 1095 * DAY_MS), renewals: 1 });
    const otherAgency = await inCase(caseB, RELEASE, { input: { measureId: 'realestate:1', documentNumber: 'X' } });
    expect(otherAgency.data!.releaseIncomeWithholding.refusal.code).toBe('MEASURE_NOT_FOUND');
  });

  it('the bureau refuses above the cap itself, whatever a court’s software checked (defence in depth)', async () => {
    const { idNumber, caseNumber } = scenarios().richDebtor;
    const response = await fetch(`${bureau().url}${SOCIAL_INSURANCE_CONTROL_PREFIX}/submit`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        requestId: '浙0106/direct-1',
        caseNumber,
        courtCode: '浙0106',
        documentNumber: `${caseNumber}之九`,
        kind: 'WITHHOLD',
        assetKind: 'INCOME',
        assetKey: idNumber,
        termDays: 365,
        amountFen: limitOf(idNumber) + 1,
      }),
    });
    expect(response.status).toBe(422);
    expect(await response.json()).toMatchObject({ code: 'EXCEEDS_LIVING_ALLOWANCE', details: { limitFen: limitOf(idNumber) } });
    const ofPerson = await inCase(caseNumber, OF_PERSON, { id: idNumber });
    expect(ofPerson.data!.person.incomeWithholdings.map((w: any) => w.id)).toHaveLength(1);
  });
});
