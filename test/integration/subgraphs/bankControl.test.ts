import { randomBytes } from 'node:crypto';
import { type Database, openDatabase } from '../../../lib/db/openDatabase';
import type { ServedGraphQL } from '../../../lib/http/serveGraphQL';
import { startBankEmulators, startNcbEmulator } from '../../../mocks/bank';
import type { BankEmulatorOptions } from '../../../mocks/bank';
import { CaseAccount } from '../../../mocks/court/caseAccount';
import { startCourtEmulator } from '../../../mocks/court/server';
import { type BankAccountRecord, createPopulation, type PartyRef, type Population } from '../../../mocks/population';
import type { AgencyControlOptions } from '../../../mocks/shared/measures/controlDesk';
import type { Emulator } from '../../../mocks/shared/startEmulator';
import { formatFen } from '../../../schemas/identifiers';
import { startBankSubgraph } from '../../../subgraphs/bank';
import { BACKENDS } from '../../support/measureHarness';
import { postGraphQL } from '../../support/postGraphQL';
import { mutationClaims, signedHeaders, TEST_SUBGRAPH_SECRET } from '../../support/signedHeaders';
import { TestClock } from '../../support/testClock';
import { PATIENT_AGENCY_TIMEOUT_MS } from '../../support/agencyLimits';

/**
 * The banks' control interface and the bank subgraph's control mutations over it, on each
 * database backend: a bank's answer (returned for a closed account), its outbox of transfers
 * to the court's case account, restarts between acceptance and read-back, and the subgraph's
 * over-seizure bar counting what is frozen and what is still unanswered.
 */
const HOUR = 3_600_000;
const keyOf = (p: PartyRef) => (p.kind === 'PERSON' ? p.idNumber : p.creditCode);
const generated = createPopulation({ persons: 200 });
const rich = generated.scenarios.richDebtor;
const scenarioHolders = new Set([rich.idNumber, rich.companyCreditCode, generated.scenarios.debtorInTwoCourts.idNumber]);
/** A filler customer's account, closed at its bank in this test's copy of the province. */
const closedAccount = generated.bankAccounts.find((a) => a.bankCode === 'WEB' && a.currency === 'CNY' && !scenarioHolders.has(keyOf(a.holder)))!;
const population: Population = {
  ...generated,
  bankAccounts: generated.bankAccounts.map((a) => (a === closedAccount ? { ...a, status: 'CLOSED' } : a)),
};
const accountOf = (holder: string, bankCode: string): BankAccountRecord =>
  population.bankAccounts.filter((a) => keyOf(a.holder) === holder && a.bankCode === bankCode && a.currency === 'CNY').sort((a, b) => b.balanceFen - a.balanceFen)[0]!;
const richCase = population.cases.find((c) => c.caseNumber === rich.caseNumber)!;

