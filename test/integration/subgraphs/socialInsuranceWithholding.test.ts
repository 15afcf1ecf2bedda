import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type Database, openDatabase } from '../../../lib/db/openDatabase';
import type { ServedGraphQL } from '../../../lib/http/serveGraphQL';
import { createPopulation } from '../../../mocks/population';
import type { Emulator } from '../../../mocks/shared/startEmulator';
import { SOCIAL_INSURANCE_CONTROL_PREFIX, startSocialInsuranceEmulator } from '../../../mocks/social-insurance/server';
import { IncomeRegister, PROVINCIAL_SUBSISTENCE_MINIMUM_FEN, SUBSISTENCE_MINIMUM_FEN } from '../../../mocks/social-insurance/withholding';
import { formatFen } from '../../../schemas/identifiers';
import { AgencyError } from '../../../subgraphs/shared/agencyError';
import { startSocialInsuranceSubgraph } from '../../../subgraphs/social-insurance';
import { bureauRefusal, livingAllowanceRefusal, withholdingLimitFen } from '../../../subgraphs/social-insurance/withholding';
import { BACKENDS } from '../../support/measureHarness';
import { postGraphQL } from '../../support/postGraphQL';
import { mutationClaims, signedHeaders, TEST_CASE_NUMBER, TEST_SUBGRAPH_SECRET } from '../../support/signedHeaders';
import { TestClock } from '../../support/testClock';

/**
 * Income withholding at the social insurance bureau: its income register and subsistence
 * minimum, its control interface (the bureau refuses what the law forbids, whatever a court's
 * software checked), and the subgraph's own checks against it.
 */

const population = createPopulation({ persons: 300 });
const { richDebtor, closedCase, debtorWithNothing, debtorInTwoCourts } = population.scenarios;
const recordOf = (idNumber: string) => population.socialInsurance.find((r) => r.idNumber === idNumber)!;
const suspended = population.socialInsurance.find((r) => r.status === 'SUSPENDED')!;

// richDebtor lives in 330106 (Hangzhou), on a contribution base of 18,000.00.
const RICH_LIMIT_FEN = 18_000_00 - 1_281_00;

describe('the income register (synthetic subsistence minimums)', () => {
  const register = new IncomeRegister(population);

  it('has a minimum for every county of the province, and a provincial floor below them', () => {
    for (const p of population.persons) expect(SUBSISTENCE_MINIMUM_FEN[p.countyCode]).toBeGreaterThan(PROVINCIAL_SUBSISTENCE_MINIMUM_FEN);
  });

  it('withholds wages on the contribution base of the insured, the pension of the retired, nothing of the suspended', () => {
    expect(register.basis(richDebtor.idNumber)).toEqual({
      idNumber: richDebtor.idNumber,
      incomeKind: 'WAGES',
      monthlyIncomeFen: 18_000_00,
      subsistenceMinimumFen: 1_281_00,
      limitFen: RICH_LIMIT_FEN,
    });
    const pension = recordOf(closedCase.debtorIdNumber).monthlyPensionFen;
    expect(register.basis(closedCase.debtorIdNumber)).toMatchObject({ incomeKind: 'PENSION', monthlyIncomeFen: pension, limitFen: pension - 1_281_00 });
    // debtorInTwoCourts lives in Ningbo (330203): its own minimum.
    expect(register.basis(debtorInTwoCourts.idNumber)).toMatchObject({ incomeKind: 'WAGES', subsistenceMinimumFen: 1_250_00, limitFen: 9_000_00 - 1_250_00 });
    expect(register.basis(suspended.idNumber)).toBeNull();
    expect(register.basis(debtorWithNothing.idNumber)).toBeUndefined();
  });

  it('never lets the limit go below zero', () => {
    const poor = { ...population, socialInsurance: [{ ...recordOf(closedCase.debtorIdNumber), monthlyPensionFen: 1_000_00 }] };
    expect(new IncomeRegister(poor).basis(closedCase.debtorIdNumber)).toMatchObject({ monthlyIncomeFen: 1_000_00, limitFen: 0 });
  });
});

