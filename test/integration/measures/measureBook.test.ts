import { MeasureBook } from '../../../mocks/shared/measures/measureBook';
import { TERM_LIMIT_DAYS } from '../../../schemas/rules/termLimits';
import { type AssetKind, MeasureError } from '../../../mocks/shared/measures/measureTypes';
import {
  active,
  BACKENDS,
  CASE_A,
  CASE_B,
  CASE_C,
  DAY_MS,
  HOUSE,
  plus,
  row,
  sealRequest,
  T0,
  useMeasureBook,
  waiting,
} from '../../support/measureHarness';

const HOUR_MS = 3_600_000;

async function refusal(promise: Promise<unknown>): Promise<MeasureError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(MeasureError);
  return error as MeasureError;
}

describe.each(BACKENDS)('measure book on $name', (backend) => {
  const f = useMeasureBook(backend);

  describe('two courts, three measures on one house', () => {
    const first = sealRequest({ requestId: 'a-1', termDays: 1095 });
    const second = sealRequest({ requestId: 'b-1', caseNumber: CASE_B, courtCode: '0108', documentNumber: '(2025)浙0108执202号之一', termDays: 730 });
    const third = sealRequest({ requestId: 'a-2', caseNumber: CASE_C, documentNumber: '(2025)浙0106执303号之一', termDays: 365 });

    it('active, waiting 1, waiting 2; release -> promotion; expiry -> lapse and promotion', async () => {
      const book = f.book();
      const clock = f.clock();
      const m1 = await book.request(first);
      const t1 = clock.advance(HOUR_MS);
      const m2 = await book.request(second);
      const t2 = clock.advance(HOUR_MS);
      const m3 = await book.request(third);

      expect(m1).toEqual(active('1', first, T0));
      expect(m2).toEqual(waiting('2', second, t1, 1));
      expect(m3).toEqual(waiting('3', third, t2, 2));
      expect(await book.measuresOf(HOUSE)).toEqual([m1, m2, m3]);

      // Release the first: waiting 1 becomes ACTIVE with its term from now, waiting 2 moves up.
      const t3 = clock.advance(10 * DAY_MS);
      const released = await book.release('1');
      const m2Active = active('2', second, t1, t3);
      expect(released).toEqual({ measure: { ...m1, status: 'RELEASED', endedAt: t3 }, promoted: m2Active });
      expect(await book.measuresOf(HOUSE)).toEqual([
        { ...m1, status: 'RELEASED', endedAt: t3 },
        m2Active,
        waiting('3', third, t2, 1),
      ]);

      // Not yet past its term: nothing lapses.
      clock.set(plus(m2Active.termEnd!, -1));
      expect(await book.settleDue()).toEqual([]);

      // Past its term: it lapses (at its term end) and the next is promoted from then.
      clock.set(plus(m2Active.termEnd!, 60_000));
      const m3Active = active('3', third, t2, m2Active.termEnd!);
      expect(await book.settleDue()).toEqual([{ measure: { ...m2Active, status: 'LAPSED', endedAt: m2Active.termEnd }, promoted: m3Active }]);
      expect(await book.measuresOf(HOUSE)).toEqual([
        { ...m1, status: 'RELEASED', endedAt: t3 },
        { ...m2Active, status: 'LAPSED', endedAt: m2Active.termEnd },
        m3Active,
      ]);
      expect(await book.settleDue()).toEqual([]);

      expect(await book.measuresOfCase(CASE_A)).toEqual([{ ...m1, status: 'RELEASED', endedAt: t3 }]);
      expect(await book.measuresOfCase(CASE_B)).toEqual([{ ...m2Active, status: 'LAPSED', endedAt: m2Active.termEnd }]);
      expect(await book.measuresOfCase(CASE_C)).toEqual([m3Active]);
    });

    it('a measure past its term is settled before the next request: the newcomer queues behind the promoted one', async () => {
      const book = f.book();
      const clock = f.clock();
      await book.request(sealRequest({ requestId: 'a-1', termDays: 30 }));
      await book.request(second);
      clock.advance(31 * DAY_MS);
      const m3 = await book.request(third);
      expect(m3).toEqual(waiting('3', third, clock.iso, 1));
      const all = await book.measuresOf(HOUSE);
      expect(all.map((m) => [m.id, m.status, m.queuePosition, m.termStart])).toEqual([
        ['1', 'LAPSED', null, T0],
        ['2', 'ACTIVE', null, plus(T0, 30 * DAY_MS)],
        ['3', 'WAITING', 1, null],
      ]);
    });
  });

  describe('term limits per kind', () => {
    const kinds: [AssetKind, number][] = [
      ['DEPOSIT', 365],
      ['VEHICLE', 730],
      ['REAL_ESTATE', 1095],
      ['EQUITY', 1095],
      ['OTHER_PROPERTY_RIGHT', 1095],
      ['INCOME', 1095],
    ];

    it('the table holds the legal limits', () => {
      expect(TERM_LIMIT_DAYS).toEqual(Object.fromEntries(kinds));
    });

    it.each(kinds)('%s: %i days accepted, one more refused with TERM_TOO_LONG naming the limit', async (assetKind, limitDays) => {
      const book = f.book();
      const atLimit = sealRequest({ requestId: `${assetKind}-ok`, assetKind, assetKey: `${assetKind}-1`, kind: 'FREEZE', termDays: limitDays });
      expect(await book.request(atLimit)).toEqual(active('1', atLimit, T0));

      const tooLong = { ...atLimit, requestId: `${assetKind}-long`, assetKey: `${assetKind}-2`, termDays: limitDays + 1 };
      const error = await refusal(book.request(tooLong));
      expect(error.code).toBe('TERM_TOO_LONG');
      expect(error.details).toEqual({ assetKind, limitDays, termDays: limitDays + 1 });
      expect(error.message).toContain(`${limitDays} days`);
      expect(await book.measuresOf(`${assetKind}-2`)).toEqual([]);
    });

    it('refuses a missing document number, a non-positive term and an amount on a non-deposit', async () => {
      const book = f.book();
      expect((await refusal(book.request(sealRequest({ documentNumber: '' })))).code).toBe('DOCUMENT_NUMBER_REQUIRED');
      expect((await refusal(book.request(sealRequest({ documentNumber: '  ' })))).code).toBe('DOCUMENT_NUMBER_REQUIRED');
      expect((await refusal(book.request(sealRequest({ termDays: 0 })))).code).toBe('INVALID_INPUT');
      expect((await refusal(book.request(sealRequest({ termDays: 1.5 })))).code).toBe('INVALID_INPUT');
      expect((await refusal(book.request(sealRequest({ amountFen: 100 })))).code).toBe('INVALID_INPUT');
      expect(await book.measuresOf(HOUSE)).toEqual([]);
    });

    it('keeps a deposit freeze limit in integer fen', async () => {
      const input = sealRequest({ requestId: 'dep', assetKind: 'DEPOSIT', assetKey: '6222020200112233', kind: 'FREEZE', termDays: 365, amountFen: 10_000_000 });
      expect(await f.book().request(input)).toEqual(active('1', input, T0));
    });

    it('keeps the debtor the notice names; the same request id naming another debtor is a different request', async () => {
      const input = sealRequest({ requestId: 'named', partyKey: '330106197504189356' });
      const made = await f.book().request(input);
      expect(made.partyKey).toBe('330106197504189356');
      expect((await f.book().measuresOfCase(input.caseNumber)).map((m) => m.partyKey)).toEqual(['330106197504189356']);
      expect((await refusal(f.book().request({ ...input, partyKey: '330106198503030911' }))).code).toBe('REQUEST_ID_REUSED');
    });
  });

  describe('renewal (续行)', () => {
    const house = sealRequest({ requestId: 'a-1', termDays: 1095 });

    it('while ACTIVE and in term: a fresh term from now within the limit', async () => {
      const book = f.book();
      const clock = f.clock();
      const m1 = await book.request(house);
      const now = clock.advance(1000 * DAY_MS);
      const renewed = await book.renew('1', 1095);
      expect(renewed).toEqual({ ...m1, termStart: now, termEnd: plus(now, 1095 * DAY_MS), renewals: 1 });
      expect(await book.measuresOf(HOUSE)).toEqual([renewed]);
      const later = clock.advance(1000 * DAY_MS);
      expect(await book.renew('1', 200)).toEqual({ ...renewed, termDays: 200, termStart: later, termEnd: plus(later, 200 * DAY_MS), renewals: 2 });
    });

    it('refuses a renewal beyond the limit, one that would shorten the term, and one of a WAITING or RELEASED measure', async () => {
      const book = f.book();
      const m1 = await book.request(house);
      const m2 = await book.request(sealRequest({ requestId: 'b-1', caseNumber: CASE_B, courtCode: '0108' }));
      const tooLong = await refusal(book.renew('1', 1096));
      expect([tooLong.code, tooLong.details.limitDays]).toEqual(['TERM_TOO_LONG', 1095]);
      expect((await refusal(book.renew('1', 30))).code).toBe('INVALID_INPUT');
      const waitingRefusal = await refusal(book.renew('2', 30));
      expect([waitingRefusal.code, waitingRefusal.details.status]).toEqual(['NOT_ACTIVE', 'WAITING']);
      await book.release('1');
      expect((await refusal(book.renew('1', 30))).code).toBe('NOT_ACTIVE');
      expect((await refusal(book.renew('99', 30))).code).toBe('MEASURE_NOT_FOUND');
      expect((await book.measuresOf(HOUSE)).map((m) => [m.id, m.status, m.renewals])).toEqual([
        [m1.id, 'RELEASED', 0],
        [m2.id, 'ACTIVE', 0],
      ]);
    });

    it('refuses a renewal past the term end with TERM_EXPIRED; the measure lapses and the queue moves', async () => {
      const book = f.book();
      const clock = f.clock();
      const m1 = await book.request(sealRequest({ requestId: 'a-1', termDays: 30 }));
      const second = sealRequest({ requestId: 'b-1', caseNumber: CASE_B, courtCode: '0108', termDays: 60 });
      await book.request(second);
      clock.set(m1.termEnd!);
      const error = await refusal(book.renew('1', 30));
      expect([error.code, error.details]).toEqual(['TERM_EXPIRED', { termEnd: m1.termEnd }]);
      expect(await book.measuresOf(HOUSE)).toEqual([
        { ...m1, status: 'LAPSED', endedAt: m1.termEnd },
        active('2', second, T0, m1.termEnd!),
      ]);
    });
  });

  describe('disposal', () => {
    it('the ACTIVE measure becomes DISPOSED and every WAITING one LAPSED', async () => {
      const book = f.book();
      const clock = f.clock();
      const deposit = { assetKind: 'DEPOSIT' as const, assetKey: '6222020200112233', kind: 'FREEZE' as const, termDays: 365 };
      const a = sealRequest({ ...deposit, requestId: 'a-1', amountFen: 3_000_000 });
      const b = sealRequest({ ...deposit, requestId: 'b-1', caseNumber: CASE_B, courtCode: '0108', amountFen: 500_000 });
      const c = sealRequest({ ...deposit, requestId: 'c-1', caseNumber: CASE_C });
      await book.request(a);
      await book.request(b);
      await book.request(c);
      const now = clock.advance(2 * DAY_MS);
      const disposal = await book.dispose(deposit.assetKey);
      expect(disposal).toEqual({
        disposed: active('1', a, T0, T0, { status: 'DISPOSED', endedAt: now }),
        lapsed: [
          row('2', b, { status: 'LAPSED', servedAt: T0, endedAt: now, amountControlledFen: null }),
          row('3', c, { status: 'LAPSED', servedAt: T0, endedAt: now, amountControlledFen: null }),
        ],
      });
      expect(await book.measuresOf(deposit.assetKey)).toEqual([disposal.disposed, ...disposal.lapsed]);
      expect((await refusal(book.dispose(deposit.assetKey))).code).toBe('NOTHING_ACTIVE');
      expect(await book.settleDue()).toEqual([]);
    });
  });

  it('a second book on the same table sees the same measures', async () => {
    const input = sealRequest();
    const made = await f.book().request(input);
    const reopened = await MeasureBook.open(f.db(), { table: f.table(), clock: f.clock().now });
    expect(await reopened.request(input)).toEqual(made);
    expect(await reopened.measuresOf(HOUSE)).toEqual([made]);
  });
});
