import fc from 'fast-check';
import { checkIdNumber, idNumberCheckChar } from '../../../schemas/identifiers';

describe('checkIdNumber examples', () => {
  it.each([
    ['11010519491231002X', '11010519491231002X'],
    ['11010519491231002x', '11010519491231002X'],
    ['440524198001010013', '440524198001010013'],
    ['330106200002291232', '330106200002291232'], // born on a leap day
  ])('accepts %s', (input, value) => {
    expect(checkIdNumber(input)).toEqual({ ok: true, value });
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
    expect(checkIdNumber(input)).toEqual({ ok: false, reason, message });
  });
});

/** 17 digits: a region code not starting with 0, a birth date from 1900 on, a 3-digit sequence. */
const first17 = fc
  .tuple(
    fc.integer({ min: 100000, max: 999999 }),
    fc.date({ min: new Date('1900-01-01T00:00:00Z'), max: new Date('2099-12-31T00:00:00Z'), noInvalidDate: true }),
    fc.integer({ min: 0, max: 999 }),
  )
  .map(([region, birth, seq]) => `${region}${birth.toISOString().slice(0, 10).replace(/-/g, '')}${String(seq).padStart(3, '0')}`);

const ALLOWED = '0123456789X';

describe('checkIdNumber properties', () => {
  it('accepts any 17-digit prefix with a valid birth date plus its check character', () => {
    fc.assert(
      fc.property(first17, (prefix) => {
        const id = prefix + idNumberCheckChar(prefix);
        expect(checkIdNumber(id)).toEqual({ ok: true, value: id });
      }),
    );
  });

  it('refuses every single-character substitution, for a specific reason', () => {
    fc.assert(
      fc.property(first17, fc.nat(17), fc.constantFrom(...ALLOWED), (prefix, index, replacement) => {
        const id = prefix + idNumberCheckChar(prefix);
        fc.pre(id[index] !== replacement);
        const mutated = id.slice(0, index) + replacement + id.slice(index + 1);
        const result = checkIdNumber(mutated);
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
