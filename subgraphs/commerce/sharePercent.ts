import type { Fen } from '../../schemas/identifiers';

/**
 * `part` as a percentage of `whole` with exactly 2 decimals, rounded half up ("80.00",
 * "33.33", "66.67"), computed in integers so no float ever rounds a stake.
 */
export function sharePercent(part: Fen, whole: Fen): string {
  if (!Number.isSafeInteger(part) || part < 0) throw new RangeError(`part must be a non-negative integer of fen, got ${part}`);
  if (!Number.isSafeInteger(whole) || whole <= 0) throw new RangeError(`whole must be a positive integer of fen, got ${whole}`);
  // Hundredths of a percent: part * 10000 / whole, rounded half up.
  const hundredths = (BigInt(part) * 20_000n + BigInt(whole)) / (2n * BigInt(whole));
  return `${hundredths / 100n}.${String(hundredths % 100n).padStart(2, '0')}`;
}