describe('the subgraph’s rule and its reading of the bureau’s refusals', () => {
  const income = { idNumber: richDebtor.idNumber, incomeKind: 'WAGES' as const, monthlyIncomeFen: 18_000_00, subsistenceMinimumFen: 1_281_00 };

  it('allows up to the income less the minimum, to the fen', () => {
    expect(withholdingLimitFen(income)).toBe(RICH_LIMIT_FEN);
    expect(livingAllowanceRefusal(income, RICH_LIMIT_FEN)).toBeUndefined();
    expect(livingAllowanceRefusal(income, RICH_LIMIT_FEN + 1)).toEqual({
      code: 'EXCEEDS_LIVING_ALLOWANCE',
      message:
        'Withholding 16719.01 a month would leave less than the local subsistence minimum of 1281.00 out of a monthly wage of 18000.00; at most 16719.00 may be withheld.',
      limit: RICH_LIMIT_FEN,
    });
    expect(withholdingLimitFen({ ...income, monthlyIncomeFen: 1_000_00 })).toBe(0);
  });

  it('turns the bureau’s admission refusals into refusals as data, and leaves other failures errors', () => {
    const refused = (code: string, details?: Record<string, unknown>) =>
      new AgencyError('AGENCY_REFUSED', 'refused', { agency: 'social insurance bureau', agencyCode: code }, { code, message: 'the bureau says no', details });
    expect(bureauRefusal(refused('EXCEEDS_LIVING_ALLOWANCE', { limitFen: 5 }))).toEqual({
      code: 'EXCEEDS_LIVING_ALLOWANCE',
      message: 'The social insurance bureau refused the withholding: the bureau says no.',
      limit: 5,
    });
    expect(bureauRefusal(refused('NO_INCOME'))).toMatchObject({ code: 'ASSET_NOT_FOUND' });
    expect(bureauRefusal(refused('ASSET_NOT_FOUND'))).toMatchObject({ code: 'ASSET_NOT_FOUND' });
    expect(bureauRefusal(refused('NOT_SUPPORTED'))).toBeUndefined();
    expect(bureauRefusal(new AgencyError('AGENCY_UNAVAILABLE', 'down', { agency: 'social insurance bureau' }))).toBeUndefined();
  });
});

