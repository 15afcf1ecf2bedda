/**
 * Identical reads in flight share one subgraph call end to end: N officers' identical
 * requests at once reach the agency once, each still gets its whole answer and its own audit
 * record; different officers are never shared.
 */
import { postInCase } from '../../support/courtRequest';
import { useStack } from '../../support/stack';

const stack = useStack({ persons: 200 });

const VEHICLES = 'query Vehicles($id: IdNumber!) { person(idNumber: $id) { idNumber name vehicles { vin plateNumber status } } }';

describe('identical reads in flight', () => {
  it('N identical concurrent requests of one officer reach the vehicle registry once, with identical answers, each audited', async () => {
    const { population: pop, gateway, emulators } = stack();
    const rich = pop.scenarios.richDebtor;
    // Slow enough that every request's vehicle read starts while the first is still out.
    emulators.vehicle!.setFaults({ extraLatencyMs: 600 });
    const before = await gateway.audit.verify();
    const shared = gateway.stats().sharedReads;
    const answers = await Promise.all(Array.from({ length: 10 }, () => postInCase(gateway.url, pop, rich.caseNumber, VEHICLES, { id: rich.idNumber })));
    expect(answers[0]!.errors).toBeUndefined();
    expect(answers[0]!.data!.person.vehicles.length).toBeGreaterThan(0);
    for (const answer of answers) expect(answer).toEqual(answers[0]);
    expect(emulators.vehicle!.calls).toHaveLength(1);
    expect(gateway.stats().sharedReads - shared).toBeGreaterThanOrEqual(9);
    const after = await gateway.audit.verify();
    // Each request its own two records: its intent, then its outcome.
    expect(after).toMatchObject({ ok: true, count: before.count + 20 });
  });

  it('does not share between two officers of the court: each officer\'s read goes out', async () => {
    const { population: pop, gateway, emulators } = stack();
    const rich = pop.scenarios.richDebtor;
    emulators.vehicle!.setFaults({ extraLatencyMs: 600 });
    const answers = await Promise.all(
      ['浙0106-101', '浙0106-102'].flatMap((officer) =>
        Array.from({ length: 4 }, () => postInCase(gateway.url, pop, rich.caseNumber, VEHICLES, { id: rich.idNumber }, { officer })),
      ),
    );
    for (const answer of answers) expect(answer.data).toEqual(answers[0]!.data);
    expect(emulators.vehicle!.calls).toHaveLength(2);
    expect(new Set(emulators.vehicle!.calls.map((c) => decodeURIComponent(String(c.headers['x-officer']))))).toEqual(new Set(['浙0106-101', '浙0106-102']));
  });
});

describe('mutations', () => {
  it('are never shared: N identical concurrent seals each reach the registry', async () => {
    const { population: pop, gateway, emulators } = stack();
    const rich = pop.scenarios.richDebtor;
    const unit = pop.realEstate.find((u) => u.owners.some((o) => o.party.kind === 'PERSON' && o.party.idNumber === rich.idNumber))!;
    emulators.realestate!.setFaults({ extraLatencyMs: 300 });
    const seal = `mutation Seal($input: SealRealEstateInput!) { sealRealEstate(input: $input) { seal { id status } refusal { code } } }`;
    const input = { requestId: 'shared-reads-seal-1', unitNumber: unit.unitNumber, documentNumber: `${rich.caseNumber}之一`, termDays: 365 };
    const answers = await Promise.all(Array.from({ length: 4 }, () => postInCase(gateway.url, pop, rich.caseNumber, seal, { input }, { roles: ['query', 'control'] })));
    for (const answer of answers) expect(answer.errors).toBeUndefined();
    // Each request is its own submission; the registry's idempotency key makes them one seal.
    expect(emulators.realestate!.calls.filter((c) => c.method === 'POST' && c.path.endsWith('/kz/submit'))).toHaveLength(4);
    expect(new Set(answers.map((a) => a.data!.sealRealEstate.seal.id)).size).toBe(1);
  });
});
