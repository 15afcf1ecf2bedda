import nock from 'nock';
import type { AuditEntry } from '../../../../lib/audit/auditReader';
import { casesRevealedByMeasures, visibleToCitizen } from '../../../../subgraphs/audit/resolvers';
import { connectControlDesks, measuresTakenLoader, tookEffect } from '../../../../subgraphs/audit/measuresTaken';
import type { EnforcementCase } from '../../../../subgraphs/court/types';
import { AgencyChannels } from '../../../../subgraphs/shared/agencyChannels';
import { type AgencyMeasure, ControlClient } from '../../../../subgraphs/shared/measures/controlClient';
import { useNockAtAgencyEdge } from '../../../support/nockAtAgencyEdge';
import { PATIENT_AGENCY_TIMEOUT_MS } from '../../../support/agencyLimits';

/**
 * The audit subgraph's look at the agencies' control interfaces, with nock at the agency
 * edge: which measures count as taken effect and against whom, one ask per case and agency
 * per request, and an agency that fails confirming nothing.
 */
const DEBTOR = '330106197504189356';
const CO_DEBTOR = '91330106MA4X00001R';
const CASE = '(2025)浙0106执1001号';
const OTHER_CASE = '(2025)浙0106执1002号';
const ESTATE = 'http://bdc.test';
const VEHICLES = 'http://jdc.test';
const ESTATE_PREFIX = '/bdc/api/kz';
const VEHICLE_PREFIX = '/jdc/kz';

/** A measure as the network's control interface reports it: ACTIVE, against DEBTOR, in CASE. */
function measure(overrides: Partial<Record<keyof AgencyMeasure, unknown>> = {}) {
  return {
    id: '7', requestId: '浙0106/seal-1', assetKind: 'REAL_ESTATE', assetKey: '330106016008GB00016F00010737', caseNumber: CASE, courtCode: '浙0106',
    documentNumber: `${CASE}之一`, kind: 'SEAL', amountFen: null, partyKey: DEBTOR, status: 'ACTIVE', queuePosition: null,
    servedAt: '2026-03-02T00:00:00.000Z', dueAt: null, termDays: 1095, termStart: '2026-03-02T01:00:00.000Z',
    termEnd: '2029-03-01T01:00:00.000Z', endedAt: null, renewals: 0, returnReason: null, amountControlledFen: null,
    amountDeductedFen: 0, prior: [], history: [], deductions: [],
    ...overrides,
  };
}
const NOT_ANSWERED = { status: 'SUBMITTED', dueAt: '2026-03-02T01:00:00.000Z', termStart: null, termEnd: null };

const estate = () => new ControlClient({ agency: 'real-estate registry', baseUrl: ESTATE, prefix: ESTATE_PREFIX, timeoutMs: PATIENT_AGENCY_TIMEOUT_MS });
const vehicles = () => new ControlClient({ agency: 'vehicle registry', baseUrl: VEHICLES, prefix: VEHICLE_PREFIX, timeoutMs: PATIENT_AGENCY_TIMEOUT_MS });
const answers = (base: string, prefix: string, caseNumber: string, measures: unknown[]) =>
  nock(base).post(`${prefix}/cases`, { caseNumbers: [caseNumber] }).reply(200, { measures });

useNockAtAgencyEdge();

describe('a measure that took effect', () => {
  it('has been ACTIVE: active, released, lapsed or disposed after a term began; not submitted, waiting or returned', () => {
    const started = { termStart: '2026-03-02T01:00:00.000Z', termEnd: '2029-03-01T01:00:00.000Z' };
    const never = { termStart: null, termEnd: null };
    const cases: [string, Record<string, unknown>, boolean][] = [
      ['ACTIVE', started, true],
      ['RELEASED', started, true],
      ['LAPSED', started, true],
      ['DISPOSED', started, true],
      ['SUBMITTED', never, false],
      ['WAITING', { ...never, queuePosition: 1 }, false],
      ['RETURNED', { ...never, returnReason: 'account closed' }, false],
      // Released or lapsed while still waiting: it never took effect.
      ['RELEASED', never, false],
      ['LAPSED', never, false],
    ];
    for (const [status, fields, expected] of cases) expect([status, tookEffect({ ...measure(), status, ...fields } as AgencyMeasure)]).toEqual([status, expected]);
  });
});

