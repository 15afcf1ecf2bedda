import { createPopulation, type Population } from '../../mocks/population';
import type { Emulator } from '../../mocks/shared/startEmulator';
import { useStack } from '../support/stack';
import { postInCase } from '../support/courtRequest';
import { DAY_MS, plus, TestClock } from '../support/testClock';

/**
 * Vehicle seizures and equity freezes through the gateway (issue 5): a car wanted by two
 * courts, a stake wanted by two courts; the first measure ACTIVE, the second WAITING behind
 * it, promoted on release; the law's term limits, the document number and the debtor rule
 * refused before the agency's control interface is called; the measures shown on the asset,
 * on the company's record and on the case; the vehicle's SEIZED flag following the book.
 */
const T0 = '2026-02-02T01:00:00.000Z';
const clock = new TestClock(T0);

/**
 * The synthetic province, plus a second court's case against the rich debtor, so his stake
 * is wanted by two courts (the scenarios have a debtor in two courts, but one without stakes).
 */
const base = createPopulation({ persons: 300 });
const { richDebtor, debtorInTwoCourts, subsidiary } = base.scenarios;
const SECOND_COURT_CASE = '(2025)浙0203执9001号';
const population: Population = {
  ...base,
  cases: [
    ...base.cases,
    {
      caseNumber: SECOND_COURT_CASE,
      courtCode: '浙0203',
      status: 'ACTIVE',
      cause: '民间借贷纠纷',
      amountDueFen: 300_000_00,
      outstandingFen: 300_000_00,
      filedOn: '2025-10-09',
      closedOn: null,
      officer: '浙0203-011',
      applicants: [{ kind: 'PERSON', idNumber: debtorInTwoCourts.idNumber }],
      debtors: [{ kind: 'PERSON', idNumber: richDebtor.idNumber }],
    },
  ],
};

const stack = useStack({ population, clock: clock.now });
const control = { roles: ['query', 'control'] as ('query' | 'control')[] };
const inCase = (caseNumber: string, query: string, variables: Record<string, unknown>) =>
  postInCase(stack().gateway.url, stack().population, caseNumber, query, variables, control);
/** Calls that reached an emulator's control interface (its inquiries do not count). */
const controlCalls = (emulator: Emulator, prefix: string) => emulator.calls.filter((c) => c.path.startsWith(`${prefix}/`)).length;

const MEASURE = 'id requestId status queuePosition courtCode documentNumber termDays termStart termEnd endedAt case { caseNumber } priorMeasures { courtCode caseNumber status queuePosition termEnd }';

