import { REAL_ESTATE_CONTROL_PREFIX } from '../../mocks/realestate/server';
import type { Emulator } from '../../mocks/shared/startEmulator';
import { idNumberCheckChar, vinCheckChar } from '../../schemas/identifiers';
import { type GraphQLAnswer } from '../support/postGraphQL';
import { postInCase } from '../support/courtRequest';
import { useStack } from '../support/stack';
import { TestClock } from '../support/testClock';

/**
 * Issue 12, defect 4: a control act on an asset no debtor of the case holds is refused before
 * any agency is asked about that asset, and the same way whether the asset is someone else's
 * or nobody's, so a control officer cannot probe who holds what. Ownership is read from the
 * debtors' own holdings (which the case allows asking for); the agency hears of no other key.
 */
const clock = new TestClock('2026-02-02T01:00:00.000Z');
const stack = useStack({ persons: 300, clock: clock.now });
const control = { roles: ['query', 'control'] as ('query' | 'control')[] };

const population = () => stack().population;
const rich = () => population().scenarios.richDebtor;
/** The rich debtor's case: him and his company. */
const caseNumber = () => rich().caseNumber;
const debtors = () => new Set(population().cases.find((c) => c.caseNumber === caseNumber())!.debtors.map((d) => (d.kind === 'PERSON' ? d.idNumber : d.creditCode)));
const act = (query: string, input: Record<string, unknown>) =>
  postInCase(stack().gateway.url, population(), caseNumber(), query, {
    input: { requestId: 'probe', documentNumber: `${caseNumber()}之一`, termDays: 30, ...input },
  }, control);

/** The answer with the asset's key blotted out: what a court could tell two keys apart by. */
const blotted = (answer: GraphQLAnswer & { status: number }, key: string) => JSON.parse(JSON.stringify(answer).split(key).join('<key>'));

/** The refusal of an asset no debtor of the case holds, exactly as the court receives it. */
const refusedAsNoDebtors = (serviceName: string, field: string, asset: string) => ({
  status: 200,
  data: null,
  errors: [
    {
      message: `No debtor of case ${caseNumber()} holds ${asset}: it cannot be controlled in that case.`,
      path: [field],
      extensions: { code: 'FORBIDDEN', reason: 'NOT_A_DEBTOR', serviceName },
    },
  ],
});

/**
 * Every call the agency received is an inquiry into the holdings of debtors of the case
 * (`path`, with the owners' keys in the body's `field`), and none names `keys`.
 */
function expectOnlyDebtorsHoldings(emulator: Emulator, path: string, field: string, keys: string[]): void {
  expect(emulator.calls.length).toBeGreaterThan(0);
  for (const call of emulator.calls) {
    expect([call.method, call.path]).toEqual(['POST', path]);
    const owners = (call.body as Record<string, string[]>)[field]!;
    expect(owners.length).toBeGreaterThan(0);
    for (const owner of owners) expect(debtors()).toContain(owner);
  }
  const sent = JSON.stringify(emulator.calls.map((c) => c.body));
  for (const key of keys) expect(sent).not.toContain(key);
}

