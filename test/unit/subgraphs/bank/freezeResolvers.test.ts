import { graphql } from 'graphql';
import nock from 'nock';
import { CaseLocks } from '../../../../subgraphs/bank/caseLocks';
import { connectBanks } from '../../../../subgraphs/bank/client';
import { createBankLoaders } from '../../../../subgraphs/bank/loaders';
import { resolvers } from '../../../../subgraphs/bank/resolvers';
import { withAgencyHeaders } from '../../../../subgraphs/shared/agencyHeaders';
import { buildSchemaFor } from '../../../../subgraphs/shared/startSubgraph';
import { bodyOf, COMPANY_ID, nockAtTheBankEdge, PERSON_ID } from '../../../support/bankHarness';

/**
 * The bank subgraph's control fields over the banks' control interfaces, with nock at the
 * bank edge: capability refusals before any call, batching per bank, one bank failing among
 * several, refusals as data, the over-seizure sum across banks (freezes not in force yet at
 * their limit), the limit every freeze is served with, and accounts no debtor holds.
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

/** An NCB account row (fen; ISO 4217 numeric currency). */
function ncbRow(acctNo: string, balance: number, availBalance = balance) {
  return { acctNo, acctType: '01', ccy: '156', balance, availBalance, acctStatus: '0', branchNo: 'NCB0001', openDate: '2020-01-02' };
}

/** NCB answers, once, an inquiry into the accounts of these debtors (and of nothing else) with these accounts each. */
function debtorsAccountsAtNcb(accounts: Record<string, ReturnType<typeof ncbRow>[]>): void {
  const holders = Object.keys(accounts);
  nock(URL_OF.NCB)
    .post('/ncb/v3/inquiry/accounts', (body) => JSON.stringify(body.idNos) === JSON.stringify(holders) && !('acctNos' in body))
    .reply((_uri, body) => [
      200,
      {
        retCode: '0000', retMsg: 'success', requestNo: bodyOf(body).requestNo,
        results: holders.map((idNo) => ({ idNo, custFound: 'Y', idType: idNo === COMPANY_ID ? '20' : '01', accounts: accounts[idNo] })),
      },
    ]);
}