describe.each(BACKENDS)('the bureau’s control interface and the subgraph on $name', (backend) => {
  const T0 = '2026-02-02T01:00:00.000Z';
  const table = `si_withholding_${randomBytes(6).toString('hex')}`;
  let db: Database;
  let emulator: Emulator;
  let subgraph: ServedGraphQL;
  /** The subgraph's view of the bureau, through a proxy that can misreport income. */
  let proxy: Server;
  let misreportedIncome: { idNumber: string; ysr: string } | undefined;

  beforeAll(async () => {
    db = await openDatabase({ url: backend.url });
    emulator = await startSocialInsuranceEmulator(population, { control: { database: db, table, clock: new TestClock(T0).now } });
    proxy = createServer(async (req, res) => {
      const chunks: Buffer[] = [];
      for await (const chunk of req) chunks.push(chunk as Buffer);
      const body = Buffer.concat(chunks).toString('utf8');
      const upstream = await fetch(emulator.url + req.url, { method: req.method, headers: { 'content-type': 'application/json' }, body: body || undefined });
      let text = await upstream.text();
      if (req.url === '/si/exchange/withholdable' && misreportedIncome) {
        const answer = JSON.parse(text) as { records: { sfzhm: string; ysr: string }[] };
        for (const r of answer.records) if (r.sfzhm === misreportedIncome.idNumber) r.ysr = misreportedIncome.ysr;
        text = JSON.stringify(answer);
      }
      res.writeHead(upstream.status, { 'content-type': 'application/json' }).end(text);
    });
    await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
    subgraph = await startSocialInsuranceSubgraph({ agencyUrl: `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`, secret: TEST_SUBGRAPH_SECRET });
  });
  afterAll(async () => {
    await subgraph?.stop();
    await new Promise((resolve) => proxy?.close(resolve));
    await emulator?.close();
    await db?.query(`DROP TABLE IF EXISTS "${table}", "${table}_events", "${table}_deductions" CASCADE`);
    await db?.close();
  });
  beforeEach(() => {
    emulator.resetCalls();
    misreportedIncome = undefined;
  });

  async function post(path: string, body: unknown): Promise<{ status: number; body: any }> {
    const response = await fetch(`${emulator.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    return { status: response.status, body: await response.json() };
  }
  const submit = (assetKey: string, extra: Record<string, unknown> = {}) =>
    post(`${SOCIAL_INSURANCE_CONTROL_PREFIX}/submit`, {
      requestId: `unit-${randomBytes(4).toString('hex')}`,
      caseNumber: TEST_CASE_NUMBER,
      courtCode: '浙0106',
      documentNumber: '(2025)浙0106执1001号之一',
      kind: 'WITHHOLD',
      assetKind: 'INCOME',
      assetKey,
      termDays: 365,
      amountFen: 1_000_00,
      ...extra,
    });
  const controlCalls = () => emulator.calls.filter((c) => c.path.startsWith(`${SOCIAL_INSURANCE_CONTROL_PREFIX}/`)).length;

  it('states withholdable income and the local minimum in the bureau’s terms; nobody it pays nothing', async () => {
    const pension = recordOf(closedCase.debtorIdNumber).monthlyPensionFen;
    const answer = await post('/si/exchange/withholdable', {
      jbh: 'W1',
      sfzhm: [richDebtor.idNumber, suspended.idNumber, debtorWithNothing.idNumber, closedCase.debtorIdNumber],
    });
    expect(answer).toEqual({
      status: 200,
      body: {
        status: 'OK',
        records: [
          { sfzhm: richDebtor.idNumber, srlx: 'GZ', ysr: '18000.00', dbbz: '1281.00' },
          { sfzhm: closedCase.debtorIdNumber, srlx: 'YLJ', ysr: formatFen(pension), dbbz: '1281.00' },
        ],
      },
    });
    expect((await post('/si/exchange/withholdable', { sfzhm: [richDebtor.idNumber] })).status).toBe(400);
  });

  it('refuses, itself, a withholding that would leave less than the subsistence minimum', async () => {
    expect(await submit(richDebtor.idNumber, { amountFen: RICH_LIMIT_FEN + 1 })).toEqual({
      status: 422,
      body: {
        code: 'EXCEEDS_LIVING_ALLOWANCE',
        message: 'withholding 16719.01 a month would leave less than the local subsistence minimum of 1281.00; at most 16719.00 may be withheld',
        details: { limitFen: RICH_LIMIT_FEN, monthlyIncomeFen: 18_000_00, subsistenceMinimumFen: 1_281_00 },
      },
    });
    expect(await post(`${SOCIAL_INSURANCE_CONTROL_PREFIX}/measures`, { assetKeys: [richDebtor.idNumber] })).toEqual({ status: 200, body: { measures: [] } });
  });

  it('refuses an unknown person, one it pays nothing, a withholding without an amount, and other kinds of measure', async () => {
    expect(await submit(debtorWithNothing.idNumber)).toMatchObject({ status: 404, body: { code: 'ASSET_NOT_FOUND' } });
    expect(await submit(suspended.idNumber)).toMatchObject({ status: 422, body: { code: 'NO_INCOME' } });
    expect(await submit(richDebtor.idNumber, { amountFen: undefined })).toMatchObject({ status: 422, body: { code: 'INVALID_INPUT', details: { field: 'amountFen' } } });
    expect(await submit(richDebtor.idNumber, { kind: 'FREEZE', assetKind: 'DEPOSIT' })).toMatchObject({ status: 422, body: { code: 'NOT_SUPPORTED' } });
    expect(await submit(richDebtor.idNumber, { termDays: 1096 })).toMatchObject({ status: 422, body: { code: 'TERM_TOO_LONG', details: { limitDays: 1095 } } });
  });

  it('withholds a pension up to the limit exactly', async () => {
    const limit = recordOf(closedCase.debtorIdNumber).monthlyPensionFen - 1_281_00;
    const answer = await submit(closedCase.debtorIdNumber, { amountFen: limit });
    expect(answer).toMatchObject({ status: 200, body: { measure: { status: 'ACTIVE', assetKind: 'INCOME', kind: 'WITHHOLD', amountFen: limit, termStart: T0 } } });
  });

  describe('through the subgraph, signed as the gateway would', () => {
    const WITHHOLD = `mutation ($input: WithholdIncomeInput!) {
      withholdIncome(input: $input) { withholding { id status monthlyAmount person { idNumber } } refusal { code message limit limitDays } }
    }`;
    const withhold = async (input: Record<string, unknown>, debtors: string[]) => {
      const variables = { input: { requestId: `sg-${randomBytes(4).toString('hex')}`, documentNumber: '(2025)浙0106执1001号之二', termDays: 365, ...input } };
      return postGraphQL(subgraph.url, WITHHOLD, variables, await signedHeaders(TEST_SUBGRAPH_SECRET, { caseNumber: TEST_CASE_NUMBER, debtors, ...mutationClaims(WITHHOLD, variables) }));
    };

    it('refuses a person who is not a debtor of the case before the bureau is asked anything', async () => {
      const answer = await withhold({ idNumber: richDebtor.spouseIdNumber, monthlyAmount: '100.00' }, [richDebtor.idNumber]);
      // The payload is non-null, so the error nulls the whole answer.
      expect(answer.data).toBeNull();
      expect(answer.errors?.map((e) => [e.extensions?.code, e.extensions?.reason])).toEqual([['FORBIDDEN', 'NOT_A_DEBTOR']]);
      expect(emulator.calls).toEqual([]);
    });

    it('refuses a stranger the bureau pays and an ID number nobody holds alike, asking the bureau nothing', async () => {
      const nobody = '330106198001019982';
      expect(population.persons.map((p) => p.idNumber)).not.toContain(nobody);
      const refusal = (idNumber: string) => ({
        status: 200,
        data: null,
        errors: [
          {
            message: `No debtor of case ${TEST_CASE_NUMBER} holds the income of person ${idNumber}: it cannot be controlled in that case.`,
            locations: [{ line: 2, column: 7 }],
            path: ['withholdIncome'],
            extensions: { code: 'FORBIDDEN', reason: 'NOT_A_DEBTOR' },
          },
        ],
      });
      // Someone who draws a wage the bureau would withhold from, but no debtor of the case.
      const paid = population.socialInsurance.find((r) => r.status === 'INSURED' && r.idNumber !== richDebtor.idNumber)!;
      expect(await withhold({ idNumber: paid.idNumber, monthlyAmount: '100.00' }, [richDebtor.idNumber])).toEqual(refusal(paid.idNumber));
      expect(await withhold({ idNumber: nobody, monthlyAmount: '100.00' }, [richDebtor.idNumber])).toEqual(refusal(nobody));
      expect(emulator.calls).toEqual([]);
    });

    it('refuses above the limit as data, asking the bureau only about the income', async () => {
      const answer = await withhold({ idNumber: richDebtor.idNumber, monthlyAmount: '16719.01' }, [richDebtor.idNumber]);
      expect(answer.data).toEqual({ withholdIncome: { withholding: null, refusal: expect.objectContaining({ code: 'EXCEEDS_LIVING_ALLOWANCE', limit: '16719.00', limitDays: null }) } });
      expect(emulator.calls.map((c) => c.path)).toEqual(['/si/exchange/withholdable']);
    });

    it('refuses a zero or negative amount as bad input', async () => {
      for (const monthlyAmount of ['0.00', '-5.00']) {
        const answer = await withhold({ idNumber: richDebtor.idNumber, monthlyAmount }, [richDebtor.idNumber]);
        expect(answer.errors?.map((e) => [e.extensions?.code, e.extensions?.field])).toEqual([['BAD_USER_INPUT', 'monthlyAmount']]);
      }
      expect(emulator.calls).toEqual([]);
    });

    it('passes on the bureau’s own refusal when the subgraph’s view of the income was too high', async () => {
      misreportedIncome = { idNumber: richDebtor.idNumber, ysr: '50000.00' };
      const answer = await withhold({ idNumber: richDebtor.idNumber, monthlyAmount: '20000.00' }, [richDebtor.idNumber]);
      expect(answer.errors).toBeUndefined();
      expect(answer.data!.withholdIncome).toEqual({
        withholding: null,
        refusal: {
          code: 'EXCEEDS_LIVING_ALLOWANCE',
          message:
            'The social insurance bureau refused the withholding: withholding 20000.00 a month would leave less than the local subsistence minimum of 1281.00; at most 16719.00 may be withheld.',
          limit: '16719.00',
          limitDays: null,
        },
      });
      expect(controlCalls()).toBe(1);
    });

    it('refuses a person the bureau pays nothing as ASSET_NOT_FOUND, without a control call', async () => {
      for (const idNumber of [suspended.idNumber, debtorWithNothing.idNumber]) {
        const answer = await withhold({ idNumber, monthlyAmount: '100.00' }, [idNumber]);
        expect(answer.data!.withholdIncome).toMatchObject({ withholding: null, refusal: { code: 'ASSET_NOT_FOUND' } });
      }
      expect(controlCalls()).toBe(0);
    });
  });
});
