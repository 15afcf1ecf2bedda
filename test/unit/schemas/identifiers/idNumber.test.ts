import fc from 'fast-check';
import { calendarDateInChina, checkIdNumber, idNumberCheckChar } from '../../../../schemas/identifiers';

/** "Today" for these tests, injected: nothing here depends on the real date. */
const TODAY = '2026-12-03';
/** An ID number of someone born on `birth` (YYYYMMDD) in Beijing's Xicheng district. */
const bornOn = (birth: string) => `110102${birth}123${idNumberCheckChar(`110102${birth}123`)}`;
const FUTURE = 'IdNumber holds a date of birth after today (characters 7-14).';

describe('checkIdNumber examples', () => {
  it.each([
    ['11010519491231002X', '11010519491231002X'],
    ['11010519491231002x', '11010519491231002X'],
    ['440524198001010013', '440524198001010013'],
    ['330106200002291232', '330106200002291232'], // born on a leap day
  ])('accepts %s', (input, value) => {
    expect(checkIdNumber(input, TODAY)).toEqual({ ok: true, value });
  });

  it.each([
    [11010519491231, 'TYPE', 'IdNumber must be a string.'],
    [null, 'TYPE', 'IdNumber must be a string.'],
    ['11010519491231002', 'LENGTH', 'IdNumber must be 18 characters long, got 17.'],
    ['11010519491231002X0', 'LENGTH', 'IdNumber must be 18 characters long, got 19.'],
    ['', 'LENGTH', 'IdNumber must be 18 characters long, got 0.'],
    ['1101051949123100X2', 'ALPHABET', 'IdNumber must be 17 digits followed by a digit or X.'],
    ['11010519491231002Y', 'ALPHABET', 'IdNumber must be 17 digits followed by a digit or X.'],
    ['１１０１０５１９４９１２３１００２X', 'ALPHABET', 'IdNumber must be 17 digits followed by a digit or X.'],
    ['01010519491231002X', 'STRUCTURE', 'IdNumber must start with a region code (1-9).'],
    ['110105194902300021', 'DATE', 'IdNumber holds no valid date of birth (characters 7-14).'],
    ['110105194913010021', 'DATE', 'IdNumber holds no valid date of birth (characters 7-14).'],
    ['110105189912310021', 'DATE', 'IdNumber holds no valid date of birth (characters 7-14).'],
    ['110105194912310021', 'CHECK_CHARACTER', 'IdNumber check character (the 18th) does not match the first 17 digits.'],
    ['440524198001010015', 'CHECK_CHARACTER', 'IdNumber check character (the 18th) does not match the first 17 digits.'],
  ])('refuses %p with %s', (input, reason, message) => {
    expect(checkIdNumber(input, TODAY)).toEqual({ ok: false, reason, message });
  });
});

