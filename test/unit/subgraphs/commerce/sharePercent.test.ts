import fc from 'fast-check';
import { sharePercent } from '../../../../subgraphs/commerce/sharePercent';

describe('sharePercent', () => {
  it.each([
    [400_000_000, 500_000_000, '80.00'],
    [600_000_000, 1_000_000_000, '60.00'],
    [1, 3, '33.33'],
    [2, 3, '66.67'],
    // 1/8 = 12.5 %: exact, no rounding needed
    [1, 8, '12.50'],
    // 1/16 = 6.25 %, 1/32 = 3.125 % rounds half up to 3.13
    [1, 32, '3.13'],
    // 1/20000 = 0.005 % rounds half up; 1/20001 just below the half rounds down
    [1, 20_000, '0.01'],
    [1, 20_001, '0.00'],
    [0, 500, '0.00'],
    [500, 500, '100.00'],
    // a stake above the registered capital is shown as registered, not capped
    [750, 500, '150.00'],
    [Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER, '100.00'],
    [Number.MAX_SAFE_INTEGER - 1, Number.MAX_SAFE_INTEGER, '100.00'],
  ])('%d of %d fen is %s %%', (part, whole, percent) => {
    expect(sharePercent(part, whole)).toBe(percent);
  });

  it('is within half a hundredth of a percent of the exact ratio, never further', () => {
    fc.assert(
      fc.property(fc.nat({ max: Number.MAX_SAFE_INTEGER }), fc.integer({ min: 1, max: Number.MAX_SAFE_INTEGER }), (part, whole) => {
        const text = sharePercent(part, whole);
        expect(text).toMatch(/^\d+\.\d{2}$/);
        const hundredths = BigInt(text.replace('.', ''));
        // |hundredths / 10000 - part / whole| <= 1 / 20000, and exactly half rounds up
        const error = hundredths * 2n * BigInt(whole) - BigInt(part) * 20_000n;
        expect(error > -BigInt(whole) && error <= BigInt(whole)).toBe(true);
      }),
    );
  });

  it.each([
    [-1, 100, 'part must be a non-negative integer of fen, got -1'],
    [1.5, 100, 'part must be a non-negative integer of fen, got 1.5'],
    [1, 0, 'whole must be a positive integer of fen, got 0'],
    [1, -100, 'whole must be a positive integer of fen, got -100'],
  ])('refuses %p of %p', (part, whole, message) => {
    expect(() => sharePercent(part, whole)).toThrow(new RangeError(message));
  });
});
