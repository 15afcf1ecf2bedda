import { MeasureBook } from '../../../mocks/shared/measures/measureBook';
import { type Measure, MeasureError } from '../../../mocks/shared/measures/measureTypes';
import { active, BACKENDS, CASE_B, DAY_MS, HOUSE, sealRequest, T0, useMeasureBook, waiting } from '../../support/measureHarness';

/** Two replicas: on PostgreSQL two pools on the same table; on PGlite two books on one database. */
describe.each(BACKENDS)('measure book under concurrency on $name', (backend) => {
  const f = useMeasureBook(backend);
  const replicas = async (): Promise<MeasureBook[]> => [
    f.book(),
    await MeasureBook.open(f.otherDb(), { table: f.table(), clock: f.clock().now }),
  ];

  it('50 concurrent identical requests make exactly one measure', async () => {
    const books = await replicas();
    const input = sealRequest({ requestId: 'same' });
    const results = await Promise.all(Array.from({ length: 50 }, (_, i) => books[i % 2]!.request(input)));
    const expected = active('1', input, T0);
    for (const result of results) expect(result).toEqual(expected);
    expect(await f.book().measuresOf(HOUSE)).toEqual([expected]);
  });

  it('the same request id on another asset, concurrently, still makes one measure and refuses the other', async () => {
    const books = await replicas();
    const settled = await Promise.allSettled(
      Array.from({ length: 20 }, (_, i) => books[i % 2]!.request(sealRequest({ requestId: 'same', assetKey: `house-${i % 2}` }))),
    );
    const made = settled.filter((s): s is PromiseFulfilledResult<Measure> => s.status === 'fulfilled').map((s) => s.value);
    const refused = settled.filter((s): s is PromiseRejectedResult => s.status === 'rejected').map((s) => s.reason as MeasureError);
    expect(new Set(made.map((m) => m.id)).size).toBe(1);
    expect(made.length).toBe(10);
    expect(refused.map((e) => e.code)).toEqual(Array(10).fill('REQUEST_ID_REUSED'));
    const { rows } = await f.db().query<{ n: number }>(`SELECT count(*)::int AS n FROM "${f.table()}"`);
    expect(rows).toEqual([{ n: 1 }]);
  });

  it('a reused request id with a different request is refused', async () => {
    await f.book().request(sealRequest());
    const error = await f
      .book()
      .request(sealRequest({ documentNumber: 'another' }))
      .then(() => new MeasureError("INVALID_INPUT", "not refused"), (e: unknown) => e as MeasureError);
    expect([error.code, error.details]).toEqual(['REQUEST_ID_REUSED', { measureId: '1' }]);
  });

  it('20 concurrent distinct requests on one asset: one ACTIVE, the rest queued 1..19', async () => {
    const books = await replicas();
    await Promise.all(
      Array.from({ length: 20 }, (_, i) => books[i % 2]!.request(sealRequest({ requestId: `r-${i}`, caseNumber: `case-${i}` }))),
    );
    const all = await f.book().measuresOf(HOUSE);
    expect(all.filter((m) => m.status === 'ACTIVE')).toHaveLength(1);
    // Order of service is the order the book accepted them (ids): positions follow it.
    expect(all.filter((m) => m.status === 'WAITING').map((m) => [m.id, m.queuePosition])).toEqual(
      Array.from({ length: 19 }, (_, i) => [String(i + 2), i + 1]),
    );
  });

  it('concurrent releases release once and promote once', async () => {
    const books = await replicas();
    const first = sealRequest({ requestId: 'a-1' });
    const second = sealRequest({ requestId: 'b-1', caseNumber: CASE_B, courtCode: '0108' });
    const third = sealRequest({ requestId: 'c-1', caseNumber: 'case-c' });
    await f.book().request(first);
    await f.book().request(second);
    await f.book().request(third);
    const now = f.clock().advance(DAY_MS);
    const settled = await Promise.allSettled(Array.from({ length: 10 }, (_, i) => books[i % 2]!.release('1')));
    const fulfilled = settled.filter((s) => s.status === 'fulfilled');
    expect(fulfilled).toHaveLength(1);
    const codes = settled.filter((s): s is PromiseRejectedResult => s.status === 'rejected').map((s) => (s.reason as MeasureError).code);
    expect(codes).toEqual(Array(9).fill('NOT_ACTIVE'));
    expect(await f.book().measuresOf(HOUSE)).toEqual([
      { ...active('1', first, T0), status: 'RELEASED', endedAt: now },
      active('2', second, T0, now),
      waiting('3', third, T0, 1),
    ]);
  });

  it('expire run twice, or concurrently, promotes exactly once', async () => {
    const books = await replicas();
    const first = sealRequest({ requestId: 'a-1', termDays: 30 });
    const second = sealRequest({ requestId: 'b-1', caseNumber: CASE_B, courtCode: '0108', termDays: 100 });
    const third = sealRequest({ requestId: 'c-1', caseNumber: 'case-c', termDays: 100 });
    const m1 = await f.book().request(first);
    await f.book().request(second);
    await f.book().request(third);
    f.clock().advance(31 * DAY_MS);
    const runs = await Promise.all(Array.from({ length: 6 }, (_, i) => books[i % 2]!.settleDue()));
    const m2 = active('2', second, T0, m1.termEnd!);
    expect(runs.flat()).toEqual([{ measure: { ...m1, status: 'LAPSED', endedAt: m1.termEnd }, promoted: m2 }]);
    expect(await books[1]!.settleDue()).toEqual([]);
    expect(await f.book().measuresOf(HOUSE)).toEqual([{ ...m1, status: 'LAPSED', endedAt: m1.termEnd }, m2, waiting('3', third, T0, 1)]);
  });

  it('one expire lapses a chain whose promoted terms have also run out', async () => {
    const first = sealRequest({ requestId: 'a-1', termDays: 10 });
    const second = sealRequest({ requestId: 'b-1', caseNumber: CASE_B, termDays: 10 });
    const third = sealRequest({ requestId: 'c-1', caseNumber: 'case-c', termDays: 10 });
    await f.book().request(first);
    await f.book().request(second);
    await f.book().request(third);
    f.clock().advance(25 * DAY_MS);
    const changes = await f.book().settleDue();
    expect(changes.map((c) => [c.measure.id, c.measure.status, c.measure.endedAt, c.promoted?.id, c.promoted?.termStart])).toEqual([
      ['1', 'LAPSED', new Date(Date.parse(T0) + 10 * DAY_MS).toISOString(), '2', new Date(Date.parse(T0) + 10 * DAY_MS).toISOString()],
      ['2', 'LAPSED', new Date(Date.parse(T0) + 20 * DAY_MS).toISOString(), '3', new Date(Date.parse(T0) + 20 * DAY_MS).toISOString()],
    ]);
    expect((await f.book().measuresOf(HOUSE)).map((m) => [m.id, m.status, m.queuePosition])).toEqual([
      ['1', 'LAPSED', null],
      ['2', 'LAPSED', null],
      ['3', 'ACTIVE', null],
    ]);
  });
});