describe('vehicle seizures through the gateway', () => {
  const car = base.vehicles.find((v) => v.owner.kind === 'PERSON' && v.owner.idNumber === debtorInTwoCourts.idNumber)!;
  const [caseA, caseB] = debtorInTwoCourts.caseNumbers;
  const SEIZE = `mutation Seize($input: SeizeVehicleInput!) {
    seizeVehicle(input: $input) { seizure { ${MEASURE} vehicle { vin } } refusal { code message limitDays } }
  }`;
  const RELEASE = `mutation Release($input: ReleaseMeasureInput!) {
    releaseVehicleSeizure(input: $input) { seizure { id status endedAt history { kind note } } refusal { code message } }
  }`;
  const RENEW = `mutation Renew($input: RenewMeasureInput!) {
    renewVehicleSeizure(input: $input) { seizure { id status termStart termEnd renewals } refusal { code message limitDays } }
  }`;
  const VEHICLES = `query Vehicles($id: IdNumber!) {
    person(idNumber: $id) { vehicles { vin status seizures { id status queuePosition termStart termEnd case { caseNumber } } } }
  }`;
  const CASE_SEIZURES = `query CaseSeizures($case: CaseNumber!) {
    case(caseNumber: $case) { vehicleSeizures { id status termStart vehicle { vin plateNumber status } } }
  }`;
  const seize = (caseNumber: string, input: Record<string, unknown>) =>
    inCase(caseNumber, SEIZE, { input: { vin: car.vin, documentNumber: `${caseNumber}之一`, termDays: 730, ...input } });
  const theCar = async () => {
    const answer = await inCase(caseA, VEHICLES, { id: debtorInTwoCourts.idNumber });
    expect(answer.errors).toBeUndefined();
    return (answer.data!.person.vehicles as { vin: string; status: string[]; seizures: any[] }[]).find((v) => v.vin === car.vin)!;
  };

  it('refuses before the registry is asked to control: term over 730 days, no document number, a vehicle of no debtor of the case', async () => {
    const emulator = stack().emulators.vehicle!;
    const tooLong = await seize(caseA, { requestId: 'car-too-long', termDays: 731 });
    expect(tooLong.data!.seizeVehicle).toEqual({ seizure: null, refusal: { code: 'TERM_TOO_LONG', message: expect.stringContaining('730'), limitDays: 730 } });
    const noDocument = await seize(caseA, { requestId: 'car-no-doc', documentNumber: ' ' });
    expect(noDocument.data!.seizeVehicle).toMatchObject({ seizure: null, refusal: { code: 'DOCUMENT_NUMBER_REQUIRED', limitDays: null } });
    // The rich debtor's car: he is no debtor of case A.
    const notTheirs = await seize(caseA, { requestId: 'car-not-theirs', vin: richDebtor.mortgagedVin });
    expect(notTheirs.data).toBeNull();
    expect(notTheirs.errors).toMatchObject([{ extensions: { code: 'FORBIDDEN', reason: 'NOT_A_DEBTOR' } }]);
    expect(controlCalls(emulator, '/jdc/kz')).toBe(0);
  });

  it('seizes for one court, queues the other, shows both, promotes on release, and the SEIZED flag follows the seizure in force', async () => {
    expect((await theCar()).status).toEqual(['NORMAL']);

    const first = await seize(caseA, { requestId: 'car-1' });
    expect(first.errors).toBeUndefined();
    const a = first.data!.seizeVehicle.seizure;
    expect(a).toMatchObject({
      requestId: 'car-1',
      status: 'ACTIVE',
      queuePosition: null,
      courtCode: '浙0106',
      documentNumber: `${caseA}之一`,
      termDays: 730,
      termStart: T0,
      termEnd: plus(T0, 730 * DAY_MS),
      case: { caseNumber: caseA },
      priorMeasures: [],
      vehicle: { vin: car.vin },
    });
    expect(a.id).toMatch(/^vehicle:\d+$/);
    // The seizure is a transfer ban on the VIN: the registry's own inquiry now says so.
    expect((await theCar()).status).toEqual(['SEIZED']);

    // The other court, the same request id (its own key space): WAITING behind the first.
    clock.advance(3_600_000);
    const second = await seize(caseB, { requestId: 'car-1', termDays: 30 });
    expect(second.errors).toBeUndefined();
    const b = second.data!.seizeVehicle.seizure;
    expect(b).toMatchObject({ status: 'WAITING', queuePosition: 1, courtCode: '浙0203', termStart: null, termEnd: null });
    expect(b.priorMeasures).toEqual([{ courtCode: '浙0106', caseNumber: caseA, status: 'ACTIVE', queuePosition: null, termEnd: a.termEnd }]);
    // The same request again is the same seizure, never a second one.
    expect((await seize(caseA, { requestId: 'car-1' })).data!.seizeVehicle.seizure.id).toBe(a.id);

    const seen = await theCar();
    expect(seen.seizures.map((s) => [s.id, s.case.caseNumber, s.status, s.queuePosition])).toEqual([
      [a.id, caseA, 'ACTIVE', null],
      [b.id, caseB, 'WAITING', 1],
    ]);
    const ofCaseB = await inCase(caseB, CASE_SEIZURES, { case: caseB });
    expect(ofCaseB.errors).toBeUndefined();
    expect(ofCaseB.data!.case.vehicleSeizures).toEqual([
      { id: b.id, status: 'WAITING', termStart: null, vehicle: { vin: car.vin, plateNumber: car.plateNumber, status: ['SEIZED'] } },
    ]);

    // Only the placing case renews or releases.
    const notYours = await inCase(caseB, RELEASE, { input: { measureId: a.id, documentNumber: `${caseB}之二` } });
    expect(notYours.data!.releaseVehicleSeizure).toMatchObject({ seizure: null, refusal: { code: 'NOT_YOUR_MEASURE' } });
    const renewTooLong = await inCase(caseA, RENEW, { input: { measureId: a.id, termDays: 731, documentNumber: `${caseA}之三` } });
    expect(renewTooLong.data!.renewVehicleSeizure).toMatchObject({ seizure: null, refusal: { code: 'TERM_TOO_LONG', limitDays: 730 } });

    // Release the first: the second takes effect from the release, with its own 30 days.
    const releasedAt = clock.advance(5 * DAY_MS);
    const released = await inCase(caseA, RELEASE, { input: { measureId: a.id, documentNumber: `${caseA}之二` } });
    expect(released.errors).toBeUndefined();
    expect(released.data!.releaseVehicleSeizure.seizure).toMatchObject({ id: a.id, status: 'RELEASED', endedAt: releasedAt });
    expect(released.data!.releaseVehicleSeizure.seizure.history.map((e: { kind: string }) => e.kind)).toEqual(['SUBMITTED', 'ACTIVE', 'RELEASED']);
    const promoted = await theCar();
    expect(promoted.status).toEqual(['SEIZED']);
    expect(promoted.seizures.map((s) => [s.case.caseNumber, s.status, s.termStart, s.termEnd])).toEqual([
      [caseA, 'RELEASED', T0, plus(T0, 730 * DAY_MS)],
      [caseB, 'ACTIVE', releasedAt, plus(releasedAt, 30 * DAY_MS)],
    ]);

    // Not renewed, the second lapses on the registry's clock; the transfer ban goes with it.
    clock.set(plus(releasedAt, 31 * DAY_MS));
    const lapsed = await theCar();
    expect(lapsed.status).toEqual(['NORMAL']);
    expect(lapsed.seizures.map((s) => s.status)).toEqual(['RELEASED', 'LAPSED']);
  });
});

