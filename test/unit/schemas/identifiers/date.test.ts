import fc from 'fast-check';
import { checkCalendarDate, checkInstant } from '../../../../schemas/identifiers';

describe('checkCalendarDate', () => {
  it.each(['2024-02-29', '2000-02-29', '1900-02-28', '2023-12-31', '0099-01-01', '0000-02-29'])('accepts %s', (d) => {
    expect(checkCalendarDate(d)).toEqual({ ok: true, value: d });
  });

  it.each([
    [20240229, 'TYPE', 'Date must be a string.'],
    ['2024-2-1', 'STRUCTURE', 'Date must be written YYYY-MM-DD.'],
    ['20240201', 'STRUCTURE', 'Date must be written YYYY-MM-DD.'],
    ['2024-02-01T00:00:00Z', 'STRUCTURE', 'Date must be written YYYY-MM-DD.'],
    [' 2024-02-01', 'STRUCTURE', 'Date must be written YYYY-MM-DD.'],
    ['2023-02-29', 'DATE', 'Date 2023-02-29 does not exist in the calendar.'],
    ['1900-02-29', 'DATE', 'Date 1900-02-29 does not exist in the calendar.'],
    ['2024-04-31', 'DATE', 'Date 2024-04-31 does not exist in the calendar.'],
    ['2024-13-01', 'DATE', 'Date 2024-13-01 does not exist in the calendar.'],
    ['2024-00-10', 'DATE', 'Date 2024-00-10 does not exist in the calendar.'],
    ['2024-01-00', 'DATE', 'Date 2024-01-00 does not exist in the calendar.'],
  ])('refuses %p with %s', (input, reason, message) => {
    expect(checkCalendarDate(input)).toEqual({ ok: false, reason, message });
  });

  it('agrees with the JavaScript calendar for years 100-9999', () => {
    fc.assert(
      fc.property(fc.integer({ min: 100, max: 9999 }), fc.integer({ min: 0, max: 13 }), fc.integer({ min: 0, max: 32 }), (y, m, d) => {
        const text = `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
        const js = new Date(Date.UTC(y, m - 1, d));
        const exists = js.getUTCFullYear() === y && js.getUTCMonth() === m - 1 && js.getUTCDate() === d;
        expect(checkCalendarDate(text).ok).toBe(exists);
      }),
    );
  });
});

describe('checkInstant', () => {
  it.each([
    ['2026-11-25T09:30:00Z', '2026-11-25T09:30:00.000Z'],
    ['2026-11-25T09:30:00.5Z', '2026-11-25T09:30:00.500Z'],
    ['2024-02-29T23:59:59.999Z', '2024-02-29T23:59:59.999Z'],
  ])('accepts %s as %s', (input, value) => {
    expect(checkInstant(input)).toEqual({ ok: true, value });
  });

  it.each([
    [20261125, 'TYPE'],
    ['2026-11-25', 'STRUCTURE'],
    ['2026-11-25T09:30:00+08:00', 'STRUCTURE'],
    ['2026-11-25T24:00:00Z', 'STRUCTURE'],
    ['2026-11-25T09:30:00.1234Z', 'STRUCTURE'],
    ['2023-02-29T00:00:00Z', 'DATE'],
  ])('refuses %s (%s)', (input, reason) => {
    expect(checkInstant(input)).toMatchObject({ ok: false, reason });
  });
});
