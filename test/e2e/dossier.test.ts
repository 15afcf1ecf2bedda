/**
 * The one-stop dossier, end to end: HTTP into the gateway, federation across all six
 * subgraphs, their agency clients, and the emulators. Expectations are computed from the
 * synthetic population, the same data the emulators serve.
 */
import { caseVariables, DOSSIER } from '../../schemas/courtOperations';
import { formatFen } from '../../schemas/identifiers';
import type { PartyRef } from '../../mocks/population';
import { postInCase } from '../support/courtRequest';
import { useStack } from '../support/stack';

const stack = useStack();

const ownerKey = (p: PartyRef) => (p.kind === 'PERSON' ? p.idNumber : p.creditCode);

const PERSON_ASSETS = `
  idNumber name
  bankAccounts { bankCode accountNumber balance availableBalance }
  realEstate { unitNumber ownership owners { share owner { ... on Person { idNumber } ... on Company { creditCode } } } mortgages { amount } }
  vehicles { vin plateNumber status }
  shareholdings { ratio subscribedCapital company { creditCode } }
  socialInsurance { status contributionBase employer { creditCode } housingFund { balance } }`;

describe('one request returns everything a debtor owns', () => {
  it('case -> debtors -> all five agencies, values exactly as the agencies hold them', async () => {
    const { population: pop, gateway } = stack();
    const rich = pop.scenarios.richDebtor;
    const answer = await postInCase(
      gateway.url,
      pop,
      rich.caseNumber,
      `query Dossier($case: CaseNumber!) { case(caseNumber: $case) {
        caseNumber status outstanding court { code }
        debtors { __typename ... on Person { ${PERSON_ASSETS} }
          ... on Company { creditCode name registration { registeredCapital legalRepresentative { idNumber } }
            bankAccounts { bankCode accountNumber balance } vehicles { vin status } realEstate { unitNumber } } } } }`,
      { case: rich.caseNumber },
    );
    expect(answer.errors).toBeUndefined();
    const kase = answer.data!.case;
    const record = pop.cases.find((c) => c.caseNumber === rich.caseNumber)!;
    expect(kase).toMatchObject({ caseNumber: rich.caseNumber, status: 'ACTIVE', outstanding: formatFen(record.outstandingFen), court: { code: '浙0106' } });
    const [person, company] = kase.debtors;

    const accounts = (key: string) =>
      pop.bankAccounts.filter((a) => ownerKey(a.holder) === key).map((a) => ({ bankCode: a.bankCode, accountNumber: a.accountNumber, balance: formatFen(a.balanceFen) }));
    const sortBy = <T extends Record<string, unknown>>(rows: T[], key: keyof T) => [...rows].sort((a, b) => String(a[key]).localeCompare(String(b[key])));

    expect(person.__typename).toBe('Person');
    expect(person.idNumber).toBe(rich.idNumber);
    expect(person.name).toBe(pop.persons.find((p) => p.idNumber === rich.idNumber)!.name);
    expect(new Set(person.bankAccounts.map((a: { bankCode: string }) => a.bankCode))).toEqual(new Set(['NCB', 'HZCB', 'RCC', 'WEB']));
    expect(sortBy(person.bankAccounts.map(({ bankCode, accountNumber, balance }: Record<string, string>) => ({ bankCode, accountNumber, balance })), 'accountNumber'))
      .toEqual(sortBy(accounts(rich.idNumber), 'accountNumber'));
    expect(person.realEstate.map((u: { unitNumber: string }) => u.unitNumber).sort()).toEqual(
      pop.realEstate.filter((u) => u.owners.some((o) => ownerKey(o.party) === rich.idNumber)).map((u) => u.unitNumber).sort(),
    );
    const joint = person.realEstate.find((u: { unitNumber: string }) => u.unitNumber === rich.jointUnitNumber);
    expect(joint.owners).toEqual([
      { share: '50.00', owner: { idNumber: rich.idNumber } },
      { share: '50.00', owner: { idNumber: rich.spouseIdNumber } },
    ]);
    expect(sortBy(person.vehicles, 'vin')).toEqual(
      sortBy(pop.vehicles.filter((v) => ownerKey(v.owner) === rich.idNumber).map((v) => ({ vin: v.vin, plateNumber: v.plateNumber, status: v.flags.length ? v.flags.map((f) => (f === 'SEIZED' ? 'SEIZED' : f)) : ['NORMAL'] })), 'vin'),
    );
    expect(person.vehicles.find((v: { vin: string }) => v.vin === rich.mortgagedVin).status).toEqual(['MORTGAGED']);
    expect(person.shareholdings).toEqual([{ ratio: '80.00', subscribedCapital: '4000000.00', company: { creditCode: rich.companyCreditCode } }]);
    const si = pop.socialInsurance.find((s) => s.idNumber === rich.idNumber)!;
    expect(person.socialInsurance).toEqual({
      status: 'INSURED',
      contributionBase: formatFen(si.contributionBaseFen),
      employer: { creditCode: rich.companyCreditCode },
      housingFund: { balance: formatFen(si.housingFund!.balanceFen) },
    });

    const companyRecord = pop.companies.find((c) => c.creditCode === rich.companyCreditCode)!;
    expect(company.__typename).toBe('Company');
    expect(company.name).toBe(companyRecord.name);
    expect(company.registration).toEqual({ registeredCapital: '5000000.00', legalRepresentative: { idNumber: rich.idNumber } });
    expect(sortBy(company.bankAccounts, 'accountNumber')).toEqual(sortBy(accounts(rich.companyCreditCode), 'accountNumber'));
    expect(company.vehicles).toEqual(pop.vehicles.filter((v) => ownerKey(v.owner) === rich.companyCreditCode).map((v) => ({ vin: v.vin, status: ['PLEDGED'] })));
    expect(company.realEstate).toHaveLength(1);
  });

  it('debtor -> shareholdings -> co-debtor company -> its bank accounts and vehicles; a non-debtor subsidiary keeps its assets hidden', async () => {
    const { population: pop, gateway } = stack();
    const rich = pop.scenarios.richDebtor;
    const answer = await postInCase(
      gateway.url,
      pop,
      rich.caseNumber,
      `query Walk($id: IdNumber!) { person(idNumber: $id) { shareholdings { ratio company {
          creditCode name bankAccounts { accountNumber balance } vehicles { vin }
          shareholdings { ratio company { creditCode bankAccounts { accountNumber } vehicles { vin } } } } } } }`,
      { id: rich.idNumber },
    );
    const [holding] = answer.data!.person.shareholdings;
    expect(holding.company.creditCode).toBe(rich.companyCreditCode);
    expect(holding.company.bankAccounts.map((a: { accountNumber: string }) => a.accountNumber).sort()).toEqual(
      pop.bankAccounts.filter((a) => ownerKey(a.holder) === rich.companyCreditCode).map((a) => a.accountNumber).sort(),
    );
    expect(holding.company.vehicles).toHaveLength(1);
    // The subsidiary is public registry data (the stake is shown) but not a debtor of the case.
    const sub = pop.scenarios.subsidiary.creditCode;
    expect(holding.company.shareholdings).toEqual([{ ratio: '60.00', company: { creditCode: sub, bankAccounts: null, vehicles: null } }]);
    const base = ['person', 'shareholdings', 0, 'company', 'shareholdings', 0, 'company'];
    expect(answer.errors?.map((e) => ({ path: e.path, code: e.extensions?.code, reason: e.extensions?.reason })).sort((a, b) => String(a.path).localeCompare(String(b.path)))).toEqual([
      { path: [...base, 'bankAccounts'], code: 'FORBIDDEN', reason: 'NOT_A_DEBTOR' },
      { path: [...base, 'vehicles'], code: 'FORBIDDEN', reason: 'NOT_A_DEBTOR' },
    ]);
    expect(stack().emulators.vehicle!.calls.flatMap((c) => JSON.stringify(c.body))).not.toContain(sub);
  });

  it('answers the documented Dossier (README, npm start) without an error for every active case', async () => {
    const { population: pop, gateway } = stack();
    // Enough cases to meet every scenario's shape (a debtor's stake in a company that is no debtor is about one in nine).
    const active = pop.cases.filter((c) => c.status === 'ACTIVE').slice(0, 150);
    expect(active.length).toBe(150);
    const errored: string[] = [];
    for (const c of active) {
      const answer = await postInCase(gateway.url, pop, c.caseNumber, DOSSIER, caseVariables(c.caseNumber));
      if (answer.errors?.length || !answer.data?.case) errored.push(`${c.caseNumber}: ${JSON.stringify(answer.errors?.[0]?.extensions ?? 'no case')}`);
    }
    expect(errored).toEqual([]);
  });

  it('asks the court case system for the case once per request: the case binding and the dossier share the answer', async () => {
    const { population: pop, gateway, emulators } = stack();
    const rich = pop.scenarios.richDebtor;
    emulators.court!.resetCalls();
    const answer = await postInCase(gateway.url, pop, rich.caseNumber, `query ($case: CaseNumber!) { case(caseNumber: $case) { caseNumber outstanding debtors { ... on Person { name } } } }`, { case: rich.caseNumber });
    expect(answer.errors).toBeUndefined();
    expect(answer.data!.case.caseNumber).toBe(rich.caseNumber);
    const caseCalls = emulators.court!.calls.filter((c) => c.path === '/zxaj/v1/cases/batch');
    expect(caseCalls).toHaveLength(1);
    // Under the request's own id, so the court system's log attributes it to that request.
    const second = await postInCase(gateway.url, pop, rich.caseNumber, `query ($case: CaseNumber!) { case(caseNumber: $case) { caseNumber } }`, { case: rich.caseNumber });
    expect(second.errors).toBeUndefined();
    const ids = emulators.court!.calls.filter((c) => c.path === '/zxaj/v1/cases/batch').map((c) => c.headers['x-request-id']);
    expect(ids).toHaveLength(2);
    expect(new Set(ids).size).toBe(2);
  });

  it('a debtor with nothing gets empty lists and no social insurance, not errors', async () => {
    const { population: pop, gateway } = stack();
    const answer = await postInCase(gateway.url, pop, pop.scenarios.debtorWithNothing.caseNumber, `{ case(caseNumber: "${pop.scenarios.debtorWithNothing.caseNumber}") { debtors { ... on Person { ${PERSON_ASSETS} } } } }`);
    expect(answer.errors).toBeUndefined();
    expect(answer.data!.case.debtors).toEqual([
      {
        idNumber: pop.scenarios.debtorWithNothing.idNumber,
        name: pop.persons.find((p) => p.idNumber === pop.scenarios.debtorWithNothing.idNumber)!.name,
        bankAccounts: [],
        realEstate: [],
        vehicles: [],
        shareholdings: [],
        socialInsurance: null,
      },
    ]);
  });

  it('shows a debtor of two courts both cases, with each court', async () => {
    const { population: pop, gateway } = stack();
    const { idNumber, caseNumbers, courtCodes } = pop.scenarios.debtorInTwoCourts;
    const answer = await postInCase(gateway.url, pop, caseNumbers[0], `{ person(idNumber: "${idNumber}") { enforcementCases { caseNumber court { code } status } } }`);
    expect(answer.data!.person.enforcementCases).toEqual([
      { caseNumber: caseNumbers[0], court: { code: courtCodes[0] }, status: 'ACTIVE' },
      { caseNumber: caseNumbers[1], court: { code: courtCodes[1] }, status: 'ACTIVE' },
    ]);
  });

  it('one agency failing costs only its own fields, with a coded error naming it', async () => {
    const { population: pop, gateway, emulators } = stack();
    emulators.vehicle!.setFaults({ mode: 'error500' });
    const rich = pop.scenarios.richDebtor;
    const answer = await postInCase(gateway.url, pop, rich.caseNumber, `{ person(idNumber: "${rich.idNumber}") { name vehicles { vin } shareholdings { ratio } } }`);
    expect(answer.data!.person).toEqual({ name: pop.persons.find((p) => p.idNumber === rich.idNumber)!.name, vehicles: null, shareholdings: [{ ratio: '80.00' }] });
    expect(answer.errors).toHaveLength(1);
    expect(answer.errors![0]).toMatchObject({
      path: ['person', 'vehicles'],
      extensions: { code: 'AGENCY_UNAVAILABLE', agency: expect.stringMatching(/vehicle/), serviceName: 'vehicle' },
    });
    expect(answer.errors![0]!.message).toMatch(/vehicle/);
    expect(JSON.stringify(answer)).not.toMatch(/stacktrace|at .*\.ts:\d+/);
  });
});
