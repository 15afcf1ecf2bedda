import fc from 'fast-check';
import { CREDIT_CODE_ALPHABET, checkCreditCode, creditCodeCheckChar } from '../../../../schemas/identifiers';

describe('checkCreditCode examples', () => {
  it.each([
    ['91350100M000100Y43', '91350100M000100Y43'],
    ['91350100m000100y43', '91350100M000100Y43'],
    ['91330106MA2H0ABC1H', '91330106MA2H0ABC1H'],
  ])('accepts %s', (input, value) => {
    expect(checkCreditCode(input)).toEqual({ ok: true, value });
  });

  const alphabetMessage = (n: number) =>
    `CreditCode character ${n} is not allowed: use 0-9 and A-Y without I, O, S, V, Z.`;
  it.each([
    [91350100, 'TYPE', 'CreditCode must be a string.'],
    ['91350100M000100Y4', 'LENGTH', 'CreditCode must be 18 characters long, got 17.'],
    ['91350100M000100Y433', 'LENGTH', 'CreditCode must be 18 characters long, got 19.'],
    ['91350100M000100I43', 'ALPHABET', alphabetMessage(16)],
    ['O1350100M000100Y43', 'ALPHABET', alphabetMessage(1)],
    ['91350100M000100Y4Z', 'ALPHABET', alphabetMessage(18)],
    ['91350100M00-100Y43', 'ALPHABET', alphabetMessage(12)],
    ['913501Q0M000100Y43', 'STRUCTURE', "CreditCode characters 3-8 must be the registering authority's region code (digits)."],
    ['91350100M000100Y44', 'CHECK_CHARACTER', 'CreditCode check character (the 18th) does not match the first 17.'],
    ['91350100M000101Y43', 'CHECK_CHARACTER', 'CreditCode check character (the 18th) does not match the first 17.'],
  ])('refuses %p with %s', (input, reason, message) => {
    expect(checkCreditCode(input)).toEqual({ ok: false, reason, message });
  });
});

const symbol = fc.constantFrom(...CREDIT_CODE_ALPHABET);
const digit = fc.constantFrom(...'0123456789');
const first17 = fc
  .tuple(fc.array(symbol, { minLength: 2, maxLength: 2 }), fc.array(digit, { minLength: 6, maxLength: 6 }), fc.array(symbol, { minLength: 9, maxLength: 9 }))
  .map(([kind, region, rest]) => [...kind, ...region, ...rest].join(''));

describe('checkCreditCode properties', () => {
  it('accepts any 17 symbols with a digit region code plus their check character', () => {
    fc.assert(
      fc.property(first17, (prefix) => {
        const code = prefix + creditCodeCheckChar(prefix);
        expect(checkCreditCode(code)).toEqual({ ok: true, value: code });
      }),
    );
  });

  it('refuses every single-symbol substitution', () => {
    fc.assert(
      fc.property(first17, fc.nat(17), symbol, (prefix, index, replacement) => {
        const code = prefix + creditCodeCheckChar(prefix);
        fc.pre(code[index] !== replacement);
        const result = checkCreditCode(code.slice(0, index) + replacement + code.slice(index + 1));
        const letterInRegion = index >= 2 && index < 8 && !/\d/.test(replacement);
        // Weights 3^i mod 31 are non-zero mod the prime 31, so any other symbol changes the sum.
        expect(result).toMatchObject({ ok: false, reason: letterInRegion ? 'STRUCTURE' : 'CHECK_CHARACTER' });
      }),
    );
  });
});
