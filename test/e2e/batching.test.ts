/**
 * N persons in one request cost ceil(N / maxBatch) calls to each agency endpoint, not N:
 * the gateway sends each subgraph one `_entities` call, and each subgraph's per-request
 * DataLoaders batch up to the agency's own limit.
 */
import { HZCB_MAX_BATCH, NCB_MAX_BATCH, RCC_MAX_BATCH, WEB_MAX_BATCH } from '../../subgraphs/bank/client';
import { COMMERCE_MAX_BATCH } from '../../subgraphs/commerce/client';
import { REAL_ESTATE_MAX_BATCH } from '../../subgraphs/realestate/client';
import { HOUSING_FUND_MAX_BATCH, SOCIAL_INSURANCE_MAX_BATCH } from '../../subgraphs/social-insurance/client';
import { VEHICLE_MAX_BATCH } from '../../subgraphs/vehicle/client';
import type { Emulator } from '../../mocks/shared/startEmulator';
import { createPopulation } from '../../mocks/population';
import { PERSONS_SWEEP, sweepVariables } from '../../schemas/courtOperations';
import { postInCase } from '../support/courtRequest';
import { useStack } from '../support/stack';

// A collective case against the first 1000 persons, so one request may sweep them all:
// every subject at the root must be a debtor of the case the request states.
const population = createPopulation({ persons: 1000 });
const SWEEP_CASE = '(2025)浙0106执9001号';
population.cases.push({
  caseNumber: SWEEP_CASE,
  courtCode: '浙0106',
  status: 'ACTIVE',
  cause: '金融借款合同纠纷',
  amountDueFen: 900_000_000_00,
  outstandingFen: 900_000_000_00,
  filedOn: '2025-06-01',
  closedOn: null,
  officer: '浙0106-009',
  applicants: [{ kind: 'COMPANY', creditCode: population.companies[0]!.creditCode }],
  debtors: population.persons.map((p) => ({ kind: 'PERSON' as const, idNumber: p.idNumber })),
});
// A 1000-person sweep sends ~600 agency calls at once into emulators in this same process;
// on a loaded 2-core machine some wait seconds for a socket, which is not what this file tests.
const stack = useStack({ population });

/** First-page calls to one path (RCC asks for further pages of a batch itself). */
function callsTo(emulator: Emulator, path: string): number {
  return emulator.calls.filter((c) => c.path === path && ((c.body as { page?: number } | undefined)?.page ?? 1) === 1).length;
}

describe('bulk: one request for many persons', () => {
  it.each([1, 120, 1000])('%i persons cost ceil(N / maxBatch) calls per agency endpoint', async (n) => {
    const { population: pop, gateway, emulators } = stack();
    const ids = pop.persons.slice(0, n).map((p) => p.idNumber);
    const answer = await postInCase(gateway.url, pop, SWEEP_CASE, PERSONS_SWEEP, sweepVariables(ids));
    expect(answer.errors).toBeUndefined();
    expect(answer.data!.persons).toHaveLength(n);
    expect(answer.data!.persons.map((p: { idNumber: string }) => p.idNumber)).toEqual(ids);

    const per = (max: number) => Math.ceil(n / max);
    expect({
      // The case, once (the gateway's case binding); the debtors' names come from its record.
      courtCase: callsTo(emulators.court!, '/zxaj/v1/cases/batch'),
      courtIdentities: callsTo(emulators.court!, '/zxaj/v1/identities'),
      NCB: callsTo(emulators['bank:NCB']!, '/ncb/v3/inquiry/accounts'),
      HZCB: callsTo(emulators['bank:HZCB']!, '/api/query'),
      RCC: callsTo(emulators['bank:RCC']!, '/rcc/cx'),
      WEB: callsTo(emulators['bank:WEB']!, '/openapi/v1/holdings:batchQuery'),
      realestate: callsTo(emulators.realestate!, '/bdc/api/qlr/cx'),
      vehicle: callsTo(emulators.vehicle!, '/jdc/query/byOwner'),
      commerceInvestors: callsTo(emulators.commerce!, '/api/v2/investors/batch'),
      commerceLegalReps: callsTo(emulators.commerce!, '/api/v2/lerep/batch'),
      socialInsurance: callsTo(emulators['social-insurance']!, '/si/exchange/insured'),
      housingFund: callsTo(emulators['social-insurance']!, '/gjj/api/account/query'),
    }).toEqual({
      courtCase: 1,
      courtIdentities: 0,
      NCB: per(NCB_MAX_BATCH),
      HZCB: per(HZCB_MAX_BATCH),
      RCC: per(RCC_MAX_BATCH),
      WEB: per(WEB_MAX_BATCH),
      realestate: per(REAL_ESTATE_MAX_BATCH),
      vehicle: per(VEHICLE_MAX_BATCH),
      commerceInvestors: per(COMMERCE_MAX_BATCH),
      commerceLegalReps: per(COMMERCE_MAX_BATCH),
      socialInsurance: per(SOCIAL_INSURANCE_MAX_BATCH),
      housingFund: per(HOUSING_FUND_MAX_BATCH),
    });
  });

  it('answers each person with their own data in a sweep', async () => {
    const { population: pop, gateway } = stack();
    const persons = pop.persons.slice(200, 260);
    const answer = await postInCase(gateway.url, pop, SWEEP_CASE, PERSONS_SWEEP, sweepVariables(persons.map((p) => p.idNumber)));
    persons.forEach((p, i) => {
      const got = answer.data!.persons[i];
      expect(got.name).toBe(p.name);
      expect(got.vehicles.map((v: { vin: string }) => v.vin).sort()).toEqual(
        pop.vehicles.filter((v) => v.owner.kind === 'PERSON' && v.owner.idNumber === p.idNumber).map((v) => v.vin).sort(),
      );
      expect(got.bankAccounts.map((a: { accountNumber: string }) => a.accountNumber).sort()).toEqual(
        pop.bankAccounts.filter((a) => a.holder.kind === 'PERSON' && a.holder.idNumber === p.idNumber).map((a) => a.accountNumber).sort(),
      );
    });
  });
});
