import { decimalToFen, formatFen } from '../../schemas/identifiers';
import { type BankAccountRecord, createPopulation, type PartyRef } from '../../mocks/population';
import { postInCase } from '../support/courtRequest';
import { useStack } from '../support/stack';
import { DAY_MS, plus, TestClock } from '../support/testClock';

/**
 * Deposit freezes and deductions through the gateway (issue 5 for deposits): banks answer an
 * hour after they are served (on the agencies' clock, which the test moves), a second court
 * queues behind the first, deductions reach the court's case account, and the capability
 * matrix, the over-seizure bar and idempotency hold. Issue 12: a waiting freeze cannot take
 * its case above what it is owed, and an account no debtor holds is refused unasked.
 */
const T0 = '2026-02-02T01:00:00.000Z';
const HOUR = 3_600_000;
const clock = new TestClock(T0);
const province = createPopulation({ persons: 300 });
/**
 * Two more accounts of the debtor in two courts (who otherwise holds one, at HZCB): the first
 * with part of its balance held back by the bank, so a whole-balance freeze there controls
 * 48,000.00 of its 60,000.00; the second free.
 */
const WAITING_LIST = (() => {
  const holder: PartyRef = { kind: 'PERSON', idNumber: province.scenarios.debtorInTwoCourts.idNumber };
  const account = (bankCode: string, accountNumber: string, balanceFen: number, availableFen: number): BankAccountRecord => ({
    bankCode, accountNumber, holder, type: 'DEMAND', currency: 'CNY', balanceFen, availableFen, status: 'NORMAL', branchCode: `${bankCode}0001`, openedOn: '2019-05-05',
  });
  const accounts = { first: account('NCB', '6222000000099990001', 60_000_00, 48_000_00), second: account('WEB', 'W000000099990002', 40_000_00, 40_000_00) };
  province.bankAccounts.push(accounts.first, accounts.second);
  return accounts;
})();
const stack = useStack({ population: province, clock: clock.now, agencyAnswerDelayMs: HOUR });

const FREEZE_FIELDS = `id requestId status queuePosition courtCode documentNumber termDays termStart termEnd servedAt endedAt returnReason
  amountAsked amountControlled amountDeducted case { caseNumber } bank { code }
  priorMeasures { courtCode caseNumber status queuePosition amountControlled termEnd }
  history { kind at note } deductions { id requestId amount at transferred }`;
const FREEZE = `mutation Freeze($input: FreezeDepositInput!) {
  freezeDeposit(input: $input) { freeze { ${FREEZE_FIELDS} account { accountNumber balance } } refusal { code message limit limitDays } }
}`;
const DEDUCT = `mutation Deduct($input: DeductFrozenDepositInput!) {
  deductFrozenDeposit(input: $input) {
    deduction { id requestId amount at transferred }
    freeze { id status amountControlled amountDeducted endedAt account { balance availableBalance } }
    lapsed { id status endedAt case { caseNumber } }
    refusal { code message limit }
  }
}`;
const RENEW = `mutation Renew($input: RenewMeasureInput!) {
  renewDepositFreeze(input: $input) { freeze { id status termStart termEnd renewals } refusal { code message limitDays } }
}`;
const RELEASE = `mutation Release($input: ReleaseMeasureInput!) {
  releaseDepositFreeze(input: $input) { freeze { id status endedAt } refusal { code message } }
}`;
const CASE_FREEZES = `query CaseFreezes($case: CaseNumber!) {
  case(caseNumber: $case) { outstanding depositFreezes { ${FREEZE_FIELDS} } }
}`;
const ACCOUNTS = `query Accounts($id: IdNumber!) {
  person(idNumber: $id) { bankAccounts { bankCode accountNumber balance availableBalance freezes { id requestId status case { caseNumber } } } }
}`;

