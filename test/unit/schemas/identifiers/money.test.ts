import fc from 'fast-check';
import { checkMoney, decimalToFen, formatFen } from '../../../../schemas/identifiers';

const STRUCTURE = 'Money must be yuan with at most 2 decimals, e.g. "1234.56".';
const MAX = '90071992547409.91'; // Number.MAX_SAFE_INTEGER fen

describe('checkMoney', () => {
  it.each([
    ['1234.56', 123456],
    ['1234.5', 123450],
    ['1234', 123400],
    ['-3', -300],
    ['0.01', 1],
    ['0', 0],
    ['007.10', 710],
    [MAX, Number.MAX_SAFE_INTEGER],
    [`-${MAX}`, -Number.MAX_SAFE_INTEGER],
  ])('reads %s as %d fen', (input, fen) => {
    expect(checkMoney(input)).toEqual({ ok: true, value: fen });
  });

  it('never yields negative zero', () => {
    const r = checkMoney('-0.00');
    expect(r.ok && Object.is(r.value, 0)).toBe(true);
  });

  it.each([
    [1234.56, 'TYPE', 'Money must be a decimal string of yuan such as "1234.56", never a number.'],
    [123456n, 'TYPE', 'Money must be a decimal string of yuan such as "1234.56", never a number.'],
    ['1.234', 'STRUCTURE', STRUCTURE],
    ['1,234.00', 'STRUCTURE', STRUCTURE],
    ['1e3', 'STRUCTURE', STRUCTURE],
    ['+1', 'STRUCTURE', STRUCTURE],
    ['.5', 'STRUCTURE', STRUCTURE],
    ['1.', 'STRUCTURE', STRUCTURE],
    [' 1', 'STRUCTURE', STRUCTURE],
    ['', 'STRUCTURE', STRUCTURE],
    ['¥12', 'STRUCTURE', STRUCTURE],
    ['90071992547409.92', 'RANGE', `Money must lie between -${MAX} and ${MAX} yuan.`],
    ['-100000000000000', 'RANGE', `Money must lie between -${MAX} and ${MAX} yuan.`],
    ['9'.repeat(10000), 'RANGE', `Money must lie between -${MAX} and ${MAX} yuan.`],
  ])('refuses %p with %s', (input, reason, message) => {
    expect(checkMoney(input)).toEqual({ ok: false, reason, message });
  });
});

describe('formatFen', () => {
  it.each([
    [123456, '1234.56'],
    [5, '0.05'],
    [-5, '-0.05'],
    [0, '0.00'],
    [-0, '0.00'],
    [100, '1.00'],
    [Number.MAX_SAFE_INTEGER, MAX],
  ])('formats %d as %s', (fen, text) => {
    expect(formatFen(fen)).toBe(text);
  });

  it.each([1.5, NaN, Infinity, 2 ** 53])('refuses %p', (fen) => {
    expect(() => formatFen(fen)).toThrow(TypeError);
  });

  it('round-trips every safe-integer fen through checkMoney exactly', () => {
    fc.assert(
      fc.property(fc.maxSafeInteger(), (fen) => {
        expect(checkMoney(formatFen(fen))).toEqual({ ok: true, value: fen });
      }),
    );
  });
});

const YUAN = 100;
const WAN_YUAN = 1_000_000;

/** Exact BigInt reference: value * fenPerUnit must be a whole number of fen and a safe integer. */
function referenceFen(sign: string, int: string, frac: string, fenPerUnit: number): bigint | 'precision' | 'large' {
  const scaled = BigInt(int + frac) * BigInt(fenPerUnit);
  const den = 10n ** BigInt(frac.length);
  if (scaled % den !== 0n) return 'precision';
  const fen = scaled / den;
  if (fen > BigInt(Number.MAX_SAFE_INTEGER)) return 'large';
  return sign === '-' ? -fen : fen;
}

describe('decimalToFen', () => {
  it.each([
    ['12.30', YUAN, 1230],
    ['1.2300', YUAN, 123],
    [' 12.3 ', YUAN, 1230],
    ['500.5', WAN_YUAN, 500_500_000],
    ['0.000001', WAN_YUAN, 1],
    ['-2', WAN_YUAN, -2_000_000],
    ['7', 1, 7],
  ])('reads %s at %d fen per unit as %d', (text, unit, fen) => {
    expect(decimalToFen(text, unit)).toBe(fen);
  });

  it('never yields negative zero', () => {
    expect(Object.is(decimalToFen('-0.00', YUAN), 0)).toBe(true);
  });

  it('refuses bad input', () => {
    expect(() => decimalToFen('1.234', YUAN)).toThrow(new RangeError('amount 1.234 has more precision than a fen'));
    expect(() => decimalToFen('abc', YUAN)).toThrow(new TypeError('not a decimal amount: "abc"'));
    expect(() => decimalToFen('1e3', YUAN)).toThrow(TypeError);
    expect(() => decimalToFen('99999999999999999', YUAN)).toThrow(new RangeError('amount 99999999999999999 is too large'));
    expect(() => decimalToFen('1', 50)).toThrow(new TypeError('fenPerUnit must be a power of 10, got 50'));
    expect(() => decimalToFen('1', 0)).toThrow(TypeError);
    expect(() => decimalToFen('1', 0.1)).toThrow(TypeError);
  });

  it('equals a BigInt reference for yuan and 万元 amounts', () => {
    const digits = (max: number) => fc.string({ unit: fc.constantFrom(...'0123456789'), maxLength: max });
    fc.assert(
      fc.property(
        fc.constantFrom('', '-'),
        fc.string({ unit: fc.constantFrom(...'0123456789'), minLength: 1, maxLength: 18 }),
        digits(9),
        fc.constantFrom(YUAN, WAN_YUAN),
        (sign, int, frac, unit) => {
          const text = `${sign}${int}${frac ? `.${frac}` : ''}`;
          const expected = referenceFen(sign, int, frac, unit);
          if (expected === 'precision') expect(() => decimalToFen(text, unit)).toThrow(/more precision/);
          else if (expected === 'large') expect(() => decimalToFen(text, unit)).toThrow(/too large/);
          else expect(decimalToFen(text, unit)).toBe(Number(expected));
        },
      ),
      { numRuns: 500 },
    );
  });
});
