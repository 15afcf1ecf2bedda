import { graphql } from 'graphql';
import nock from 'nock';
import { CaseLocks } from '../../../subgraphs/bank/caseLocks';
import { connectBanks } from '../../../subgraphs/bank/client';
import { createBankLoaders } from '../../../subgraphs/bank/loaders';
import { resolvers } from '../../../subgraphs/bank/resolvers';
import { runInCaseContext } from '../../../subgraphs/shared/caseContext';
import { buildSchemaFor } from '../../../subgraphs/shared/startSubgraph';
import { bodyOf, nockAtTheBankEdge, PERSON_ID } from './harness';

/**
 * The bank subgraph's control fields over the banks' control interfaces, with nock at the
 * bank edge: capability refusals before any call, batching per bank, one bank failing among
 * several, refusals as data, and the over-seizure sum across banks.
 */
nockAtTheBankEdge();

const schema = buildSchemaFor('bank', resolvers);
const CASE = '(2025)浙0106执1001号';
const URL_OF = { NCB: 'http://ncb.test', HZCB: 'http://hzcb.test', RCC: 'http://rcc.test', WEB: 'http://web.test' };
const NCB_ACCOUNT = '6222000000000001';

/** A deposit freeze as the network's control interface reports it. */
function measure(overrides: Record<string, unknown> = {}) {
  return {
    id: '7', requestId: '浙0106/f-1', assetKind: 'DEPOSIT', assetKey: NCB_ACCOUNT, caseNumber: CASE, courtCode: '浙0106',
    documentNumber: `${CASE}之一`, kind: 'FREEZE', amountFen: null, status: 'ACTIVE', queuePosition: null,
    servedAt: '2026-03-02T00:00:00.000Z', dueAt: null, termDays: 365, termStart: '2026-03-02T01:00:00.000Z',
    termEnd: '2027-03-02T01:00:00.000Z', endedAt: null, renewals: 0, returnReason: null, amountControlledFen: 5_000_00,
    amountDeductedFen: 0, prior: [], history: [], deductions: [],
    ...overrides,
  };
}

/** NCB's answer to an account-number inquiry: one account of PERSON_ID with this available balance (ISO 4217 numeric currency). */
function ncbAccount(availableFen: number, ccy = '156') {
  return (_uri: string, body: unknown) => [
    200,
    {
      retCode: '0000', retMsg: 'success', requestNo: bodyOf(body).requestNo,
      results: [{ idNo: PERSON_ID, custFound: 'Y', idType: '01', accounts: [{ acctNo: NCB_ACCOUNT, acctType: '01', ccy, balance: availableFen, availBalance: availableFen, acctStatus: '0', branchNo: 'NCB0001', openDate: '2020-01-02' }] }],
    },
  ] as const;
}

/** Runs an operation as the gateway signed it for CASE (debtor: PERSON_ID) with `outstandingFen` to recover. */
async function run(source: string, variableValues: Record<string, unknown> = {}, outstandingFen = 1_000_000_00) {
  const loaders = createBankLoaders(connectBanks(URL_OF, 1000));
  const claims = { requestId: 'gw-1', court: '浙0106', officer: '浙0106-007', caseNumber: CASE, debtors: [PERSON_ID], caseOutstandingFen: String(outstandingFen) };
  const result = await runInCaseContext(claims, () => graphql({ schema, source, variableValues, contextValue: { loaders, caseLocks: new CaseLocks(), deducted: new Map() } }));
  return JSON.parse(JSON.stringify(result)) as { data?: any; errors?: any[] };
}

/** A deduction refused for CASE (1,000.00 outstanding as signed) with `uncounted` deducted that the signed amount does not count. */
function overDeduction(uncounted: string, limit: string, asked: string) {
  return {
    deduction: null,
    refusal: {
      code: 'OVER_SEIZURE',
      limit,
      message:
        `Case ${CASE} has 1000.00 yuan outstanding as of this request, less ${uncounted} yuan deducted that this does not count yet ` +
        `(in this request, or not yet received into the case account): at most ${limit} yuan more may be deducted, not ${asked} yuan.`,
    },
  };
}

/** The case's freezes at the three banks that deduct online (RCC only answers queries), once each. */
function freezesOfCaseAt(ncb: unknown[], hzcb: unknown[] = [], web: unknown[] = []): void {
  nock(URL_OF.NCB).post('/ncb/v3/control/case', { caseNumber: CASE }).reply(200, { measures: ncb });
  nock(URL_OF.HZCB).post('/api/control/case').reply(200, { measures: hzcb });
  nock(URL_OF.WEB).post('/openapi/v1/control/case').reply(200, { measures: web });
}