const control = { roles: ['query', 'control'] as ('query' | 'control')[] };
const keyOf = (p: PartyRef) => (p.kind === 'PERSON' ? p.idNumber : p.creditCode);

describe('deposit freezes and deductions through the gateway', () => {
  const population = () => stack().population;
  const rich = () => population().scenarios.richDebtor;
  const two = () => population().scenarios.debtorInTwoCourts;
  const accountOf = (holder: string, bankCode: string): BankAccountRecord =>
    population()
      .bankAccounts.filter((a) => keyOf(a.holder) === holder && a.bankCode === bankCode && a.currency === 'CNY')
      .sort((a, b) => b.balanceFen - a.balanceFen)[0]!;
  const outstandingOf = (caseNumber: string) => population().cases.find((c) => c.caseNumber === caseNumber)!.outstandingFen;
  const inCase = (caseNumber: string, query: string, variables: Record<string, unknown>) =>
    postInCase(stack().gateway.url, population(), caseNumber, query, variables, control);
  const freeze = (caseNumber: string, account: BankAccountRecord, input: Record<string, unknown>) =>
    inCase(caseNumber, FREEZE, {
      input: { bankCode: account.bankCode, accountNumber: account.accountNumber, documentNumber: `${caseNumber}之一`, termDays: 365, ...input },
    });
  const deduct = (caseNumber: string, measureId: string, requestId: string, amount: string) =>
    inCase(caseNumber, DEDUCT, { input: { requestId, measureId, amount } });
  const caseFreezes = async (caseNumber: string) => {
    const answer = await inCase(caseNumber, CASE_FREEZES, { case: caseNumber });
    expect(answer.errors).toBeUndefined();
    return answer.data!.case as { outstanding: string; depositFreezes: any[] };
  };
  const accountNow = async (caseNumber: string, idNumber: string, accountNumber: string) => {
    const answer = await inCase(caseNumber, ACCOUNTS, { id: idNumber });
    expect(answer.errors).toBeUndefined();
    return (answer.data!.person.bankAccounts as any[]).find((a) => a.accountNumber === accountNumber);
  };

  it('is SUBMITTED until the bank answers, then ACTIVE with its history, controlling at most the available balance', async () => {
    const kase = rich().caseNumber;
    const account = accountOf(rich().idNumber, 'NCB');
    const askedFen = account.availableFen + 1_000_000;
    const first = await freeze(kase, account, { requestId: 'ncb-1', amount: formatFen(askedFen) });
    expect(first.errors).toBeUndefined();
    const submitted = first.data!.freezeDeposit.freeze;
    expect(first.data!.freezeDeposit.refusal).toBeNull();
    expect(submitted).toMatchObject({
      requestId: 'ncb-1',
      status: 'SUBMITTED',
      courtCode: '浙0106',
      servedAt: T0,
      termStart: null,
      // A limit above what the account could give is served as what it could give: all it can ever reserve.
      amountAsked: formatFen(account.availableFen),
      amountControlled: null,
      amountDeducted: '0.00',
      case: { caseNumber: kase },
      bank: { code: 'NCB' },
      account: { accountNumber: account.accountNumber, balance: formatFen(account.balanceFen) },
      history: [{ kind: 'SUBMITTED', at: T0, note: null }],
    });
    expect(submitted.id).toMatch(/^bank:NCB:\d+$/);

    const answeredAt = clock.advance(HOUR);
    const { depositFreezes } = await caseFreezes(kase);
    expect(depositFreezes).toHaveLength(1);
    // A freeze above the balance controls the available balance, no more.
    expect(depositFreezes[0]).toMatchObject({
      id: submitted.id,
      status: 'ACTIVE',
      termStart: answeredAt,
      termEnd: plus(answeredAt, 365 * DAY_MS),
      amountAsked: formatFen(account.availableFen),
      amountControlled: formatFen(account.availableFen),
      priorMeasures: [],
      history: [
        { kind: 'SUBMITTED', at: T0, note: null },
        { kind: 'ACTIVE', at: answeredAt, note: null },
      ],
    });
    const onAccount = await accountNow(kase, rich().idNumber, account.accountNumber);
    expect(onAccount.freezes).toEqual([{ id: submitted.id, requestId: 'ncb-1', status: 'ACTIVE', case: { caseNumber: kase } }]);
    // Frozen funds are not the holder's to draw: the bank reports them held back.
    expect([onAccount.balance, onAccount.availableBalance]).toEqual([formatFen(account.balanceFen), '0.00']);

    // Renewal and release: within 365 days, by this case.
    const tooLong = await inCase(kase, RENEW, { input: { measureId: submitted.id, termDays: 366, documentNumber: `${kase}之二` } });
    expect(tooLong.data!.renewDepositFreeze).toMatchObject({ freeze: null, refusal: { code: 'TERM_TOO_LONG', limitDays: 365 } });
    const renewedAt = clock.advance(30 * DAY_MS);
    const renewed = await inCase(kase, RENEW, { input: { measureId: submitted.id, termDays: 365, documentNumber: `${kase}之二` } });
    expect(renewed.data!.renewDepositFreeze.freeze).toEqual({ id: submitted.id, status: 'ACTIVE', termStart: renewedAt, termEnd: plus(renewedAt, 365 * DAY_MS), renewals: 1 });
    const releasedAt = clock.advance(DAY_MS);
    const released = await inCase(kase, RELEASE, { input: { measureId: submitted.id, documentNumber: `${kase}之三` } });
    expect(released.data!.releaseDepositFreeze).toEqual({ freeze: { id: submitted.id, status: 'RELEASED', endedAt: releasedAt }, refusal: null });
    expect((await accountNow(kase, rich().idNumber, account.accountNumber)).availableBalance).toBe(formatFen(account.availableFen));
  });

  it('refuses a freeze of an account held in US dollars, before the bank is asked to freeze anything', async () => {
    const kase = rich().caseNumber;
    const debtors = new Set(population().cases.find((c) => c.caseNumber === kase)!.debtors.map(keyOf));
    // The seeded province gives a debtor of this case a USD account at NCB, which freezes online.
    const usd = population().bankAccounts.find((a) => a.currency === 'USD' && a.bankCode === 'NCB' && debtors.has(keyOf(a.holder)))!;
    expect(usd).toBeDefined();
    const ncb = stack().emulators['bank:NCB']!;
    ncb.resetCalls();
    const refused = await freeze(kase, usd, { requestId: 'usd-1', amount: '1.00' });
    expect(refused.errors).toBeUndefined();
    expect(refused.data!.freezeDeposit).toMatchObject({ freeze: null, refusal: { code: 'FOREIGN_CURRENCY', limit: null } });
    expect(refused.data!.freezeDeposit.refusal.message).toContain(`held in USD`);
    // The account was looked up; nothing reached the bank's control interface.
    expect(ncb.calls.length).toBeGreaterThan(0);
    expect(ncb.calls.filter((c) => c.path.includes('/control/'))).toEqual([]);
    expect((await caseFreezes(kase)).depositFreezes.filter((f: { requestId: string }) => f.requestId === 'usd-1')).toEqual([]);
  });

  it('refuses a freeze or deduction at a bank that only answers queries, before the bank is asked', async () => {
    const kase = rich().caseNumber;
    const rcc = stack().emulators['bank:RCC']!;
    rcc.resetCalls();
    const refused = await freeze(kase, accountOf(rich().idNumber, 'RCC'), { requestId: 'rcc-1' });
    expect(refused.data).toBeNull();
    expect(refused.errors).toHaveLength(1);
    expect(refused.errors![0]).toMatchObject({
      path: ['freezeDeposit'],
      extensions: { code: 'CAPABILITY_UNAVAILABLE', agency: 'bank', provider: 'RCC', capability: 'FREEZE' },
    });
    const deduction = await deduct(kase, 'bank:RCC:1', 'rcc-d-1', '1.00');
    expect(deduction.errors![0]!.extensions).toMatchObject({ code: 'CAPABILITY_UNAVAILABLE', provider: 'RCC', capability: 'DEDUCT' });
    expect(rcc.calls).toEqual([]);
  });

  it('queues a second court behind the first, deducts into the case account, and lapses the queue when all is deducted', async () => {
    const [caseA, caseB] = two().caseNumbers;
    const account = accountOf(two().idNumber, 'HZCB');
    const available = account.availableFen;
    clock.advance(DAY_MS);

    // Over-seizure: case B has 45,500.50 outstanding; a freeze may not ask for more.
    const tooMuch = await freeze(caseB, account, { requestId: 'b-1', amount: formatFen(outstandingOf(caseB) + 1) });
    expect(tooMuch.data!.freezeDeposit.freeze).toBeNull();
    expect(tooMuch.data!.freezeDeposit.refusal).toMatchObject({ code: 'OVER_SEIZURE', limit: formatFen(outstandingOf(caseB)) });
    expect(tooMuch.data!.freezeDeposit.refusal.message).toContain(`at most ${formatFen(outstandingOf(caseB))} yuan more may be frozen`);
    expect(await caseFreezes(caseB)).toEqual({ outstanding: formatFen(outstandingOf(caseB)), depositFreezes: [] });

    // Both courts serve the same account at once; the bank answers both an hour later, in order of service.
    const a = (await freeze(caseA, account, { requestId: 'same-id' })).data!.freezeDeposit.freeze;
    const b = (await freeze(caseB, account, { requestId: 'same-id' })).data!.freezeDeposit.freeze;
    // Neither asked for an amount: each is served with all the account could give as its limit.
    expect([a.status, b.status, a.amountAsked, b.amountAsked, a.id === b.id]).toEqual(['SUBMITTED', 'SUBMITTED', formatFen(available), formatFen(available), false]);
    const answeredAt = clock.advance(HOUR);
    const [activeA] = (await caseFreezes(caseA)).depositFreezes;
    const [waitingB] = (await caseFreezes(caseB)).depositFreezes;
    expect(activeA).toMatchObject({ id: a.id, status: 'ACTIVE', amountControlled: formatFen(available), termStart: answeredAt });
    expect(waitingB).toMatchObject({ id: b.id, status: 'WAITING', queuePosition: 1, termStart: null, amountControlled: null });
    expect(waitingB.priorMeasures).toEqual([
      { courtCode: '浙0106', caseNumber: caseA, status: 'ACTIVE', queuePosition: null, amountControlled: formatFen(available), termEnd: activeA.termEnd },
    ]);

    // Part of it to the court: the case's outstanding amount and the account's balance drop by exactly that.
    const partFen = 10_000_00;
    const deductedAt = clock.advance(HOUR);
    const part = await deduct(caseA, a.id, 'd-1', formatFen(partFen));
    expect(part.errors).toBeUndefined();
    expect(part.data!.deductFrozenDeposit).toEqual({
      deduction: { id: expect.stringMatching(/^bank:HZCB:deduction:\d+$/), requestId: 'd-1', amount: formatFen(partFen), at: deductedAt, transferred: true },
      freeze: {
        id: a.id,
        status: 'ACTIVE',
        amountControlled: formatFen(available),
        amountDeducted: formatFen(partFen),
        endedAt: null,
        // What is left frozen stays held back from the holder.
        account: { balance: formatFen(account.balanceFen - partFen), availableBalance: '0.00' },
      },
      lapsed: [],
      refusal: null,
    });
    expect((await caseFreezes(caseA)).outstanding).toBe(formatFen(outstandingOf(caseA) - partFen));
    expect(await accountNow(caseA, two().idNumber, account.accountNumber)).toMatchObject({
      balance: formatFen(account.balanceFen - partFen),
      availableBalance: '0.00',
    });
    // The same request id again is the same deduction, never a second one.
    const again = await deduct(caseA, a.id, 'd-1', formatFen(partFen));
    expect(again.data!.deductFrozenDeposit.deduction).toEqual(part.data!.deductFrozenDeposit.deduction);
    expect((await caseFreezes(caseA)).outstanding).toBe(formatFen(outstandingOf(caseA) - partFen));

    // Another case cannot deduct what case A froze; nobody deducts more than is left.
    const notTheirs = await deduct(caseB, a.id, 'b-d-1', '1.00');
    expect(notTheirs.data!.deductFrozenDeposit).toMatchObject({ deduction: null, refusal: { code: 'NOT_FROZEN_BY_CASE' } });
    const left = available - partFen;
    const tooMuchLeft = await deduct(caseA, a.id, 'd-2', formatFen(left + 1));
    expect(tooMuchLeft.data!.deductFrozenDeposit).toMatchObject({ deduction: null, refusal: { code: 'INSUFFICIENT_FROZEN', limit: formatFen(left) } });
    const waitingDeducted = await deduct(caseB, b.id, 'b-d-2', '1.00');
    expect(waitingDeducted.data!.deductFrozenDeposit.refusal.code).toBe('NOT_ACTIVE');

    // The rest: the freeze is disposed of and the waiting freeze of the other court lapses.
    const restAt = clock.advance(HOUR);
    const rest = await deduct(caseA, a.id, 'd-3', formatFen(left));
    expect(rest.data!.deductFrozenDeposit).toMatchObject({
      deduction: { requestId: 'd-3', amount: formatFen(left), transferred: true },
      freeze: { id: a.id, status: 'DISPOSED', amountDeducted: formatFen(available), endedAt: restAt },
      lapsed: [{ id: b.id, status: 'LAPSED', endedAt: restAt, case: { caseNumber: caseB } }],
      refusal: null,
    });
    expect((await caseFreezes(caseA)).outstanding).toBe(formatFen(outstandingOf(caseA) - available));
    const [lapsedB] = (await caseFreezes(caseB)).depositFreezes;
    expect(lapsedB).toMatchObject({ id: b.id, status: 'LAPSED', queuePosition: null });
    expect(lapsedB.history.map((e: any) => e.kind)).toEqual(['SUBMITTED', 'WAITING', 'LAPSED']);
    const [disposedA] = (await caseFreezes(caseA)).depositFreezes;
    expect(disposedA.deductions.map((d: any) => [d.requestId, d.amount, d.transferred])).toEqual([
      ['d-1', formatFen(partFen), true],
      ['d-3', formatFen(left), true],
    ]);
    expect(await accountNow(caseA, two().idNumber, account.accountNumber)).toMatchObject({
      balance: formatFen(account.balanceFen - available),
      availableBalance: '0.00',
    });
  });

  it('makes exactly one freeze of 50 concurrent requests with one request id', async () => {
    const kase = rich().caseNumber;
    const account = accountOf(rich().idNumber, 'WEB');
    const answers = await Promise.all(Array.from({ length: 50 }, () => freeze(kase, account, { requestId: 'web-once', amount: '100.00' })));
    for (const answer of answers) expect(answer.errors).toBeUndefined();
    const ids = new Set(answers.map((a) => a.data!.freezeDeposit.freeze.id));
    expect(ids.size).toBe(1);
    expect([...ids][0]).toMatch(/^bank:WEB:\d+$/);
    const onAccount = await accountNow(kase, rich().idNumber, account.accountNumber);
    expect(onAccount.freezes.filter((f: any) => f.requestId === 'web-once')).toEqual([
      { id: [...ids][0], requestId: 'web-once', status: 'SUBMITTED', case: { caseNumber: kase } },
    ]);
  });

  it('keeps what a case controls within its outstanding amount when its waiting freeze is promoted (issue 12, defect 3)', async () => {
    const [caseA, caseB] = two().caseNumbers;
    const { first, second } = WAITING_LIST;
    const owedB = outstandingOf(caseB);
    expect(owedB).toBe(45_500_50);
    const release = (caseNumber: string, measureId: string) =>
      inCase(caseNumber, RELEASE, { input: { measureId, documentNumber: `${caseNumber}之二` } });
    /**
     * What case B holds on the two accounts, in fen: what its freezes in force control now, and
     * what it may come to control (freezes not in force yet at their limit; none may lack one).
     */
    const heldByB = async () => {
      const { outstanding, depositFreezes } = await caseFreezes(caseB);
      expect(outstanding).toBe(formatFen(owedB));
      let controls = 0;
      let pending = 0;
      for (const f of depositFreezes.filter((f: { requestId: string }) => f.requestId.startsWith('wl-'))) {
        if (f.status === 'ACTIVE') controls += decimalToFen(f.amountControlled, 100) - decimalToFen(f.amountDeducted, 100);
        if (f.status === 'SUBMITTED' || f.status === 'WAITING') pending += f.amountAsked === null ? Number.POSITIVE_INFINITY : decimalToFen(f.amountAsked, 100);
      }
      expect(controls + pending).toBeLessThanOrEqual(owedB);
      return { controls, mayControl: controls + pending };
    };

    // Court A freezes the first account's whole balance.
    const a = await freeze(caseA, first, { requestId: 'wl-a-1' });
    expect(a.data!.freezeDeposit.freeze).toMatchObject({ status: 'SUBMITTED' });
    clock.advance(HOUR);
    // Served with what the bank would freeze of it as its limit: 48,000.00, not the balance.
    expect((await caseFreezes(caseA)).depositFreezes.find((f) => f.requestId === 'wl-a-1')).toMatchObject({ status: 'ACTIVE', amountControlled: '48000.00' });

    // B's whole-balance freeze would wait, and once promoted take 48,000.00: more than B is owed.
    const whole = await freeze(caseB, first, { requestId: 'wl-b-1' });
    expect(whole.data!.freezeDeposit).toEqual({
      freeze: null,
      refusal: {
        code: 'OVER_SEIZURE',
        limit: '45500.50',
        limitDays: null,
        message:
          `Case ${caseB} has 45500.50 yuan outstanding and already controls 0.00 yuan in deposits (freezes not in force yet count at their limit, deductions not yet received too), ` +
          'so at most 45500.50 yuan more may be frozen; this freeze asks for the whole balance and would control up to 48000.00 yuan.',
      },
    });
    // With a limit it is served, waits behind A, and reserves its limit.
    const waiting = (await freeze(caseB, first, { requestId: 'wl-b-2', amount: '20000.00' })).data!.freezeDeposit.freeze;
    expect(waiting).toMatchObject({ status: 'SUBMITTED', amountAsked: '20000.00' });
    clock.advance(HOUR);
    expect((await caseFreezes(caseB)).depositFreezes.find((f) => f.id === waiting.id)).toMatchObject({ status: 'WAITING', queuePosition: 1, amountControlled: null });
    expect(await heldByB()).toEqual({ controls: 0, mayControl: 20_000_00 });

    // B freezes the second account: only what the waiting freeze leaves room for.
    const rest = await freeze(caseB, second, { requestId: 'wl-b-3' });
    expect(rest.data!.freezeDeposit.refusal).toMatchObject({ code: 'OVER_SEIZURE', limit: '25500.50' });
    expect(rest.data!.freezeDeposit.refusal.message).toContain('already controls 20000.00 yuan in deposits');
    const onSecond = (await freeze(caseB, second, { requestId: 'wl-b-4', amount: '25500.50' })).data!.freezeDeposit.freeze;
    expect(onSecond).toMatchObject({ status: 'SUBMITTED', amountAsked: '25500.50' });
    clock.advance(HOUR);
    expect(await heldByB()).toEqual({ controls: 25_500_50, mayControl: owedB });
    const more = await freeze(caseB, second, { requestId: 'wl-b-5', amount: '0.01' });
    expect(more.data!.freezeDeposit.refusal).toMatchObject({ code: 'OVER_SEIZURE', limit: '0.00' });

    // A releases; B's freeze is promoted and controls its limit, not the 48,000.00 now available.
    const releasedAt = clock.advance(DAY_MS);
    expect((await release(caseA, a.data!.freezeDeposit.freeze.id)).data!.releaseDepositFreeze.freeze).toMatchObject({ status: 'RELEASED' });
    expect((await caseFreezes(caseA)).depositFreezes.find((f) => f.requestId === 'wl-a-1')).toMatchObject({ status: 'RELEASED', amountAsked: '48000.00' });
    const promoted = (await caseFreezes(caseB)).depositFreezes.find((f) => f.id === waiting.id);
    expect(promoted).toMatchObject({ status: 'ACTIVE', queuePosition: null, termStart: releasedAt, amountAsked: '20000.00', amountControlled: '20000.00' });
    expect(promoted.history.at(-1)).toEqual({ kind: 'ACTIVE', at: releasedAt, note: 'promoted from the waiting list' });
    expect(await heldByB()).toEqual({ controls: owedB, mayControl: owedB });
    // The rest of the first account is the holder's again.
    expect(await accountNow(caseB, two().idNumber, first.accountNumber)).toMatchObject({ balance: '60000.00', availableBalance: '28000.00' });
  });

  it('refuses a stranger’s account and a number nobody holds alike, asking the bank only about the debtors (issue 12, defect 4)', async () => {
    const kase = rich().caseNumber;
    const debtors = new Set(population().cases.find((c) => c.caseNumber === kase)!.debtors.map(keyOf));
    const stranger = population().bankAccounts.find((a) => a.bankCode === 'NCB' && a.currency === 'CNY' && !debtors.has(keyOf(a.holder)))!;
    const nobodys: BankAccountRecord = { ...stranger, accountNumber: '6222000000099999999' };
    expect(population().bankAccounts.map((a) => a.accountNumber)).not.toContain(nobodys.accountNumber);
    const ncb = stack().emulators['bank:NCB']!;
    ncb.resetCalls();

    const ofStranger = await freeze(kase, stranger, { requestId: 'probe-1' });
    const ofNobody = await freeze(kase, nobodys, { requestId: 'probe-1' });
    const blotted = (answer: unknown, key: string) => JSON.parse(JSON.stringify(answer).split(key).join('<key>'));
    expect(blotted(ofStranger, stranger.accountNumber)).toEqual(blotted(ofNobody, nobodys.accountNumber));
    expect(ofStranger).toEqual({
      status: 200,
      data: null,
      errors: [
        {
          message: `No debtor of case ${kase} holds account ${stranger.accountNumber} at bank NCB: it cannot be controlled in that case.`,
          path: ['freezeDeposit'],
          extensions: { code: 'FORBIDDEN', reason: 'NOT_A_DEBTOR', serviceName: 'bank' },
        },
      ],
    });
    // The bank was asked for the debtors' accounts, twice (fresh each time), and heard of neither number.
    expect(ncb.calls.map((c) => [c.method, c.path, [...(c.body as { idNos: string[] }).idNos].sort()])).toEqual(
      Array.from({ length: 2 }, () => ['POST', '/ncb/v3/inquiry/accounts', [...debtors].sort()]),
    );
    const sent = JSON.stringify(ncb.calls.map((c) => c.body));
    expect(sent).not.toContain(stranger.accountNumber);
    expect(sent).not.toContain(nobodys.accountNumber);
  });
});
