import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildSchema, type GraphQLEnumType } from 'graphql';
import { SEARCH_PURPOSES } from '../../../lib/audit/searchPurpose';
import { AuditLog } from '../../../lib/audit/auditLog';
import { type AuditRecordInput, operationHash } from '../../../lib/audit/auditRecord';
import { type Database, openDatabase } from '../../../lib/db/openDatabase';
import type { ServedGraphQL } from '../../../lib/http/serveGraphQL';
import { startCourtEmulator } from '../../../mocks/court/server';
import { createPopulation } from '../../../mocks/population';
import type { Emulator } from '../../../mocks/shared/startEmulator';
import { startAuditSubgraph } from '../../../subgraphs/audit';
import { postGraphQL } from '../../support/postGraphQL';
import { signedHeaders, TEST_SUBGRAPH_SECRET } from '../../support/signedHeaders';
import { PATIENT_AGENCY_TIMEOUT_MS } from '../../support/agencyLimits';
import { REPO_ROOT } from '../../support/repoRoot';

const population = createPopulation({ persons: 400 });
const { richDebtor, closedCase } = population.scenarios;
const caseOf = (n: string) => population.cases.find((c) => c.caseNumber === n)!;
const rich = caseOf(richDebtor.caseNumber);
const closed = caseOf(closedCase.caseNumber);
const otherCourtCase = population.scenarios.debtorInTwoCourts.caseNumbers[1];

let emulator: Emulator;
let db: Database;
let log: AuditLog;
let subgraph: ServedGraphQL;

function record(overrides: Partial<AuditRecordInput>): AuditRecordInput {
  return {
    at: '2025-06-02T02:00:00.000Z',
    requestId: randomUUID(),
    caller: { kind: 'court', court: '浙0106', officer: rich.officer },
    caseNumber: rich.caseNumber,
    subjects: [],
    operationName: 'Look',
    operationHash: operationHash('{ look }'),
    fields: ['Query.person', 'Person.vehicles'],
    agencies: ['court', 'vehicle'],
    outcome: 'ANSWERED',
    errorCodes: [],
    latencyMs: 5,
    ...overrides,
  };
}

const RECORDS = {
  richInActiveCase: record({ subjects: [richDebtor.idNumber] }),
  richNoCase: record({ caseNumber: null, subjects: [richDebtor.idNumber], outcome: 'REFUSED', errorCodes: ['FORBIDDEN'], agencies: [] }),
  spouseNotADebtor: record({
    caller: { kind: 'court', court: '浙0106', officer: '浙0106-099' },
    purpose: 'SWEEP',
    subjects: [richDebtor.spouseIdNumber],
    outcome: 'REFUSED',
    errorCodes: ['FORBIDDEN'],
    agencies: [],
  }),
  closedDebtorInClosedCase: record({
    caller: { kind: 'court', court: '浙0106', officer: closed.officer },
    caseNumber: closed.caseNumber,
    subjects: [closedCase.debtorIdNumber],
    purpose: 'FOLLOW_UP',
    outcome: 'REFUSED',
    errorCodes: ['FORBIDDEN'],
    agencies: [],
  }),
  closedDossier: record({
    at: '2023-05-01T02:00:00.000Z',
    caller: { kind: 'court', court: '浙0106', officer: closed.officer },
    caseNumber: closed.caseNumber,
    fields: ['Query.case', 'EnforcementCase.debtors', 'Person.bankAccounts'],
    agencies: ['court', 'bank'],
  }),
  otherCourt: record({ caller: { kind: 'court', court: '浙0203', officer: '浙0203-037' }, caseNumber: otherCourtCase, subjects: [population.scenarios.debtorInTwoCourts.idNumber] }),
};

