import { graphql } from 'graphql';
import nock from 'nock';
import { useNockAtAgencyEdge } from '../../../support/nockAtAgencyEdge';
import { withAgencyHeaders } from '../../../../subgraphs/shared/agencyHeaders';
import { ControlClient } from '../../../../subgraphs/shared/measures/controlClient';
import { buildSchemaFor } from '../../../../subgraphs/shared/startSubgraph';
import { VEHICLE_AGENCY, VEHICLE_CONTROL_PREFIX, VehicleClient } from '../../../../subgraphs/vehicle/client';
import { createVehicleLoaders } from '../../../../subgraphs/vehicle/loaders';
import { resolvers } from '../../../../subgraphs/vehicle/resolvers';
import { PATIENT_AGENCY_TIMEOUT_MS } from '../../../support/agencyLimits';

const baseUrl = 'http://jdc.test';
const PERSON = '11010519491231002X';
const STRANGER = '330106197504189356';
const CAR = 'LSVAG2186N2100001';
const TRUCK = 'LFV2A21KXA3000002';
/** A VIN with a valid check digit that no one holds. */
const UNKNOWN_VIN = 'LSVAG2188N2199999';
const CASE = '(2024)浙0106执恢1001号';
const schema = buildSchemaFor('vehicle', resolvers);

const row = (vin: string, owner = PERSON, ZT = 'A') => ({
  SFZMHM: owner, SFZMMC: 'A', CLSBDH: vin, FZJG: '浙A', HPHM: 'A12345', HPZL: '02', CLLX: 'K33',
  CLPP1: '大众', CLXH: '帕萨特', CSYS: 'A', CCDJRQ: '2019-03-05 00:00:00', ZT,
});
const rows = (...list: ReturnType<typeof row>[]) => (_uri: string, body: { SQBH: string }) => ({ RESULT: '1', SQBH: body.SQBH, TOTAL: list.length, ROWS: list });

/** A seizure as the network's control interface reports it. */
function measure(overrides: Record<string, unknown> = {}) {
  return {
    id: '7', requestId: '浙0106/req-1', assetKind: 'VEHICLE', assetKey: CAR, caseNumber: CASE, courtCode: '浙0106',
    documentNumber: `${CASE}之一`, kind: 'SEIZE', amountFen: null, status: 'ACTIVE', queuePosition: null,
    servedAt: '2026-03-02T00:00:00.000Z', dueAt: null, termDays: 730, termStart: '2026-03-02T00:00:00.000Z',
    termEnd: '2028-03-01T00:00:00.000Z', endedAt: null, renewals: 0, returnReason: null, amountControlledFen: null,
    amountDeductedFen: 0, prior: [], history: [{ kind: 'SUBMITTED', at: '2026-03-02T00:00:00.000Z', note: null }], deductions: [],
    ...overrides,
  };
}

/** Runs an operation through the real schema, loaders and clients, as the gateway signed it for CASE. */
async function run(source: string, variableValues: Record<string, unknown> = {}) {
  const control = new ControlClient({ agency: VEHICLE_AGENCY, baseUrl, prefix: VEHICLE_CONTROL_PREFIX, timeoutMs: PATIENT_AGENCY_TIMEOUT_MS });
  const loaders = createVehicleLoaders(new VehicleClient({ baseUrl, timeoutMs: PATIENT_AGENCY_TIMEOUT_MS }), control);
  const signed = { requestId: 'gw-1', court: '浙0106', officer: '浙0106-007', caseNumber: CASE, debtors: [PERSON] };
  const result = await withAgencyHeaders(signed, () =>
    graphql({ schema, source, variableValues, contextValue: { loaders, control, signed } }),
  );
  return JSON.parse(JSON.stringify(result)) as { data?: any; errors?: any[] };
}

const SEIZE = `mutation($input: SeizeVehicleInput!) { seizeVehicle(input: $input) { seizure { id requestId status vehicle { vin status } } refusal { code message limitDays } } }`;
const input = (vin: string, overrides: Record<string, unknown> = {}) => ({ input: { requestId: 'req-1', vin, documentNumber: `${CASE}之一`, termDays: 730, ...overrides } });

useNockAtAgencyEdge();