describe('checkIdNumber and today (China Standard Time)', () => {
  it('accepts someone born today and refuses someone born tomorrow (DATE)', () => {
    expect(checkIdNumber(bornOn('20261203'), TODAY)).toEqual({ ok: true, value: bornOn('20261203') });
    expect(checkIdNumber(bornOn('20261204'), TODAY)).toEqual({ ok: false, reason: 'DATE', message: FUTURE });
    expect(checkIdNumber(bornOn('20270101'), TODAY)).toEqual({ ok: false, reason: 'DATE', message: FUTURE });
    expect(checkIdNumber(bornOn('20991231'), TODAY)).toEqual({ ok: false, reason: 'DATE', message: FUTURE });
  });

  it('takes today’s date in China Standard Time (UTC+8, no daylight saving), not UTC', () => {
    expect(calendarDateInChina(Date.parse('2026-12-03T15:59:59.999Z'))).toBe('2026-12-03');
    // 16:30 UTC is 00:30 on the 4th in Beijing: someone born on the 4th has been born.
    expect(calendarDateInChina(Date.parse('2026-12-03T16:30:00Z'))).toBe('2026-12-04');
    expect(calendarDateInChina(new Date('2026-12-31T16:00:00Z'))).toBe('2027-01-01');
    // Mid-summer too: China has had no daylight saving since 1991.
    expect(calendarDateInChina(Date.parse('2026-07-01T15:59:59.999Z'))).toBe('2026-07-01');
    expect(checkIdNumber(bornOn('20261204'), calendarDateInChina(Date.parse('2026-12-03T15:59:59.999Z')))).toMatchObject({ ok: false, reason: 'DATE' });
    expect(checkIdNumber(bornOn('20261204'), calendarDateInChina(Date.parse('2026-12-03T16:30:00Z')))).toEqual({ ok: true, value: bornOn('20261204') });
  });

  describe('by default, on the clock', () => {
    afterEach(() => jest.useRealTimers());

    it('is today in China when no day is given', () => {
      jest.useFakeTimers({ now: Date.parse('2026-12-03T16:30:00Z') });
      expect(checkIdNumber(bornOn('20261204'))).toEqual({ ok: true, value: bornOn('20261204') });
      expect(checkIdNumber(bornOn('20261205'))).toEqual({ ok: false, reason: 'DATE', message: FUTURE });
      jest.setSystemTime(Date.parse('2026-12-03T15:59:59.999Z'));
      expect(checkIdNumber(bornOn('20261204'))).toEqual({ ok: false, reason: 'DATE', message: FUTURE });
      expect(checkIdNumber(bornOn('20261203'))).toEqual({ ok: true, value: bornOn('20261203') });
    });
  });
});

/** 17 digits: a region code not starting with 0, a 3-digit sequence, and a birth date between `min` and `max`. */
const digits17 = (min: string, max: string) =>
  fc
    .tuple(
      fc.integer({ min: 100000, max: 999999 }),
      fc.date({ min: new Date(`${min}T00:00:00Z`), max: new Date(`${max}T00:00:00Z`), noInvalidDate: true }),
      fc.integer({ min: 0, max: 999 }),
    )
    .map(([region, birth, seq]) => `${region}${birth.toISOString().slice(0, 10).replace(/-/g, '')}${String(seq).padStart(3, '0')}`);
/** Born from 1900 up to today. */
const first17 = digits17('1900-01-01', TODAY);

const ALLOWED = '0123456789X';

describe('checkIdNumber properties', () => {
  it('accepts any 17-digit prefix with a valid birth date plus its check character', () => {
    fc.assert(
      fc.property(first17, (prefix) => {
        const id = prefix + idNumberCheckChar(prefix);
        expect(checkIdNumber(id, TODAY)).toEqual({ ok: true, value: id });
      }),
    );
  });

  it('refuses any birth date after today, whatever the rest (DATE)', () => {
    fc.assert(
      fc.property(digits17('2026-12-04', '9999-12-31'), (prefix) => {
        expect(checkIdNumber(prefix + idNumberCheckChar(prefix), TODAY)).toEqual({ ok: false, reason: 'DATE', message: FUTURE });
      }),
    );
  });

  it('refuses every single-character substitution, for a specific reason', () => {
    fc.assert(
      fc.property(first17, fc.nat(17), fc.constantFrom(...ALLOWED), (prefix, index, replacement) => {
        const id = prefix + idNumberCheckChar(prefix);
        fc.pre(id[index] !== replacement);
        const mutated = id.slice(0, index) + replacement + id.slice(index + 1);
        const result = checkIdNumber(mutated, TODAY);
        expect(result.ok).toBe(false);
        if (result.ok) return;
        if (index === 17) expect(result.reason).toBe('CHECK_CHARACTER');
        else if (replacement === 'X') expect(result.reason).toBe('ALPHABET');
        else if (index === 0 && replacement === '0') expect(result.reason).toBe('STRUCTURE');
        else if (index >= 6 && index < 14) expect(['DATE', 'CHECK_CHARACTER']).toContain(result.reason);
        // MOD 11-2 catches every single-digit change: weights are non-zero mod the prime 11.
        else expect(result.reason).toBe('CHECK_CHARACTER');
      }),
    );
  });
});