beforeAll(async () => {
  emulator = await startCourtEmulator(population, { latencyMs: 0 });
  db = await openDatabase();
  log = await AuditLog.open(db);
  for (const r of Object.values(RECORDS)) await log.append(r);
  subgraph = await startAuditSubgraph({ database: db, courtAgencyUrl: emulator.url, secret: TEST_SUBGRAPH_SECRET, timeoutMs: PATIENT_AGENCY_TIMEOUT_MS });
});
afterAll(async () => {
  await subgraph.stop();
  await emulator.close();
  await db.close();
});

const ACCESS_LOG = '{ accessLog { requestId at callerKind court officer caseNumber fields agencies outcome errorCodes purpose } }';
const asCitizen = (idNumber: string) => signedHeaders(TEST_SUBGRAPH_SECRET, { court: undefined, officer: undefined, citizen: idNumber });
const asCourt = (court: string) => signedHeaders(TEST_SUBGRAPH_SECRET, { court, officer: `${court}-900` });

async function accessLogOf(idNumber: string) {
  const answer = await postGraphQL<{ accessLog: { requestId: string; caseNumber: string | null; court: string | null; officer: string | null; fields: string[]; purpose: string | null }[] }>(
    subgraph.url, ACCESS_LOG, undefined, await asCitizen(idNumber));
  expect(answer.errors).toBeUndefined();
  return answer.data!.accessLog;
}

describe('audit subgraph: who looked at me', () => {
  it('shows a citizen records about them outside open cases, and hides those in their active case', async () => {
    const seen = await accessLogOf(richDebtor.idNumber);
    expect(seen.map((r) => r.requestId)).toEqual([RECORDS.richNoCase.requestId]);
  });

  it("shows a closed case's records (named, and the case dossier reaching its debtors), newest first, with who and what", async () => {
    const seen = await accessLogOf(closedCase.debtorIdNumber);
    expect(seen.map((r) => r.requestId)).toEqual([RECORDS.closedDossier.requestId, RECORDS.closedDebtorInClosedCase.requestId]);
    expect(seen[1]).toEqual({
      requestId: RECORDS.closedDebtorInClosedCase.requestId,
      at: '2025-06-02T02:00:00.000Z',
      callerKind: 'COURT',
      court: '浙0106',
      officer: closed.officer,
      caseNumber: closed.caseNumber,
      fields: ['Person.vehicles', 'Query.person'],
      agencies: [],
      outcome: 'REFUSED',
      errorCodes: ['FORBIDDEN'],
      purpose: 'FOLLOW_UP',
    });
    // An officer's own request: no purpose.
    expect(seen[0]!.purpose).toBeNull();
  });

  it("never shows one citizen another's records", async () => {
    expect(await accessLogOf(richDebtor.spouseIdNumber)).toEqual([]);
  });

  it('answers only a citizen signed by the gateway', async () => {
    const answer = await postGraphQL(subgraph.url, ACCESS_LOG, undefined, await asCourt('浙0106'));
    expect(answer.data).toBeNull();
    expect(answer.errors?.[0]?.extensions).toMatchObject({ code: 'FORBIDDEN', reason: 'NOT_A_CITIZEN' });
    const unsigned = await postGraphQL(subgraph.url, ACCESS_LOG);
    expect(unsigned.status).toBe(401);
  });
});

const REVIEW = `query Review($court: String!, $from: Date, $to: Date) {
  auditReview(court: $court, from: $from, to: $to) {
    court total
    officers { officer count refused }
    cases { caseNumber count }
    outliers { record { requestId purpose } reasons }
  }
}`;

