import { MeasureBook } from '../../../mocks/shared/measures/measureBook';
import { type Assessment, type Measure, MeasureError } from '../../../mocks/shared/measures/measureTypes';
import { BACKENDS, CASE_A, CASE_B, DAY_MS, HOUSE, plus, sealRequest, T0, useMeasureBook } from '../../support/measureHarness';

const HOUR_MS = 3_600_000;
const ACCOUNT = '6222020200112233';

async function refusal(promise: Promise<unknown>): Promise<MeasureError> {
  const error = await promise.then(() => undefined, (e: unknown) => e);
  expect(error).toBeInstanceOf(MeasureError);
  return error as MeasureError;
}

const freeze = (overrides: Parameters<typeof sealRequest>[0] = {}) =>
  sealRequest({ assetKind: 'DEPOSIT', assetKey: ACCOUNT, kind: 'FREEZE', termDays: 365, ...overrides });

describe.each(BACKENDS)('the agency answers measures on $name', (backend) => {
  const f = useMeasureBook(backend);
  /** A book of an agency that answers after a day, with an account holding `balance` fen (or returning). */
  const agency = (assess: (m: Measure) => Assessment, answerDelayMs = DAY_MS) =>
    MeasureBook.open(f.db(), { table: f.table(), clock: f.clock().now, answerDelayMs, assess });

  it('SUBMITTED until the answer is due, then ACTIVE from the due time, whenever somebody looks', async () => {
    const book = await agency(() => ({ controllableFen: 3_000_000 }));
    const submitted = await book.request(freeze({ amountFen: 10_000_000 }));
    expect([submitted.status, submitted.dueAt, submitted.termStart, submitted.amountControlledFen]).toEqual(['SUBMITTED', plus(T0, DAY_MS), null, null]);
    f.clock().advance(DAY_MS - 1);
    expect(await book.settleDue()).toEqual([]);
    expect((await book.measure('1')).status).toBe('SUBMITTED');

    // Looked at three days later: the answer still took effect at its due time.
    f.clock().advance(3 * DAY_MS);
    await book.settleDue();
    const answered = await book.measure('1');
    expect(answered).toMatchObject({
      status: 'ACTIVE',
      dueAt: null,
      termStart: plus(T0, DAY_MS),
      termEnd: plus(T0, 366 * DAY_MS),
      // A freeze of 100,000.00 on an account holding 30,000.00 controls 30,000.00.
      amountFen: 10_000_000,
      amountControlledFen: 3_000_000,
    });
    expect((await book.historyOf(['1'])).map((e) => [e.kind, e.at])).toEqual([
      ['SUBMITTED', T0],
      ['ACTIVE', plus(T0, DAY_MS)],
    ]);
  });

  it('a repeated request id reads the answer once it is due', async () => {
    const book = await agency(() => ({}));
    await book.request(sealRequest());
    f.clock().advance(DAY_MS);
    expect((await book.request(sealRequest())).status).toBe('ACTIVE');
  });

  it('RETURNED with the agency reason; it never controls the asset, and the next request is served', async () => {
    let closed = true;
    const book = await agency(() => (closed ? { returned: '账户已销户 (account closed)' } : { controllableFen: 500 }));
    await book.request(freeze({ requestId: 'r-1' }));
    f.clock().advance(DAY_MS);
    const returned = await book.request(freeze({ requestId: 'r-1' }));
    expect(returned).toMatchObject({ status: 'RETURNED', returnReason: '账户已销户 (account closed)', termStart: null, endedAt: plus(T0, DAY_MS) });
    closed = false;
    await book.request(freeze({ requestId: 'r-2', caseNumber: CASE_B, courtCode: '0108' }));
    f.clock().advance(DAY_MS);
    await book.settleDue();
    expect((await book.measuresOf(ACCOUNT)).map((m) => [m.requestId, m.status, m.amountControlledFen])).toEqual([
      ['r-1', 'RETURNED', null],
      ['r-2', 'ACTIVE', 500],
    ]);
    expect((await book.historyOf(['1'])).map((e) => [e.kind, e.note])).toEqual([
      ['SUBMITTED', null],
      ['RETURNED', '账户已销户 (account closed)'],
    ]);
  });

  it('answers in order of service, and reports the prior measures it found', async () => {
    const book = await agency(() => ({ controllableFen: 3_000_000 }), HOUR_MS);
    await book.request(freeze({ requestId: 'a', amountFen: 1_000_000 }));
    f.clock().advance(1000);
    await book.request(freeze({ requestId: 'b', caseNumber: CASE_B, courtCode: '0108', documentNumber: 'B-doc' }));
    f.clock().advance(HOUR_MS);
    await book.settleDue();
    const [a, b] = await book.measuresOf(ACCOUNT);
    expect([a!.status, a!.prior]).toEqual(['ACTIVE', []]);
    expect([b!.status, b!.queuePosition, b!.amountControlledFen]).toEqual(['WAITING', 1, null]);
    expect(b!.prior).toEqual([
      {
        measureId: '1',
        courtCode: '0106',
        caseNumber: CASE_A,
        documentNumber: '(2025)浙0106执101号之一',
        status: 'ACTIVE',
        amountControlledFen: 1_000_000,
        queuePosition: null,
        termEnd: plus(T0, HOUR_MS + 365 * DAY_MS),
      },
    ]);
  });

  it('a term ending before an answer is due moves the queue first', async () => {
    const book = await agency(() => ({}), 0);
    await book.request(sealRequest({ requestId: 'a', termDays: 1 }));
    await book.request(sealRequest({ requestId: 'b', caseNumber: CASE_B, courtCode: '0108' }));
    const slow = await MeasureBook.open(f.db(), { table: f.table(), clock: f.clock().now, answerDelayMs: 2 * DAY_MS });
    await slow.request(sealRequest({ requestId: 'c', caseNumber: 'C' }));
    f.clock().advance(3 * DAY_MS);
    await book.settleDue();
    expect((await book.measuresOf(HOUSE)).map((m) => [m.requestId, m.status, m.queuePosition, m.termStart])).toEqual([
      ['a', 'LAPSED', null, T0],
      ['b', 'ACTIVE', null, plus(T0, DAY_MS)],
      ['c', 'WAITING', 1, null],
    ]);
  });

  it('a court may withdraw its waiting or unanswered measure; the queue behind moves up; another court may not', async () => {
    const book = await agency(() => ({}), 0);
    await book.request(sealRequest({ requestId: 'a' }));
    await book.request(sealRequest({ requestId: 'b', caseNumber: CASE_B, courtCode: '0108' }));
    await book.request(sealRequest({ requestId: 'c', caseNumber: 'C', courtCode: '0109' }));
    const notYours = await refusal(book.release('2', { courtCode: '0106' }));
    expect([notYours.code, notYours.details]).toEqual(['NOT_YOUR_MEASURE', { measureId: '2' }]);
    expect((await refusal(book.renew('1', 30, { courtCode: '0108' }))).code).toBe('NOT_YOUR_MEASURE');
    const withdrawn = await book.release('2', { courtCode: '0108', caseNumber: CASE_B });
    expect([withdrawn.measure.status, withdrawn.measure.queuePosition, withdrawn.promoted]).toEqual(['RELEASED', null, null]);
    expect((await book.measuresOf(HOUSE)).map((m) => [m.status, m.queuePosition])).toEqual([
      ['ACTIVE', null],
      ['RELEASED', null],
      ['WAITING', 1],
    ]);
  });

  describe('deduction (扣划)', () => {
    const setUp = async () => {
      const book = await agency(() => ({ controllableFen: 3_000_000 }), 0);
      await book.request(freeze({ requestId: 'a', amountFen: 2_000_000 }));
      await book.request(freeze({ requestId: 'b', caseNumber: CASE_B, courtCode: '0108', documentNumber: 'B-doc' }));
      return book;
    };
    const deduct = (amountFen: number, requestId = `d-${amountFen}`) =>
      ({ requestId, measureId: '1', caseNumber: CASE_A, courtCode: '0106', amountFen });

    it('takes part of the frozen funds, exactly; a retry with the same request id deducts nothing more', async () => {
      const book = await setUp();
      const first = await book.deduct(deduct(1_234_567));
      expect(first.deduction).toMatchObject({ measureId: '1', amountFen: 1_234_567, caseNumber: CASE_A, transferredAt: null });
      expect([first.measure.status, first.measure.amountDeductedFen, first.lapsed]).toEqual(['ACTIVE', 1_234_567, []]);
      const retries = await Promise.all(Array.from({ length: 10 }, () => book.deduct(deduct(1_234_567))));
      for (const r of retries) expect(r.deduction.id).toBe(first.deduction.id);
      expect((await book.measure('1')).amountDeductedFen).toBe(1_234_567);
      expect(await book.deductedByAsset()).toEqual(new Map([[ACCOUNT, 1_234_567]]));
      expect((await book.pendingTransfers()).map((d) => d.id)).toEqual([first.deduction.id]);
      await book.markTransferred(first.deduction.id);
      expect(await book.pendingTransfers()).toEqual([]);
    });

    it('refuses more than is frozen and undeducted, naming what is left; a case that did not freeze; a non-freeze', async () => {
      const book = await setUp();
      await book.deduct(deduct(1_500_000));
      const tooMuch = await refusal(book.deduct(deduct(500_001)));
      expect([tooMuch.code, tooMuch.details]).toEqual(['INSUFFICIENT_FROZEN', { measureId: '1', availableFen: 500_000 }]);
      const otherCase = await refusal(book.deduct({ ...deduct(1), caseNumber: CASE_B, courtCode: '0108' }));
      expect(otherCase.code).toBe('NOT_FROZEN_BY_CASE');
      const waiting = await refusal(book.deduct({ ...deduct(1), measureId: '2', caseNumber: CASE_B, courtCode: '0108' }));
      expect([waiting.code, waiting.details.status]).toEqual(['NOT_ACTIVE', 'WAITING']);
      expect((await refusal(book.deduct(deduct(0)))).code).toBe('INVALID_INPUT');
      expect((await book.measure('1')).amountDeductedFen).toBe(1_500_000);
    });

    it('deducting all that is frozen disposes of the asset: the waiting list lapses', async () => {
      const book = await setUp();
      await book.deduct(deduct(500_000));
      const last = await book.deduct(deduct(1_500_000));
      expect([last.measure.status, last.measure.amountDeductedFen]).toEqual(['DISPOSED', 2_000_000]);
      expect(last.lapsed.map((m) => [m.requestId, m.status])).toEqual([['b', 'LAPSED']]);
      expect((await book.historyOf(['1'])).map((e) => e.kind)).toEqual(['SUBMITTED', 'ACTIVE', 'DEDUCTED', 'DEDUCTED', 'DISPOSED']);
    });
  });
});