/** Runs an operation as the gateway signed it for CASE (debtors: PERSON_ID unless said) with `outstandingFen` to recover. */
async function run(source: string, variableValues: Record<string, unknown> = {}, outstandingFen = 1_000_000_00, debtors = [PERSON_ID]) {
  const loaders = createBankLoaders(connectBanks(URL_OF, 1000));
  const claims = { requestId: 'gw-1', court: '浙0106', officer: '浙0106-007', caseNumber: CASE, debtors, caseOutstandingFen: String(outstandingFen) };
  const result = await withAgencyHeaders(claims, () => graphql({ schema, source, variableValues, contextValue: { loaders, caseLocks: new CaseLocks(), deducted: new Map(), signed: claims } }));
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
    nock(URL_OF.NCB).post('/ncb/v3/inquiry/accounts', (body) => JSON.stringify(body.idNos) === JSON.stringify([PERSON_ID])).reply(ncbAccount(8_000_00));
    nock(URL_OF.NCB).post('/ncb/v3/control/case', { caseNumber: CASE }).reply(200, { measures: [measure({ id: '7', requestId: '浙0106/f-0', assetKey: 'OTHER', amountControlledFen: 5_000_00, amountDeductedFen: 1_000_00 })] });
    nock(URL_OF.HZCB).post('/api/control/case').reply(200, { measures: [] });
    nock(URL_OF.WEB).post('/openapi/v1/control/case').reply(200, { measures: [measure({ id: '2', assetKey: 'W1', status: 'WAITING', queuePosition: 1, amountFen: 1_000_00, amountControlledFen: null })] });
    // Nothing else holds the account: the whole balance is its available balance.
    nock(URL_OF.NCB).post('/ncb/v3/control/measures', { assetKeys: [NCB_ACCOUNT] }).reply(200, { measures: [] });
    // Outstanding 10,000.00; 4,000.00 held undeducted at NCB, the WEB freeze waits and reserves its limit of 1,000.00.
    const answer = await run(FREEZE, freezeInput(), 10_000_00);
    expect(answer.data.freezeDeposit).toEqual({
      freeze: null,
      refusal: {
        code: 'OVER_SEIZURE',
        limit: '5000.00',
        limitDays: null,
        message:
          `Case ${CASE} has 10000.00 yuan outstanding and already controls 5000.00 yuan in deposits (freezes not in force yet count at their limit, deductions not yet received too), ` +
          'so at most 5000.00 yuan more may be frozen; this freeze asks for the whole balance and would control up to 8000.00 yuan.',
      },
    });
  });

  it('count freezes not in force yet at their limit, old ones without a limit at the most their account could give, and what is deducted but not received', async () => {
    const pending = { dueAt: '2026-03-03T00:00:00.000Z', termStart: null, termEnd: null, amountControlledFen: null };
    const received = { id: '8', requestId: '浙0106/d-0', amountFen: 1_000_00, at: '2026-03-02T12:00:00.000Z', transferredAt: '2026-03-02T12:00:01.000Z' };
    const inTransit = { id: '9', requestId: '浙0106/d-1', amountFen: 500_00, at: '2026-03-03T00:00:00.000Z', transferredAt: null };
    const setUp = () => {
      debtorsAccountsAtNcb({ [PERSON_ID]: [ncbRow(NCB_ACCOUNT, 8_000_00)] });
      freezesOfCaseAt(
        [
          // 5,000.00 controlled, 1,500.00 deducted: 3,500.00 held; 500.00 of it on its way to the case account.
          measure({ id: '1', requestId: '浙0106/f-a', assetKey: 'N-ACTIVE', amountDeductedFen: 1_500_00, deductions: [received, inTransit] }),
          measure({ id: '2', requestId: '浙0106/f-s', assetKey: 'N-SUB', status: 'SUBMITTED', amountFen: 1_500_00, ...pending }),
          measure({ id: '3', requestId: '浙0106/f-old', assetKey: 'N-OLD', status: 'WAITING', queuePosition: 2, ...pending, dueAt: null }),
          measure({ id: '4', requestId: '浙0106/f-r', assetKey: 'N-RET', status: 'RETURNED', amountFen: 9_000_00, returnReason: '账户已销户', ...pending, dueAt: null }),
        ],
        [],
        [measure({ id: '5', requestId: '浙0106/f-w', assetKey: 'W1', status: 'WAITING', queuePosition: 1, amountFen: 2_000_00, ...pending, dueAt: null })],
      );
      // The old freeze's account: 9,000.00, none of it free, 6,000.00 held by another court's freeze it waits behind.
      nock(URL_OF.NCB)
        .post('/ncb/v3/inquiry/accounts', (body) => JSON.stringify(body.acctNos) === JSON.stringify(['N-OLD']))
        .reply((_uri, body) => [200, { retCode: '0000', retMsg: 'success', requestNo: bodyOf(body).requestNo, results: [{ idNo: PERSON_ID, custFound: 'Y', idType: '01', accounts: [ncbRow('N-OLD', 9_000_00, 0)] }] }]);
      nock(URL_OF.NCB)
        .post('/ncb/v3/control/measures', { assetKeys: ['N-OLD'] })
        .reply(200, { measures: [measure({ id: '30', requestId: '浙0203/x', courtCode: '浙0203', caseNumber: '(2025)浙0203执1号', assetKey: 'N-OLD', amountControlledFen: 6_000_00 })] });
    };
    // 3,500.00 + 500.00 + 1,500.00 + 6,000.00 + 2,000.00 = 13,500.00 of 20,000.00; the returned freeze counts nothing.
    setUp();
    const refused = await run(FREEZE, freezeInput({ amount: '6500.01' }), 20_000_00);
    expect(refused.data.freezeDeposit).toEqual({
      freeze: null,
      refusal: {
        code: 'OVER_SEIZURE',
        limit: '6500.00',
        limitDays: null,
        message:
          `Case ${CASE} has 20000.00 yuan outstanding and already controls 13500.00 yuan in deposits (freezes not in force yet count at their limit, deductions not yet received too), ` +
          'so at most 6500.00 yuan more may be frozen; this freeze asks for 6500.01 yuan and would control up to 6500.01 yuan.',
      },
    });

    setUp();
    nock(URL_OF.NCB)
      .post('/ncb/v3/control/submit', (body) => body.assetKey === NCB_ACCOUNT && body.amountFen === 6_500_00 && body.partyKey === PERSON_ID)
      .reply(200, { measure: measure({ amountFen: 6_500_00, status: 'SUBMITTED', ...pending }) });
    const fits = await run(FREEZE, freezeInput({ amount: '6500.00' }), 20_000_00);
    expect(fits.data.freezeDeposit).toEqual({ freeze: { id: 'bank:NCB:7', status: 'SUBMITTED', amountAsked: '6500.00' }, refusal: null });
  });

  it('serve every freeze with a limit of at most what the account could give; refuse an account with nothing to freeze', async () => {
    const pending = { status: 'SUBMITTED', dueAt: '2026-03-03T00:00:00.000Z', termStart: null, termEnd: null, amountControlledFen: null };
    const servedWith = (account: string, amountFen: number) =>
      nock(URL_OF.NCB)
        .post('/ncb/v3/control/submit', (body) => body.assetKey === account && body.amountFen === amountFen && body.partyKey === PERSON_ID && body.requestId === '浙0106/f-1')
        .reply(200, { measure: measure({ assetKey: account, amountFen, ...pending }) });
    const freezesOn = (account: string, measures: unknown[]) => nock(URL_OF.NCB).post('/ncb/v3/control/measures', { assetKeys: [account] }).reply(200, { measures });
    const otherCourts = (account: string, overrides: Record<string, unknown>) =>
      measure({ id: '40', requestId: '浙0203/x', courtCode: '浙0203', caseNumber: '(2025)浙0203执1号', assetKey: account, ...overrides });
    const freezeOf = async (account: string, amount?: string) =>
      (await run(FREEZE, freezeInput({ accountNumber: account, ...(amount ? { amount } : {}) }))).data.freezeDeposit;

    // A free account: its available balance (the bank holds 2,000.00 of the 10,000.00 back for its own reasons).
    debtorsAccountsAtNcb({ [PERSON_ID]: [ncbRow('FREE', 10_000_00, 8_000_00)] });
    freezesOfCaseAt([]);
    freezesOn('FREE', [otherCourts('FREE', pending)]);
    servedWith('FREE', 8_000_00);
    expect(await freezeOf('FREE')).toEqual({ freeze: { id: 'bank:NCB:7', status: 'SUBMITTED', amountAsked: '8000.00' }, refusal: null });

    // Another court's freeze holds 4,000.00 of it, a third waits: what is free plus that hold, which it takes once promoted.
    const held = () => {
      debtorsAccountsAtNcb({ [PERSON_ID]: [ncbRow('HELD', 10_000_00, 3_000_00)] });
      freezesOfCaseAt([]);
    };
    const holding = [otherCourts('HELD', { amountControlledFen: 5_000_00, amountDeductedFen: 1_000_00 }), otherCourts('HELD', { ...pending, id: '41', status: 'WAITING', dueAt: null, queuePosition: 1, amountFen: 50_000_00 })];
    held();
    freezesOn('HELD', holding);
    servedWith('HELD', 7_000_00);
    expect(await freezeOf('HELD')).toMatchObject({ freeze: { amountAsked: '7000.00' } });
    // A limit above that is served as that; one within the available balance as asked, without reading the account's freezes.
    held();
    freezesOn('HELD', holding);
    servedWith('HELD', 7_000_00);
    expect(await freezeOf('HELD', '100000.00')).toMatchObject({ freeze: { amountAsked: '7000.00' } });
    held();
    servedWith('HELD', 2_500_00);
    expect(await freezeOf('HELD', '2500.00')).toMatchObject({ freeze: { amountAsked: '2500.00' } });

    // Nothing a freeze could take: refused, nothing sent.
    debtorsAccountsAtNcb({ [PERSON_ID]: [ncbRow('EMPTY', 0)] });
    freezesOfCaseAt([]);
    freezesOn('EMPTY', []);
    expect(await freezeOf('EMPTY')).toEqual({
      freeze: null,
      refusal: {
        code: 'NOTHING_TO_FREEZE',
        limit: null,
        limitDays: null,
        message: 'Account EMPTY at bank NCB holds no funds a freeze could take (0.00 yuan available, none of it held by other freezes): there is no deposit to freeze.',
      },
    });

    // A retry of a freeze served before is sent with the limit it was served with, whatever the account holds now.
    debtorsAccountsAtNcb({ [PERSON_ID]: [ncbRow('FREE', 10_000_00, 0)] });
    freezesOfCaseAt([measure({ assetKey: 'FREE', amountFen: 8_000_00, amountControlledFen: 8_000_00 })]);
    nock(URL_OF.NCB)
      .post('/ncb/v3/control/submit', (body) => body.assetKey === 'FREE' && body.amountFen === 8_000_00)
      .reply(200, { measure: measure({ assetKey: 'FREE', amountFen: 8_000_00, amountControlledFen: 8_000_00 }) });
    expect(await freezeOf('FREE')).toEqual({ freeze: { id: 'bank:NCB:7', status: 'ACTIVE', amountAsked: '8000.00' }, refusal: null });
  });

  it('refuse an account no debtor holds the same way whether anyone holds it, asking the bank only for the debtors’ accounts', async () => {
    const debtors = [PERSON_ID, COMPANY_ID];
    const theirs = { [PERSON_ID]: [ncbRow(NCB_ACCOUNT, 100_00)], [COMPANY_ID]: [ncbRow('C-1', 100_00)] };
    const refusedFor = async (accountNumber: string) => {
      debtorsAccountsAtNcb(theirs);
      const answer = await run(FREEZE, freezeInput({ accountNumber }), 1_000_000_00, debtors);
      // nock refuses any other call: had the bank been asked about the account, the answer would be an agency error.
      expect(nock.pendingMocks()).toEqual([]);
      return answer;
    };
    const someonesElse = await refusedFor('6222000000000099');
    const nobodys = await refusedFor('6222000000000098');
    const blotted = (answer: unknown, key: string) => JSON.parse(JSON.stringify(answer).split(key).join('<key>'));
    expect(blotted(someonesElse, '6222000000000099')).toEqual(blotted(nobodys, '6222000000000098'));
    expect(someonesElse).toEqual({
      data: null,
      errors: [
        expect.objectContaining({
          message: `No debtor of case ${CASE} holds account 6222000000000099 at bank NCB: it cannot be controlled in that case.`,
          path: ['freezeDeposit'],
          extensions: { code: 'FORBIDDEN', reason: 'NOT_A_DEBTOR' },
        }),
      ],
    });

    // The company's account is frozen in the company's name.
    debtorsAccountsAtNcb(theirs);
    freezesOfCaseAt([]);
    nock(URL_OF.NCB)
      .post('/ncb/v3/control/submit', (body) => body.assetKey === 'C-1' && body.partyKey === COMPANY_ID && body.amountFen === 50_00)
      .reply(200, { measure: measure({ assetKey: 'C-1', amountFen: 50_00, partyKey: COMPANY_ID }) });
    expect((await run(FREEZE, freezeInput({ accountNumber: 'C-1', amount: '50.00' }), 1_000_000_00, debtors)).data.freezeDeposit.freeze).toMatchObject({ amountAsked: '50.00' });

    // A bank that cannot say what the debtors hold fails the freeze; it is not taken for "no debtor holds it".
    nock(URL_OF.NCB).post('/ncb/v3/inquiry/accounts').reply(500, { retCode: '9999', retMsg: 'system busy' });
    const down = await run(FREEZE, freezeInput(), 1_000_000_00, debtors);
    expect(down.errors).toEqual([expect.objectContaining({ path: ['freezeDeposit'], extensions: expect.objectContaining({ code: 'AGENCY_UNAVAILABLE', provider: 'NCB' }) })]);
  });

  it('ask the bank afresh for the debtors’ accounts for every freeze, not from an answer read earlier in the request', async () => {
    for (const [requestId, amountFen] of [['f-1', 10_00], ['f-2', 20_00]] as const) {
      debtorsAccountsAtNcb({ [PERSON_ID]: [ncbRow(NCB_ACCOUNT, 100_00)] });
      freezesOfCaseAt([]);
      nock(URL_OF.NCB)
        .post('/ncb/v3/control/submit', (body) => body.requestId === `浙0106/${requestId}` && body.amountFen === amountFen)
        .reply(200, { measure: measure({ requestId: `浙0106/${requestId}`, amountFen }) });
    }
    const both = await run(
      `mutation($a: FreezeDepositInput!, $b: FreezeDepositInput!) {
        a: freezeDeposit(input: $a) { freeze { amountAsked } refusal { code } }
        b: freezeDeposit(input: $b) { freeze { amountAsked } refusal { code } } }`,
      { a: freezeInput({ amount: '10.00' }).input, b: freezeInput({ requestId: 'f-2', amount: '20.00' }).input },
    );
    expect(both).toEqual({ data: { a: { freeze: { amountAsked: '10.00' }, refusal: null }, b: { freeze: { amountAsked: '20.00' }, refusal: null } } });
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
      // Found among the debtor's own accounts: the bank is asked about the debtor, not the numbers.
      .post('/ncb/v3/inquiry/accounts', (body) => JSON.stringify(body.idNos) === JSON.stringify([PERSON_ID]) && !('acctNos' in body))
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

    // A case's freezes come from the batched read of the cases of the request (a docket page at once).
    nock(URL_OF.NCB).post('/ncb/v3/control/cases', { caseNumbers: [CASE] }).reply(200, { measures: [measure()] });
    nock(URL_OF.HZCB).post('/api/control/cases').reply(500, { code: 'INTERNAL', message: 'down' });
    nock(URL_OF.WEB).post('/openapi/v1/control/cases').reply(200, { measures: [measure({ id: '3', assetKey: 'W1', amountFen: 100_00, amountControlledFen: 100_00 })] });
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