const FREEZE = `mutation($input: FreezeDepositInput!) { freezeDeposit(input: $input) { freeze { id status amountAsked } refusal { code message limit limitDays } } }`;
const DEDUCT = `mutation($input: DeductFrozenDepositInput!) { deductFrozenDeposit(input: $input) { deduction { id } refusal { code message limit } } }`;
const freezeInput = (overrides: Record<string, unknown> = {}) => ({
  input: { requestId: 'f-1', bankCode: 'NCB', accountNumber: NCB_ACCOUNT, documentNumber: `${CASE}之一`, termDays: 365, ...overrides },
});

describe('deposit freezes in the bank subgraph', () => {
  it('refuse a freeze or deduction a bank does not take online, and an over-long term, without calling any bank', async () => {
    const atRcc = await run(FREEZE, freezeInput({ bankCode: 'RCC' }));
    expect(atRcc.data).toBeNull();
    expect(atRcc.errors).toEqual([
      expect.objectContaining({
        message: 'The bank RCC (余杭农村信用合作联社) takes no freezes online; serve the court\'s notice on paper at the account\'s branch.',
        extensions: { code: 'CAPABILITY_UNAVAILABLE', agency: 'bank', provider: 'RCC', capability: 'FREEZE' },
      }),
    ]);
    const deductAtRcc = await run(DEDUCT, { input: { requestId: 'd', measureId: 'bank:RCC:3', amount: '1.00' } });
    expect(deductAtRcc.errors![0].extensions).toMatchObject({ code: 'CAPABILITY_UNAVAILABLE', provider: 'RCC', capability: 'DEDUCT' });
    expect((await run(FREEZE, freezeInput({ termDays: 366 }))).data.freezeDeposit.refusal).toMatchObject({ code: 'TERM_TOO_LONG', limitDays: 365 });
    expect((await run(FREEZE, freezeInput({ bankCode: 'XYZ' }))).errors![0].extensions).toEqual({ code: 'BAD_USER_INPUT', argument: 'bankCode' });
    expect((await run(DEDUCT, { input: { requestId: 'd', measureId: 'bank:XYZ:3', amount: '1.00' } })).data.deductFrozenDeposit.refusal).toMatchObject({
      code: 'MEASURE_NOT_FOUND',
    });
  });

  it('sum what the case controls at every bank and refuse a freeze beyond the outstanding amount, naming the limit', async () => {
    nock(URL_OF.NCB).post('/ncb/v3/inquiry/accounts').reply(ncbAccount(8_000_00));
    nock(URL_OF.NCB).post('/ncb/v3/control/case', { caseNumber: CASE }).reply(200, { measures: [measure({ id: '7', requestId: '浙0106/f-0', assetKey: 'OTHER', amountControlledFen: 5_000_00, amountDeductedFen: 1_000_00 })] });
    nock(URL_OF.HZCB).post('/api/control/case').reply(200, { measures: [] });
    nock(URL_OF.WEB).post('/openapi/v1/control/case').reply(200, { measures: [measure({ id: '2', assetKey: 'W1', status: 'WAITING', queuePosition: 1, amountControlledFen: null })] });
    // Outstanding 10,000.00; 4,000.00 held undeducted at NCB, the WEB freeze waits and holds nothing.
    const answer = await run(FREEZE, freezeInput(), 10_000_00);
    expect(answer.data.freezeDeposit).toEqual({
      freeze: null,
      refusal: {
        code: 'OVER_SEIZURE',
        limit: '6000.00',
        limitDays: null,
        message:
          `Case ${CASE} has 10000.00 yuan outstanding and already controls 4000.00 yuan in deposits, so at most 6000.00 yuan more ` +
          'may be frozen; this freeze asks for the whole balance and would control 8000.00 yuan.',
      },
    });
  });

  it('refuse a freeze of an account held in another currency than yuan, before the case\'s freezes are read or anything is sent', async () => {
    // 1,000.00 USD is worth about 7,000 yuan: counted as 1,000.00 yuan it would pass a 2,000.00 limit.
    nock(URL_OF.NCB).post('/ncb/v3/inquiry/accounts').reply(ncbAccount(1_000_00, '840'));
    const answer = await run(FREEZE, freezeInput({ amount: '1000.00' }), 2_000_00);
    expect(answer.errors).toBeUndefined();
    expect(answer.data.freezeDeposit).toEqual({
      freeze: null,
      refusal: {
        code: 'FOREIGN_CURRENCY',
        limit: null,
        limitDays: null,
        message:
          `Account ${NCB_ACCOUNT} at bank NCB is held in USD, and what a case may control is counted in yuan with no exchange rate ` +
          "on the network: freeze it at the bank's counter, stating the amount in USD at the day's rate.",
      },
    });
    // nock would have failed any other call (control interface, other banks): none was made.
    expect(nock.pendingMocks()).toEqual([]);
  });

  it('give the agency’s refusal of a deduction as data, with what is left as the limit', async () => {
    freezesOfCaseAt([measure()]);
    nock(URL_OF.NCB)
      .post('/ncb/v3/control/deduct', (body) => body.measureId === '7' && body.amountFen === 900_00 && body.requestId === '浙0106/d-1' && body.caseNumber === CASE)
      .reply(409, { code: 'INSUFFICIENT_FROZEN', message: 'Measure 7 holds 80000 fen not yet deducted; 90000 were asked.', details: { measureId: '7', availableFen: 800_00 } });
    const answer = await run(DEDUCT, { input: { requestId: 'd-1', measureId: 'bank:NCB:7', amount: '900.00' } });
    expect(answer.data.deductFrozenDeposit).toEqual({
      deduction: null,
      refusal: { code: 'INSUFFICIENT_FROZEN', message: 'Measure 7 holds 80000 fen not yet deducted; 90000 were asked.', limit: '800.00' },
    });
  });

  it('refuse a deduction beyond the outstanding amount, unless it is the retry of one already made', async () => {
    freezesOfCaseAt([measure()]);
    const fresh = await run(DEDUCT, { input: { requestId: 'd-9', measureId: 'bank:NCB:7', amount: '900.00' } }, 500_00);
    expect(fresh.data.deductFrozenDeposit).toEqual({
      deduction: null,
      refusal: { code: 'OVER_SEIZURE', limit: '500.00', message: `Case ${CASE} has 500.00 yuan outstanding; 900.00 yuan cannot be deducted for it.` },
    });

    const made = { id: '3', requestId: '浙0106/d-1', amountFen: 900_00, at: '2026-03-03T00:00:00.000Z', transferredAt: '2026-03-03T00:00:00.000Z' };
    freezesOfCaseAt([measure({ amountDeductedFen: 900_00, deductions: [made] })]);
    nock(URL_OF.NCB)
      .post('/ncb/v3/control/deduct', { measureId: '7', amountFen: 900_00, requestId: '浙0106/d-1', courtCode: '浙0106', caseNumber: CASE })
      .reply(200, { deduction: made, measure: measure({ amountDeductedFen: 900_00, deductions: [made] }), lapsed: [] });
    const retry = await run(DEDUCT, { input: { requestId: 'd-1', measureId: 'bank:NCB:7', amount: '900.00' } }, 500_00);
    expect(retry.data.deductFrozenDeposit).toEqual({ deduction: { id: 'bank:NCB:deduction:3' }, refusal: null });
  });

  it('count what was deducted but not yet received by the court against the outstanding amount', async () => {
    // Outstanding 1,000.00 as signed; 300.00 deducted at WEB earlier, its transfer not confirmed yet.
    const pending = { id: '5', requestId: '浙0106/d-0', amountFen: 300_00, at: '2026-03-03T00:00:00.000Z', transferredAt: null };
    const received = { id: '6', requestId: '浙0106/d-00', amountFen: 999_00, at: '2026-03-01T00:00:00.000Z', transferredAt: '2026-03-01T00:00:01.000Z' };
    freezesOfCaseAt([measure()], [], [measure({ id: '2', assetKey: 'W1', amountDeductedFen: 1_299_00, deductions: [pending, received] })]);
    const refused = await run(DEDUCT, { input: { requestId: 'd-2', measureId: 'bank:NCB:7', amount: '700.01' } }, 1_000_00);
    expect(refused.data.deductFrozenDeposit).toEqual(overDeduction('300.00', '700.00', '700.01'));
    expect(nock.pendingMocks()).toEqual([]);
  });

  it('count a deduction made earlier in the same request: two within the outstanding amount cannot together exceed it', async () => {
    const first = { id: '3', requestId: '浙0106/d-1', amountFen: 600_00, at: '2026-03-03T00:00:00.000Z', transferredAt: '2026-03-03T00:00:00.000Z' };
    freezesOfCaseAt([measure()]);
    nock(URL_OF.NCB)
      .post('/ncb/v3/control/deduct', (body) => body.requestId === '浙0106/d-1' && body.amountFen === 600_00)
      .reply(200, { deduction: first, measure: measure({ amountDeductedFen: 600_00, deductions: [first] }), lapsed: [] });
    // The court received the first at once, but the outstanding amount signed for this request is from before it.
    freezesOfCaseAt([measure({ amountDeductedFen: 600_00, deductions: [first] })]);
    const both = await run(
      `mutation($a: DeductFrozenDepositInput!, $b: DeductFrozenDepositInput!) {
        a: deductFrozenDeposit(input: $a) { deduction { id } refusal { code } }
        b: deductFrozenDeposit(input: $b) { deduction { id } refusal { code message limit } } }`,
      { a: { requestId: 'd-1', measureId: 'bank:NCB:7', amount: '600.00' }, b: { requestId: 'd-2', measureId: 'bank:NCB:7', amount: '600.00' } },
      1_000_00,
    );
    expect(both.errors).toBeUndefined();
    expect(both.data.a).toEqual({ deduction: { id: 'bank:NCB:deduction:3' }, refusal: null });
    expect(both.data.b).toEqual(overDeduction('600.00', '400.00', '600.00'));
    expect(nock.pendingMocks()).toEqual([]);
  });

  it('refuse a deduction when a bank that deducts cannot tell what was deducted for the case', async () => {
    nock(URL_OF.NCB).post('/ncb/v3/control/case').reply(200, { measures: [measure()] });
    nock(URL_OF.HZCB).post('/api/control/case').reply(500, { code: 'INTERNAL', message: 'down' });
    nock(URL_OF.WEB).post('/openapi/v1/control/case').reply(200, { measures: [] });
    const answer = await run(DEDUCT, { input: { requestId: 'd-3', measureId: 'bank:NCB:7', amount: '1.00' } });
    expect(answer.data).toBeNull();
    expect(answer.errors![0].extensions).toMatchObject({ code: 'AGENCY_UNAVAILABLE', agency: 'bank', provider: 'HZCB' });
  });

  it('read the freezes of accounts in one control call per bank, and a case’s freezes with one failed bank as one null item', async () => {
    const row = (acctNo: string) => ({ acctNo, acctType: '01', ccy: '156', balance: 100, availBalance: 100, acctStatus: '0', branchNo: 'NCB0001', openDate: '2020-01-02' });
    nock(URL_OF.NCB)
      .post('/ncb/v3/inquiry/accounts', (body) => JSON.stringify(body.acctNos) === JSON.stringify([NCB_ACCOUNT, 'N2']))
      .reply((_uri, body) => [200, { retCode: '0000', retMsg: 'success', requestNo: bodyOf(body).requestNo, results: [{ idNo: PERSON_ID, custFound: 'Y', idType: '01', accounts: [row(NCB_ACCOUNT), row('N2')] }] }]);
    nock(URL_OF.NCB)
      .post('/ncb/v3/control/measures', { assetKeys: [NCB_ACCOUNT, 'N2'] })
      .reply(200, { measures: [measure(), measure({ id: '8', requestId: '浙0203/x', courtCode: '浙0203', status: 'WAITING', queuePosition: 1, termStart: null, termEnd: null })] });
    const accounts = await run(`{ _entities(representations: [
      { __typename: "BankAccount", bankCode: "NCB", accountNumber: "${NCB_ACCOUNT}" }, { __typename: "BankAccount", bankCode: "NCB", accountNumber: "N2" }]) {
        ... on BankAccount { accountNumber freezes { id requestId status queuePosition } } } }`);
    expect(accounts).toEqual({
      data: {
        _entities: [
          {
            accountNumber: NCB_ACCOUNT,
            freezes: [
              { id: 'bank:NCB:7', requestId: 'f-1', status: 'ACTIVE', queuePosition: null },
              { id: 'bank:NCB:8', requestId: 'x', status: 'WAITING', queuePosition: 1 },
            ],
          },
          { accountNumber: 'N2', freezes: [] },
        ],
      },
    });

    nock(URL_OF.NCB).post('/ncb/v3/control/case').reply(200, { measures: [measure()] });
    nock(URL_OF.HZCB).post('/api/control/case').reply(500, { code: 'INTERNAL', message: 'down' });
    nock(URL_OF.WEB).post('/openapi/v1/control/case').reply(200, { measures: [measure({ id: '3', assetKey: 'W1', amountFen: 100_00, amountControlledFen: 100_00 })] });
    const ofCase = await run(`{ _entities(representations: [{ __typename: "EnforcementCase", caseNumber: "${CASE}" }]) {
      ... on EnforcementCase { depositFreezes { id requestId amountAsked amountControlled bank { code } } } } }`);
    expect(ofCase.data._entities[0].depositFreezes).toEqual([
      { id: 'bank:NCB:7', requestId: 'f-1', amountAsked: null, amountControlled: '5000.00', bank: { code: 'NCB' } },
      null,
      { id: 'bank:WEB:3', requestId: 'f-1', amountAsked: '100.00', amountControlled: '100.00', bank: { code: 'WEB' } },
    ]);
    expect(ofCase.errors).toEqual([
      expect.objectContaining({ path: ['_entities', 0, 'depositFreezes', 1], extensions: expect.objectContaining({ code: 'AGENCY_UNAVAILABLE', agency: 'bank', provider: 'HZCB' }) }),
    ]);
  });
});