describe('vehicle seizures in the subgraph', () => {
  it('ask the registry for the seizures of all vehicles of a request in one control call', async () => {
    nock(baseUrl).post('/jdc/query/byOwner').reply(200, rows(row(CAR, PERSON, 'K'), row(TRUCK)));
    nock(baseUrl)
      .post(`${VEHICLE_CONTROL_PREFIX}/measures`, { assetKeys: [CAR, TRUCK] })
      .reply(200, { measures: [measure(), measure({ id: '9', requestId: '浙0203/x', courtCode: '浙0203', status: 'WAITING', queuePosition: 1, termStart: null, termEnd: null })] });
    const answer = await run(`{ _entities(representations: [{ __typename: "Person", idNumber: "${PERSON}" }]) {
      ... on Person { vehicles { vin status seizures { id requestId courtCode status queuePosition case { caseNumber } } } } } }`);
    expect(answer).toEqual({
      data: {
        _entities: [
          {
            vehicles: [
              {
                vin: CAR,
                status: ['SEIZED'],
                seizures: [
                  { id: 'vehicle:7', requestId: 'req-1', courtCode: '浙0106', status: 'ACTIVE', queuePosition: null, case: { caseNumber: CASE } },
                  { id: 'vehicle:9', requestId: 'x', courtCode: '浙0203', status: 'WAITING', queuePosition: 1, case: { caseNumber: CASE } },
                ],
              },
              { vin: TRUCK, status: ['NORMAL'], seizures: [] },
            ],
          },
        ],
      },
    });
  });

  it('serve a seizure of a debtor’s vehicle on the registry as the court’s request, under the court’s own request id', async () => {
    // The vehicle is found among the debtor's own; the seizure's vehicle is that answer, with no byVin call.
    nock(baseUrl).post('/jdc/query/byOwner', { SQBH: /.+/, SFZMHM: [PERSON] }).reply(200, rows(row(CAR)));
    nock(baseUrl)
      .post(`${VEHICLE_CONTROL_PREFIX}/submit`, {
        requestId: '浙0106/req-1', assetKind: 'VEHICLE', kind: 'SEIZE', assetKey: CAR, documentNumber: `${CASE}之一`, termDays: 730, courtCode: '浙0106', caseNumber: CASE, partyKey: PERSON,
      })
      .reply(200, { measure: measure() });
    expect(await run(SEIZE, input(CAR))).toEqual({
      data: { seizeVehicle: { seizure: { id: 'vehicle:7', requestId: 'req-1', status: 'ACTIVE', vehicle: { vin: CAR, status: ['NORMAL'] } }, refusal: null } },
    });
  });

  it('refuse a vehicle of someone who is no debtor of the case and one nobody holds alike, asking only for the debtor’s vehicles', async () => {
    // The debtor owns the truck; the car is the stranger's, and the registry is never asked about it or about the unknown VIN.
    nock(baseUrl).post('/jdc/query/byOwner', { SQBH: /.+/, SFZMHM: [PERSON] }).times(2).reply(200, rows(row(TRUCK)));
    const refusal = (vin: string) => ({
      data: null,
      errors: [
        {
          message: `No debtor of case ${CASE} holds the vehicle with VIN ${vin}: it cannot be controlled in that case.`,
          locations: [{ line: 1, column: 40 }],
          path: ['seizeVehicle'],
          extensions: { code: 'FORBIDDEN', reason: 'NOT_A_DEBTOR' },
        },
      ],
    });
    expect(await run(SEIZE, input(CAR))).toEqual(refusal(CAR));
    expect(await run(SEIZE, input(UNKNOWN_VIN))).toEqual(refusal(UNKNOWN_VIN));
  });

  it('refuse nothing it cannot know: a failed inquiry into the debtor’s vehicles is the registry’s error, not NOT_A_DEBTOR', async () => {
    nock(baseUrl).post('/jdc/query/byOwner').reply(500, { RESULT: '0', ERRCODE: 'SYSTEM_BUSY', ERRMSG: 'system busy, try later' });
    const answer = await run(SEIZE, input(CAR));
    expect(answer.data).toBeNull();
    expect(answer.errors).toMatchObject([{ path: ['seizeVehicle'], extensions: { code: 'AGENCY_UNAVAILABLE' } }]);
  });

  it('refuse over 730 days and a missing document number before asking the registry anything', async () => {
    expect((await run(SEIZE, input(CAR, { termDays: 731 }))).data.seizeVehicle).toMatchObject({ refusal: { code: 'TERM_TOO_LONG', limitDays: 730 } });
    expect((await run(SEIZE, input(CAR, { documentNumber: '' }))).data.seizeVehicle).toMatchObject({ refusal: { code: 'DOCUMENT_NUMBER_REQUIRED' } });
  });

  it('give the registry’s refusal back as data, and refuse another agency’s measure id without a call', async () => {
    nock(baseUrl).post('/jdc/query/byOwner').reply(200, rows(row(CAR)));
    nock(baseUrl).post(`${VEHICLE_CONTROL_PREFIX}/submit`).reply(409, { code: 'REQUEST_ID_REUSED', message: 'Request id 浙0106/req-1 was already used', details: { measureId: '3' } });
    expect((await run(SEIZE, input(CAR))).data.seizeVehicle).toEqual({
      seizure: null,
      refusal: { code: 'REQUEST_ID_REUSED', message: 'Request id 浙0106/req-1 was already used', limitDays: null },
    });
    const release = await run(`mutation { releaseVehicleSeizure(input: { measureId: "realestate:7", documentNumber: "X" }) { seizure { id } refusal { code } } }`);
    expect(release.data.releaseVehicleSeizure).toEqual({ seizure: null, refusal: { code: 'MEASURE_NOT_FOUND' } });
  });
});