describe('control acts on an asset no debtor of the case holds', () => {
  it('real estate: a stranger’s unit and a number nobody holds get the same refusal; the registries hear only of the debtors', async () => {
    const SEAL = `mutation Seal($input: SealRealEstateInput!) { sealRealEstate(input: $input) { seal { id } refusal { code message } } }`;
    const stranger = population().scenarios.contestedHouse.unitNumber;
    const nobodys = `${stranger.slice(0, 12)}GB99999F00019999`;
    expect(population().realEstate.map((u) => u.unitNumber)).not.toContain(nobodys);
    expect(debtors()).not.toContain(population().scenarios.contestedHouse.idNumber);

    const ofStranger = await act(SEAL, { unitNumber: stranger });
    const ofNobody = await act(SEAL, { unitNumber: nobodys });
    expect(blotted(ofStranger, stranger)).toEqual(blotted(ofNobody, nobodys));
    expectOnlyDebtorsHoldings(stack().emulators.realestate!, '/bdc/api/qlr/cx', 'zjhm', [stranger, nobodys]);
    expect(ofStranger).toEqual(refusedAsNoDebtors('realestate', 'sealRealEstate', `unit ${stranger}`));
  });

  it('real estate: a flat a debtor co-owns with a non-debtor is sealed, the notice naming the debtor', async () => {
    const SEAL = `mutation Seal($input: SealRealEstateInput!) { sealRealEstate(input: $input) { seal { status unit { unitNumber } } refusal { code } } }`;
    const answer = await act(SEAL, { requestId: 'joint', unitNumber: rich().jointUnitNumber });
    expect(answer.errors).toBeUndefined();
    expect(answer.data!.sealRealEstate).toEqual({ seal: { status: 'ACTIVE', unit: { unitNumber: rich().jointUnitNumber } }, refusal: null });
    const submitted = stack().emulators.realestate!.calls.filter((c) => c.path === `${REAL_ESTATE_CONTROL_PREFIX}/submit`);
    expect(submitted.map((c) => (c.body as { assetKey: string; partyKey: string })).map(({ assetKey, partyKey }) => ({ assetKey, partyKey }))).toEqual([
      { assetKey: rich().jointUnitNumber, partyKey: rich().idNumber },
    ]);
  });

  it('vehicles: a stranger’s car and a VIN nobody holds get the same refusal; the registry hears only of the debtors', async () => {
    const SEIZE = `mutation Seize($input: SeizeVehicleInput!) { seizeVehicle(input: $input) { seizure { id } refusal { code message } } }`;
    const car = population().vehicles.find((v) => v.owner.kind === 'PERSON' && !debtors().has(v.owner.idNumber))!;
    const draft = 'LZZ1A2B30R9900001';
    const nobodys = draft.slice(0, 8) + vinCheckChar(draft) + draft.slice(9);
    expect(population().vehicles.map((v) => v.vin)).not.toContain(nobodys);

    const ofStranger = await act(SEIZE, { vin: car.vin });
    const ofNobody = await act(SEIZE, { vin: nobodys });
    expect(blotted(ofStranger, car.vin)).toEqual(blotted(ofNobody, nobodys));
    expectOnlyDebtorsHoldings(stack().emulators.vehicle!, '/jdc/query/byOwner', 'SFZMHM', [car.vin, nobodys]);
    expect(ofStranger).toEqual(refusedAsNoDebtors('vehicle', 'seizeVehicle', `the vehicle with VIN ${car.vin}`));
  });

  it('equity: the spouse’s stake, a stake id nobody holds and a malformed id get the same refusal; the registry hears only of the debtors', async () => {
    const FREEZE = `mutation Freeze($input: FreezeEquityInput!) { freezeEquity(input: $input) { freeze { id } refusal { code message } } }`;
    const company = rich().companyCreditCode;
    const spouses = population().shareholdings.find((s) => s.companyCreditCode === company && s.holder.kind === 'PERSON' && s.holder.idNumber === rich().spouseIdNumber)!;
    const stranger = `${company}:${spouses.id}`;
    const nobodys = `${company}:SH99999999`;
    const malformed = 'not-a-stake';
    expect(population().shareholdings.map((s) => `${s.companyCreditCode}:${s.id}`)).not.toContain(nobodys);

    const ofStranger = await act(FREEZE, { shareholdingId: stranger });
    const ofNobody = await act(FREEZE, { shareholdingId: nobodys });
    const ofMalformed = await act(FREEZE, { shareholdingId: malformed });
    expect(blotted(ofStranger, stranger)).toEqual(blotted(ofNobody, nobodys));
    expect(blotted(ofStranger, stranger)).toEqual(blotted(ofMalformed, malformed));
    // Not even the company's record is asked for: that would tell the registry which stake the court is after.
    expectOnlyDebtorsHoldings(stack().emulators.commerce!, '/api/v2/investors/batch', 'cernos', [stranger, nobodys, spouses.id]);
    expect(ofStranger).toEqual(refusedAsNoDebtors('commerce', 'freezeEquity', `shareholding ${stranger}`));
  });

  it('income: a stranger the bureau pays and an ID number nobody holds get the same refusal; the bureau is asked nothing', async () => {
    const WITHHOLD = `mutation Withhold($input: WithholdIncomeInput!) { withholdIncome(input: $input) { withholding { id } refusal { code message } } }`;
    const paid = population().socialInsurance.find((r) => r.status !== 'SUSPENDED' && !debtors().has(r.idNumber))!;
    const first17 = '33010619800101998';
    const nobodys = first17 + idNumberCheckChar(first17);
    expect(population().persons.map((p) => p.idNumber)).not.toContain(nobodys);

    const ofStranger = await act(WITHHOLD, { idNumber: paid.idNumber, monthlyAmount: '100.00' });
    const ofNobody = await act(WITHHOLD, { idNumber: nobodys, monthlyAmount: '100.00' });
    expect(ofStranger.data ?? null).toBeNull();
    expect(ofStranger.errors).toMatchObject([{ extensions: { code: 'FORBIDDEN', reason: 'NOT_A_DEBTOR' } }]);
    expect(blotted(ofStranger, paid.idNumber)).toEqual(blotted(ofNobody, nobodys));
    expect(stack().emulators['social-insurance']!.calls).toEqual([]);
  });
});