describe('audit subgraph: supervisor review', () => {
  it("counts the court's requests per officer and per case and names the outliers", async () => {
    const answer = await postGraphQL(subgraph.url, REVIEW, { court: '浙0106' }, await asCourt('浙0106'));
    expect(answer.errors).toBeUndefined();
    const review = answer.data!.auditReview;
    expect(review.court).toBe('浙0106');
    expect(review.total).toBe(5);
    expect(review.officers).toEqual([
      { officer: rich.officer, count: 2, refused: 1 },
      { officer: closed.officer, count: 2, refused: 1 },
      { officer: '浙0106-099', count: 1, refused: 1 },
    ].sort((a, b) => b.count - a.count || (a.officer < b.officer ? -1 : 1)));
    expect(review.cases).toEqual([
      { caseNumber: closed.caseNumber, count: 2 },
      { caseNumber: rich.caseNumber, count: 2 },
    ].sort((a, b) => (a.caseNumber < b.caseNumber ? -1 : 1)));
    expect(review.outliers).toEqual([
      { record: { requestId: RECORDS.richNoCase.requestId, purpose: null }, reasons: ['NO_CASE'] },
      { record: { requestId: RECORDS.spouseNotADebtor.requestId, purpose: 'SWEEP' }, reasons: ['NOT_A_DEBTOR'] },
      { record: { requestId: RECORDS.closedDebtorInClosedCase.requestId, purpose: 'FOLLOW_UP' }, reasons: ['CASE_NOT_ACTIVE'] },
    ]);
  });

  it('limits the review to calendar days from and to (China Standard Time)', async () => {
    const answer = await postGraphQL(subgraph.url, REVIEW, { court: '浙0106', from: '2023-01-01', to: '2023-05-01' }, await asCourt('浙0106'));
    expect(answer.data!.auditReview.total).toBe(1);
    expect(answer.data!.auditReview.outliers).toEqual([]);
  });

  it('refuses a review of another court', async () => {
    const answer = await postGraphQL(subgraph.url, REVIEW, { court: '浙0106' }, await asCourt('浙0203'));
    expect(answer.errors?.[0]?.extensions).toMatchObject({ code: 'FORBIDDEN', reason: 'OTHER_COURT_DOCKET' });
  });
});

describe('audit subgraph: search purposes', () => {
  it('has the one list of purposes as its SearchPurpose enum', () => {
    const sdl = readFileSync(join(REPO_ROOT, 'schemas/audit.graphql'), 'utf8').replace(/extend schema[\s\S]*?\]\)/, '');
    const purpose = buildSchema(sdl, { assumeValidSDL: true }).getType('SearchPurpose') as GraphQLEnumType;
    expect(purpose.getValues().map((v) => v.name)).toEqual([...SEARCH_PURPOSES]);
  });

  it('reads purposes once a gateway has given an older table the column, without a restart', async () => {
    const own = await openDatabase();
    const older = await AuditLog.open(own);
    const before = record({ caseNumber: null, subjects: [richDebtor.idNumber] });
    await older.append(before);
    // The table as a gateway made it before purposes.
    await own.query('ALTER TABLE audit_log DROP COLUMN purpose');
    const reader = await startAuditSubgraph({ database: own, courtAgencyUrl: emulator.url, secret: TEST_SUBGRAPH_SECRET, timeoutMs: PATIENT_AGENCY_TIMEOUT_MS });
    try {
      const ask = async () => {
        const answer = await postGraphQL<{ accessLog: { requestId: string; purpose: string | null }[] }>(
          reader.url, '{ accessLog { requestId purpose } }', undefined, await asCitizen(richDebtor.idNumber));
        expect(answer.errors).toBeUndefined();
        return answer.data!.accessLog;
      };
      expect(await ask()).toEqual([{ requestId: before.requestId, purpose: null }]);
      // A gateway of this version opens the log: the column is added; the subgraph reads it next time.
      const upgraded = await AuditLog.open(own);
      const sweep = record({ caseNumber: null, subjects: [richDebtor.idNumber], purpose: 'SWEEP' });
      await upgraded.append(sweep);
      expect(await ask()).toEqual([{ requestId: sweep.requestId, purpose: 'SWEEP' }, { requestId: before.requestId, purpose: null }]);
    } finally {
      await reader.stop();
      await own.close();
    }
  });
});