describe('equity freezes through the gateway', () => {
  const FREEZE = `mutation Freeze($input: FreezeEquityInput!) {
    freezeEquity(input: $input) { freeze { ${MEASURE} shareholding { id ratio holder { ... on Person { idNumber } ... on Company { creditCode } } company { creditCode } } } refusal { code message limitDays } }
  }`;
  const RELEASE = `mutation Release($input: ReleaseMeasureInput!) {
    releaseEquityFreeze(input: $input) { freeze { id status endedAt } refusal { code message } }
  }`;
  const RENEW = `mutation Renew($input: RenewMeasureInput!) {
    renewEquityFreeze(input: $input) { freeze { id status termStart termEnd renewals } refusal { code message limitDays } }
  }`;
  const STAKES = `query Stakes($id: IdNumber!) {
    person(idNumber: $id) { shareholdings { id ratio company { creditCode } freezes { id status queuePosition case { caseNumber } } } }
  }`;
  const COMPANY = `query Company($code: CreditCode!) {
    company(creditCode: $code) {
      equityFreezes { id status courtCode shareholding { id } }
      shareholders { id freezes { id status } }
      shareholdings { company { creditCode equityFreezes { id status shareholding { ratio } } } }
    }
  }`;
  const CASE_FREEZES = `query CaseFreezes($case: CaseNumber!) {
    case(caseNumber: $case) { equityFreezes { id status termStart shareholding { id ratio } } }
  }`;
  const richCase = richDebtor.caseNumber;
  const stakeOf = (company: string, holder: string) => {
    const s = base.shareholdings.find((h) => h.companyCreditCode === company && (h.holder.kind === 'PERSON' ? h.holder.idNumber : h.holder.creditCode) === holder)!;
    return `${company}:${s.id}`;
  };
  const richStake = stakeOf(richDebtor.companyCreditCode, richDebtor.idNumber);
  const spouseStake = stakeOf(richDebtor.companyCreditCode, richDebtor.spouseIdNumber);
  const holdingInSubsidiary = stakeOf(subsidiary.creditCode, richDebtor.companyCreditCode);
  const freeze = (caseNumber: string, input: Record<string, unknown>) =>
    inCase(caseNumber, FREEZE, { input: { shareholdingId: richStake, documentNumber: `${caseNumber}之一`, termDays: 1095, ...input } });

  it('refuses before the registry is asked to control: term over 1095 days, no document number, a stake of no debtor of the case', async () => {
    const emulator = stack().emulators.commerce!;
    const tooLong = await freeze(richCase, { requestId: 'eq-too-long', termDays: 1096 });
    expect(tooLong.data!.freezeEquity).toMatchObject({ freeze: null, refusal: { code: 'TERM_TOO_LONG', limitDays: 1095 } });
    const noDocument = await freeze(richCase, { requestId: 'eq-no-doc', documentNumber: '' });
    expect(noDocument.data!.freezeEquity).toMatchObject({ freeze: null, refusal: { code: 'DOCUMENT_NUMBER_REQUIRED' } });
    // The spouse's 20 % of the same company: she is no debtor of the case.
    const notTheirs = await freeze(richCase, { requestId: 'eq-not-theirs', shareholdingId: spouseStake });
    expect(notTheirs.data).toBeNull();
    expect(notTheirs.errors).toMatchObject([{ extensions: { code: 'FORBIDDEN', reason: 'NOT_A_DEBTOR' } }]);
    // A stake nobody holds is refused as hers is: the refusal does not tell whether a stake exists.
    const unknown = await freeze(richCase, { requestId: 'eq-unknown', shareholdingId: `${richDebtor.companyCreditCode}:SH99999999` });
    expect(unknown.data).toBeNull();
    expect(unknown.errors).toMatchObject([{ extensions: { code: 'FORBIDDEN', reason: 'NOT_A_DEBTOR' } }]);
    expect(controlCalls(emulator, '/api/v2/kz')).toBe(0);
  });

  it('freezes the debtor’s 80 % for one court, queues the other, publishes both on the company’s record, promotes on release', async () => {
    // The court finds the stake in the graph, and freezes it by its id.
    const stakes = await inCase(richCase, STAKES, { id: richDebtor.idNumber });
    expect(stakes.errors).toBeUndefined();
    expect(stakes.data!.person.shareholdings).toContainEqual({ id: richStake, ratio: '80.00', company: { creditCode: richDebtor.companyCreditCode }, freezes: [] });

    const start = clock.iso;
    const first = await freeze(richCase, { requestId: 'eq-1' });
    expect(first.errors).toBeUndefined();
    const a = first.data!.freezeEquity.freeze;
    expect(a).toMatchObject({
      status: 'ACTIVE',
      courtCode: '浙0106',
      termStart: start,
      termEnd: plus(start, 1095 * DAY_MS),
      case: { caseNumber: richCase },
      priorMeasures: [],
      shareholding: { id: richStake, ratio: '80.00', holder: { idNumber: richDebtor.idNumber }, company: { creditCode: richDebtor.companyCreditCode } },
    });
    expect(a.id).toMatch(/^commerce:\d+$/);

    clock.advance(3_600_000);
    const second = await freeze(SECOND_COURT_CASE, { requestId: 'eq-2', termDays: 365 });
    expect(second.errors).toBeUndefined();
    const b = second.data!.freezeEquity.freeze;
    expect(b).toMatchObject({ status: 'WAITING', queuePosition: 1, courtCode: '浙0203', termStart: null, case: { caseNumber: SECOND_COURT_CASE } });
    expect(b.priorMeasures).toEqual([{ courtCode: '浙0106', caseNumber: richCase, status: 'ACTIVE', queuePosition: null, termEnd: a.termEnd }]);

    // A stake the debtor company holds in a company that is no debtor: the holder decides, not the company.
    const inSubsidiary = await freeze(richCase, { requestId: 'eq-3', shareholdingId: holdingInSubsidiary });
    expect(inSubsidiary.errors).toBeUndefined();
    expect(inSubsidiary.data!.freezeEquity.freeze).toMatchObject({ status: 'ACTIVE', shareholding: { ratio: '60.00', holder: { creditCode: richDebtor.companyCreditCode } } });
    const c = inSubsidiary.data!.freezeEquity.freeze;

    const record = await inCase(richCase, COMPANY, { code: richDebtor.companyCreditCode });
    expect(record.errors).toBeUndefined();
    expect(record.data!.company.equityFreezes).toEqual([
      { id: a.id, status: 'ACTIVE', courtCode: '浙0106', shareholding: { id: richStake } },
      { id: b.id, status: 'WAITING', courtCode: '浙0203', shareholding: { id: richStake } },
    ]);
    expect(record.data!.company.shareholders).toEqual([
      { id: richStake, freezes: [{ id: a.id, status: 'ACTIVE' }, { id: b.id, status: 'WAITING' }] },
      { id: spouseStake, freezes: [] },
    ]);
    // The subsidiary is no debtor, but its record is public: the freeze shows there too.
    expect(record.data!.company.shareholdings).toEqual([
      { company: { creditCode: subsidiary.creditCode, equityFreezes: [{ id: c.id, status: 'ACTIVE', shareholding: { ratio: '60.00' } }] } },
    ]);

    const renewTooLong = await inCase(richCase, RENEW, { input: { measureId: a.id, termDays: 1096, documentNumber: `${richCase}之三` } });
    expect(renewTooLong.data!.renewEquityFreeze).toMatchObject({ freeze: null, refusal: { code: 'TERM_TOO_LONG', limitDays: 1095 } });
    const notYours = await inCase(SECOND_COURT_CASE, RELEASE, { input: { measureId: a.id, documentNumber: 'X' } });
    expect(notYours.data!.releaseEquityFreeze).toMatchObject({ freeze: null, refusal: { code: 'NOT_YOUR_MEASURE' } });
    const otherAgency = await inCase(richCase, RELEASE, { input: { measureId: 'vehicle:1', documentNumber: 'X' } });
    expect(otherAgency.data!.releaseEquityFreeze).toMatchObject({ freeze: null, refusal: { code: 'MEASURE_NOT_FOUND' } });

    const releasedAt = clock.advance(2 * DAY_MS);
    const released = await inCase(richCase, RELEASE, { input: { measureId: a.id, documentNumber: `${richCase}之二` } });
    expect(released.data!.releaseEquityFreeze.freeze).toEqual({ id: a.id, status: 'RELEASED', endedAt: releasedAt });

    const ofSecondCase = await inCase(SECOND_COURT_CASE, CASE_FREEZES, { case: SECOND_COURT_CASE });
    expect(ofSecondCase.errors).toBeUndefined();
    expect(ofSecondCase.data!.case.equityFreezes).toEqual([{ id: b.id, status: 'ACTIVE', termStart: releasedAt, shareholding: { id: richStake, ratio: '80.00' } }]);
    const ofRichCase = await inCase(richCase, CASE_FREEZES, { case: richCase });
    expect(ofRichCase.data!.case.equityFreezes.map((f: { id: string; status: string }) => [f.id, f.status])).toEqual([
      [a.id, 'RELEASED'],
      [c.id, 'ACTIVE'],
    ]);
  });
});