describe.each(BACKENDS)('bank control on $name', (backend) => {
  const clock = new TestClock('2026-03-02T01:00:00.000Z');
  const tag = `t${randomBytes(5).toString('hex')}_`;
  let db: Database;
  let court: Emulator;
  let banks: Record<string, Emulator>;
  let subgraph: ServedGraphQL;
  const control = (code: string): AgencyControlOptions => ({ database: db, table: `${tag}bank_${code.toLowerCase()}`, clock: clock.now, answerDelayMs: HOUR });
  const ncbOptions = (): BankEmulatorOptions => ({ port: Number(new URL(banks.NCB!.url).port), latencyMs: 0, control: control('NCB'), courtUrl: court.url });

  beforeAll(async () => {
    db = await openDatabase({ url: backend.url });
    const caseAccount = await CaseAccount.open(db, { table: `${tag}case_receipts`, clock: clock.now });
    court = await startCourtEmulator(population, { latencyMs: 0, caseAccount });
    banks = await startBankEmulators(population, { latencyMs: { NCB: 0, HZCB: 0, RCC: 0, WEB: 0 }, control, courtUrl: court.url });
    subgraph = await startBankSubgraph({ bankUrls: Object.fromEntries(Object.entries(banks).map(([code, e]) => [code, e.url])), secret: TEST_SUBGRAPH_SECRET, timeoutMs: PATIENT_AGENCY_TIMEOUT_MS });
  });
  afterAll(async () => {
    await subgraph?.stop();
    await Promise.all([court, ...Object.values(banks ?? {})].filter(Boolean).map((e) => e.close()));
    const { rows } = await db.query<{ tablename: string }>(`SELECT tablename FROM pg_tables WHERE starts_with(tablename, $1)`, [tag]);
    for (const { tablename } of rows) await db.query(`DROP TABLE IF EXISTS "${tablename}" CASCADE`);
    await db.close();
  });
  afterEach(() => court.setFaults({ mode: 'none' }));

  async function post(emulator: Emulator, path: string, body: unknown): Promise<{ status: number; body: any }> {
    const response = await fetch(new URL(path, emulator.url), { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    return { status: response.status, body: await response.json() };
  }

  /** The subgraph as the gateway calls it for a case: court, case, its debtors, what it still has outstanding, and the operation's kind. */
  async function inCase(caseNumber: string, debtors: string[], outstandingFen: number, query: string, variables: Record<string, unknown>) {
    const kind = query.trimStart().startsWith('mutation') ? mutationClaims(query, variables) : { operation: 'query' as const };
    const headers = await signedHeaders(TEST_SUBGRAPH_SECRET, { caseNumber, debtors, caseOutstandingFen: String(outstandingFen), ...kind });
    return postGraphQL(subgraph.url, query, variables, headers);
  }

  const FREEZE = `mutation ($input: FreezeDepositInput!) {
    freezeDeposit(input: $input) { freeze { id status amountAsked amountControlled returnReason } refusal { code message limit } }
  }`;
  const DEDUCT = `mutation ($input: DeductFrozenDepositInput!) {
    deductFrozenDeposit(input: $input) { deduction { amount transferred } freeze { id status amountDeducted } refusal { code message limit } }
  }`;
  const CASE = `query ($reps: [_Any!]!) { _entities(representations: $reps) { ... on EnforcementCase { depositFreezes { id status amountControlled amountDeducted returnReason history { kind } } } } }`;
  const ACCOUNT = `query ($reps: [_Any!]!) { _entities(representations: $reps) { ... on BankAccount { balance availableBalance freezes { id status } } } }`;
  const freezeInput = (account: BankAccountRecord, requestId: string, amount?: string) => ({
    input: { requestId, bankCode: account.bankCode, accountNumber: account.accountNumber, documentNumber: '(2025)浙0106执保1号', termDays: 180, ...(amount ? { amount } : {}) },
  });
  const caseFreezes = async (caseNumber: string) =>
    (await inCase(caseNumber, [], 1, CASE, { reps: [{ __typename: 'EnforcementCase', caseNumber }] })).data!._entities[0].depositFreezes as any[];
  // Signed for the holder: an account answers only for a debtor of the request's case.
  const accountNow = async (account: BankAccountRecord) =>
    (await inCase(rich.caseNumber, [keyOf(account.holder)], 1, ACCOUNT, { reps: [{ __typename: 'BankAccount', bankCode: account.bankCode, accountNumber: account.accountNumber }] })).data!._entities[0];

  it('returns (回退) a freeze of a closed account when the bank answers, and refuses an account no debtor holds', async () => {
    const stranger = '(2025)浙0106执9001号';
    const holder = keyOf(closedAccount.holder);
    const served = await inCase(stranger, [holder], 1_000_000_00, FREEZE, freezeInput(closedAccount, 'closed-1'));
    expect(served.data!.freezeDeposit.freeze).toMatchObject({ status: 'SUBMITTED', returnReason: null });
    clock.advance(HOUR);
    expect(await caseFreezes(stranger)).toEqual([
      {
        id: served.data!.freezeDeposit.freeze.id,
        status: 'RETURNED',
        amountControlled: null,
        amountDeducted: '0.00',
        returnReason: '账户已销户 (account closed)',
        history: [{ kind: 'SUBMITTED' }, { kind: 'RETURNED' }],
      },
    ]);

    const unknown = { requestId: 'x', assetKind: 'DEPOSIT', kind: 'FREEZE', assetKey: '0000', caseNumber: stranger, courtCode: '浙0106', documentNumber: 'D', termDays: 30 };
    expect(await post(banks.WEB!, '/openapi/v1/control/submit', unknown)).toEqual({
      status: 404,
      body: { code: 'ASSET_NOT_FOUND', message: 'bank WEB keeps no account 0000', details: {} },
    });
    expect((await post(banks.WEB!, '/openapi/v1/control/submit', { ...unknown, assetKind: 'VEHICLE', kind: 'SEIZE' })).body.code).toBe('NOT_SUPPORTED');
    // RCC freezes on paper only: it has no control interface at all.
    expect((await post(banks.RCC!, '/rcc/control/submit', unknown)).status).toBe(404);
    // A number the bank does not keep is not among the debtor's accounts: refused as any account no debtor holds, the bank not asked about it.
    banks.WEB!.resetCalls();
    const notFound = await inCase(stranger, [holder], 1_000_000_00, FREEZE, { input: { ...freezeInput(closedAccount, 'closed-2').input, accountNumber: 'W000' } });
    expect(notFound.errors).toMatchObject([
      { message: `No debtor of case ${stranger} holds account W000 at bank WEB: it cannot be controlled in that case.`, extensions: { code: 'FORBIDDEN', reason: 'NOT_A_DEBTOR' } },
    ]);
    expect(banks.WEB!.calls.map((c) => [c.path, c.body])).toEqual([['/openapi/v1/holdings:batchQuery', expect.objectContaining({ holderIds: [holder] })]]);
  });

  it('counts what the case controls at every bank, unanswered freezes too, against its outstanding amount', async () => {
    const kase = '(2025)浙0106执9002号';
    const debtors = [rich.idNumber];
    const ncb = accountOf(rich.idNumber, 'NCB');
    const hzcb = accountOf(rich.idNumber, 'HZCB');
    const web = accountOf(rich.idNumber, 'WEB');
    const outstanding = ncb.availableFen + 1_000_00;
    // Unanswered, the NCB freeze counts at its limit: served with the available balance, all it could hold.
    const first = await inCase(kase, debtors, outstanding, FREEZE, freezeInput(ncb, 'o-1'));
    expect(first.data!.freezeDeposit.freeze.status).toBe('SUBMITTED');
    const tooMuch = await inCase(kase, debtors, outstanding, FREEZE, freezeInput(hzcb, 'o-2'));
    expect(tooMuch.data!.freezeDeposit).toEqual({
      freeze: null,
      refusal: {
        code: 'OVER_SEIZURE',
        limit: '1000.00',
        message:
          `Case ${kase} has ${formatFen(outstanding)} yuan outstanding and already controls ${formatFen(ncb.availableFen)} yuan in deposits ` +
          '(freezes not in force yet count at their limit, deductions not yet received too), so at most 1000.00 yuan more may be frozen; ' +
          `this freeze asks for the whole balance and would control up to ${formatFen(hzcb.availableFen)} yuan.`,
      },
    });
    const hzcbCalls = banks.HZCB!.calls.filter((c) => c.path.startsWith('/api/control/submit')).length;
    expect(hzcbCalls).toBe(0);
    // A freeze above the balance counts with what it actually controls, once answered.
    clock.advance(HOUR);
    const fits = await inCase(kase, debtors, outstanding, FREEZE, freezeInput(hzcb, 'o-3', '1000.00'));
    expect(fits.data!.freezeDeposit.freeze).toMatchObject({ status: 'SUBMITTED', amountAsked: '1000.00' });
    const full = await inCase(kase, debtors, outstanding, FREEZE, freezeInput(web, 'o-4', '0.01'));
    expect(full.data!.freezeDeposit.refusal).toMatchObject({ code: 'OVER_SEIZURE', limit: '0.00' });
    // A retry of an accepted request is the bank's to answer, even when the case is now fully controlled.
    const retry = await inCase(kase, debtors, outstanding, FREEZE, freezeInput(hzcb, 'o-3', '1000.00'));
    expect(retry.data!.freezeDeposit.freeze.id).toBe(fits.data!.freezeDeposit.freeze.id);
    // The account must be a debtor's; and a deduction may not exceed what the case has outstanding.
    const notDebtor = await inCase(kase, [], outstanding, FREEZE, freezeInput(web, 'o-5'));
    expect(notDebtor.errors![0]!.extensions).toMatchObject({ code: 'FORBIDDEN', reason: 'NOT_A_DEBTOR' });
    banks.NCB!.resetCalls();
    const beyond = await inCase(kase, debtors, 500_00, DEDUCT, { input: { requestId: 'od-1', measureId: first.data!.freezeDeposit.freeze.id, amount: '500.01' } });
    expect(beyond.data!.deductFrozenDeposit).toMatchObject({ deduction: null, refusal: { code: 'OVER_SEIZURE', limit: '500.00' } });
    expect(banks.NCB!.calls.map((c) => c.path)).toEqual(['/ncb/v3/control/case']);
  });

  it('checks concurrent freezes of one case one after the other, so together they never exceed its outstanding amount', async () => {
    const kase = '(2025)浙0106执9003号';
    const hzcb = accountOf(rich.idNumber, 'HZCB');
    const web = accountOf(rich.idNumber, 'WEB');
    // Either freeze fits alone; both together would control more than the case has outstanding.
    const outstanding = hzcb.availableFen + web.availableFen - 1;
    const answers = await Promise.all(
      [hzcb, web, hzcb, web].map((account, i) => inCase(kase, [rich.idNumber], outstanding, FREEZE, freezeInput(account, `c-${i % 2}`))),
    );
    const outcomes = answers.map((a) => (a.data!.freezeDeposit.freeze ? 'FROZEN' : a.data!.freezeDeposit.refusal.code));
    expect(outcomes.filter((o) => o === 'FROZEN')).toHaveLength(2);
    expect(outcomes.filter((o) => o === 'OVER_SEIZURE')).toHaveLength(2);
    // The two that stood are one freeze: the same request id again.
    const ids = new Set(answers.flatMap((a) => (a.data!.freezeDeposit.freeze ? [a.data!.freezeDeposit.freeze.id] : [])));
    expect(ids.size).toBe(1);
    expect(await caseFreezes(kase)).toHaveLength(1);
  });

  it('counts a deduction made earlier in the same request: two within the outstanding amount cannot together exceed it', async () => {
    const kase = '(2025)浙0106执9004号';
    const debtors = [rich.companyCreditCode];
    // The rich debtor's company's account, which no other test here freezes.
    const account = population.bankAccounts.find(
      (a) => keyOf(a.holder) === rich.companyCreditCode && a.currency === 'CNY' && (a.bankCode === 'HZCB' || a.bankCode === 'WEB') && a.availableFen >= 1_200_00,
    )!;
    expect(account).toBeDefined();
    const frozen = await inCase(kase, debtors, account.availableFen, FREEZE, freezeInput(account, 'twice-f'));
    const id = frozen.data!.freezeDeposit.freeze.id;
    clock.advance(HOUR);
    expect((await caseFreezes(kase)).find((f) => f.id === id)).toMatchObject({ status: 'ACTIVE' });
    // Since the freeze, the case's outstanding amount fell to 1,000.00 (paid otherwise): the freeze now holds more.
    const both = await inCase(
      kase,
      debtors,
      1_000_00,
      `mutation ($a: DeductFrozenDepositInput!, $b: DeductFrozenDepositInput!) {
        a: deductFrozenDeposit(input: $a) { deduction { amount } refusal { code } }
        b: deductFrozenDeposit(input: $b) { deduction { amount } refusal { code limit } } }`,
      { a: { requestId: 'twice-a', measureId: id, amount: '600.00' }, b: { requestId: 'twice-b', measureId: id, amount: '600.00' } },
    );
    expect(both.errors).toBeUndefined();
    expect(both.data).toEqual({
      a: { deduction: { amount: '600.00' }, refusal: null },
      b: { deduction: null, refusal: { code: 'OVER_SEIZURE', limit: '400.00' } },
    });
    const [after] = (await caseFreezes(kase)).filter((f) => f.id === id);
    expect(after).toMatchObject({ amountDeducted: '600.00' });
  });

  it('keeps what it accepted and what it deducted across restarts, and debits only its own copy of the account', async () => {
    const ncb = accountOf(rich.idNumber, 'NCB');
    const debtors = [rich.idNumber, rich.companyCreditCode];
    const ncbAccounts = () => banks.NCB!;
    // Another case than the over-seizure test's, on the rich debtor's second NCB account.
    const second = population.bankAccounts.filter((a) => keyOf(a.holder) === rich.idNumber && a.bankCode === 'NCB').find((a) => a !== ncb)!;
    const accepted = await inCase(rich.caseNumber, debtors, richCase.outstandingFen, FREEZE, freezeInput(second, 'r-1'));
    expect(accepted.data!.freezeDeposit.freeze.status).toBe('SUBMITTED');
    const id = accepted.data!.freezeDeposit.freeze.id;

    const restart = async () => {
      const options = ncbOptions();
      await ncbAccounts().close();
      banks.NCB = await startNcbEmulator(population, options);
    };
    await restart();
    clock.advance(HOUR);
    const [active] = (await caseFreezes(rich.caseNumber)).filter((f) => f.id === id);
    expect(active).toMatchObject({ status: 'ACTIVE', amountControlled: formatFen(second.availableFen) });

    // The court's case system is down: the deduction is made, its transfer waits in the bank's outbox.
    court.setFaults({ mode: 'error500' });
    const first = await inCase(rich.caseNumber, debtors, richCase.outstandingFen, DEDUCT, { input: { requestId: 'rd-1', measureId: id, amount: '100.00' } });
    expect(first.data!.deductFrozenDeposit).toMatchObject({ deduction: { amount: '100.00', transferred: false }, freeze: { status: 'ACTIVE', amountDeducted: '100.00' } });
    // The freeze holds all that was available, so none of the rest is the holder's to draw.
    expect(await accountNow(second)).toMatchObject({ balance: formatFen(second.balanceFen - 100_00), availableBalance: '0.00' });
    court.setFaults({ mode: 'none' });
    const receipts = async () => (await post(court, '/zxaj/v1/cases/batch', { ah: [rich.caseNumber] })).body.aj[0].wzxje as string;
    expect(await receipts()).toBe(formatFen(richCase.outstandingFen));

    await restart();
    // The bank sends what waited in its outbox as it starts.
    expect(await receipts()).toBe(formatFen(richCase.outstandingFen - 100_00));
    // The freeze holds all that was available, so none of the rest is the holder's to draw.
    expect(await accountNow(second)).toMatchObject({ balance: formatFen(second.balanceFen - 100_00), availableBalance: '0.00' });
    const next = await inCase(rich.caseNumber, debtors, richCase.outstandingFen, DEDUCT, { input: { requestId: 'rd-2', measureId: id, amount: '50.00' } });
    expect(next.data!.deductFrozenDeposit.deduction).toEqual({ amount: '50.00', transferred: true });
    expect(await receipts()).toBe(formatFen(richCase.outstandingFen - 150_00));
    const [after] = (await caseFreezes(rich.caseNumber)).filter((f) => f.id === id);
    expect(after).toMatchObject({ status: 'ACTIVE', amountDeducted: '150.00' });

    await restart();
    expect(await accountNow(second)).toMatchObject({
      balance: formatFen(second.balanceFen - 150_00),
      availableBalance: '0.00',
      freezes: [{ id, status: 'ACTIVE' }],
    });
    // The province every emulator draws from is untouched.
    expect(generated.bankAccounts.find((a) => a.accountNumber === second.accountNumber)!.balanceFen).toBe(second.balanceFen);
  });
});