describe('the measures-taken loader', () => {
  it('asks each agency once per case for a request, however often the case is loaded, and keeps only measures that took effect, by party', async () => {
    answers(ESTATE, ESTATE_PREFIX, CASE, [measure(), measure({ id: '8', partyKey: CO_DEBTOR, ...NOT_ANSWERED })]);
    answers(VEHICLES, VEHICLE_PREFIX, CASE, [measure({ id: '3', assetKind: 'VEHICLE', kind: 'SEIZE', partyKey: CO_DEBTOR, status: 'RELEASED', endedAt: '2026-04-01T00:00:00.000Z' })]);
    const loader = measuresTakenLoader([estate(), vehicles()]);
    const [first, again] = await Promise.all([loader.load(CASE), loader.load(CASE)]);
    expect([...first!].sort()).toEqual([DEBTOR, CO_DEBTOR].sort());
    expect(again).toBe(first);
    expect(await loader.load(CASE)).toBe(first);
  });

  it('counts no waiting measure, no measure without a party, and no measure the agency files under another case', async () => {
    answers(ESTATE, ESTATE_PREFIX, CASE, [
      measure({ status: 'WAITING', queuePosition: 1, termStart: null, termEnd: null }),
      measure({ id: '9', partyKey: null }),
      measure({ id: '10', caseNumber: OTHER_CASE }),
    ]);
    expect([...(await measuresTakenLoader([estate()]).load(CASE))]).toEqual([]);
  });

  it('lets an agency that fails confirm nothing, while another agency’s answer still counts', async () => {
    nock(ESTATE).post(`${ESTATE_PREFIX}/cases`).reply(500, { code: 'INTERNAL', message: 'down for maintenance' });
    answers(VEHICLES, VEHICLE_PREFIX, CASE, [measure({ assetKind: 'VEHICLE', kind: 'SEIZE', partyKey: CO_DEBTOR })]);
    expect([...(await measuresTakenLoader([estate(), vehicles()]).load(CASE))]).toEqual([CO_DEBTOR]);

    nock(ESTATE).post(`${ESTATE_PREFIX}/cases`).reply(200, { measures: [{ id: 'not a measure' }] });
    expect([...(await measuresTakenLoader([estate()]).load(CASE))]).toEqual([]);
  });
});

describe('which records a citizen sees', () => {
  const entry = (id: number, caseNumber: string | null) => ({ id, caseNumber }) as AuditEntry;
  const kase = (caseNumber: string, status: EnforcementCase['status']) => ({ caseNumber, status }) as EnforcementCase;
  const CLOSED = '(2023)浙0106执1001号';
  const UNKNOWN = '(2025)浙0106执9999号';
  const cases = new Map([[CASE, kase(CASE, 'ACTIVE')], [OTHER_CASE, kase(OTHER_CASE, 'SUSPENDED')], [CLOSED, kase(CLOSED, 'CLOSED')]]);
  const entries = [entry(1, CASE), entry(2, CASE), entry(3, OTHER_CASE), entry(4, CLOSED), entry(5, UNKNOWN), entry(6, null)];

  it('asks the agencies about the open cases only, each once, and reveals those with a measure against the citizen', async () => {
    // Both open cases in one call: the batched endpoint, the closed case never asked.
    nock(ESTATE)
      .post(`${ESTATE_PREFIX}/cases`, (body: { caseNumbers: string[] }) => [...body.caseNumbers].sort().join() === [CASE, OTHER_CASE].sort().join())
      .reply(200, { measures: [measure(), measure({ caseNumber: OTHER_CASE, partyKey: CO_DEBTOR })] });
    const revealed = await casesRevealedByMeasures(DEBTOR, entries, cases, measuresTakenLoader([estate()]));
    expect([...revealed]).toEqual([CASE]);
    expect(entries.filter((e) => visibleToCitizen(e, cases, revealed)).map((e) => e.id)).toEqual([1, 2, 4, 5, 6]);
    expect(entries.filter((e) => visibleToCitizen(e, cases, new Set())).map((e) => e.id)).toEqual([4, 5, 6]);
  });
});

describe('the control desks the audit subgraph asks', () => {
  const bankUrls = { NCB: 'http://ncb.test', HZCB: 'http://hzcb.test', RCC: 'http://rcc.test', WEB: 'http://web.test' };
  const urls = { bankUrls, realEstateUrl: ESTATE, vehicleUrl: VEHICLES, commerceUrl: 'http://scjg.test', socialInsuranceUrl: 'http://si.test' };
  const channels = new AgencyChannels({ pooled: false, resilience: { retries: 0 } });
  afterAll(() => channels.close());

  it('are every agency and every bank that controls online (not the credit cooperative)', async () => {
    const asked = [
      [bankUrls.NCB, '/ncb/v3/control'], [bankUrls.HZCB, '/api/control'], [bankUrls.WEB, '/openapi/v1/control'],
      [ESTATE, ESTATE_PREFIX], [VEHICLES, VEHICLE_PREFIX], [urls.commerceUrl, '/api/v2/kz'], [urls.socialInsuranceUrl, '/si/exchange/kz'],
    ].map(([base, prefix]) => answers(base!, prefix!, CASE, []));
    const unmatched: string[] = [];
    const onNoMatch = (req: { hostname?: string }) => unmatched.push(String(req.hostname));
    nock.emitter.on('no match', onNoMatch);
    try {
      const desks = connectControlDesks(urls, 1000, channels);
      expect(desks).toHaveLength(7);
      expect([...(await measuresTakenLoader(desks).load(CASE))]).toEqual([]);
    } finally {
      nock.emitter.removeListener('no match', onNoMatch);
    }
    for (const scope of asked) expect(scope.isDone()).toBe(true);
    expect(unmatched).toEqual([]);
  });

  it('refuse a bank URL key that names no bank, and a missing URL of a bank that controls online', () => {
    expect(() => connectControlDesks({ ...urls, bankUrls: { ...bankUrls, NBC: 'http://x.test' } }, 1000, channels)).toThrow(/names no bank.*NBC/);
    const { WEB: _web, ...withoutWeb } = bankUrls;
    expect(() => connectControlDesks({ ...urls, bankUrls: withoutWeb }, 1000, channels)).toThrow(/no URL for bank WEB/);
    const { RCC: _rcc, ...withoutRcc } = bankUrls;
    expect(connectControlDesks({ ...urls, bankUrls: withoutRcc }, 1000, channels)).toHaveLength(7);
  });
});
