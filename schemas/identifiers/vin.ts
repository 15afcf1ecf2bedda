import { asciiUpperCase, type Checked, invalid, valid } from './invalidIdentifier';

/** ISO 3779 transliteration of letters (I, O, Q never occur). */
const TRANSLITERATION: Record<string, number> = {
  A: 1, B: 2, C: 3, D: 4, E: 5, F: 6, G: 7, H: 8,
  J: 1, K: 2, L: 3, M: 4, N: 5, P: 7, R: 9,
  S: 2, T: 3, U: 4, V: 5, W: 6, X: 7, Y: 8, Z: 9,
};
const WEIGHTS = [8, 7, 6, 5, 4, 3, 2, 10, 0, 9, 8, 7, 6, 5, 4, 3, 2];

function charValue(c: string): number {
  return c >= '0' && c <= '9' ? c.charCodeAt(0) - 48 : TRANSLITERATION[c]!;
}

/** The check character (position 9) for a 17-character VIN; position 9 itself is ignored. */
export function vinCheckChar(vin: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += charValue(vin[i]!) * WEIGHTS[i]!;
  const r = sum % 11;
  return r === 10 ? 'X' : String(r);
}

/** Checks a 17-character vehicle identification number. */
export function checkVin(input: unknown): Checked<string> {
  if (typeof input !== 'string') return invalid('TYPE', 'VIN must be a string.');
  const value = asciiUpperCase(input);
  if (value.length !== 17) return invalid('LENGTH', `VIN must be 17 characters long, got ${value.length}.`);
  if (!/^[A-HJ-NPR-Z0-9]{17}$/.test(value)) {
    return invalid('ALPHABET', 'VIN may hold only digits and letters other than I, O and Q.');
  }
  if (value[8] !== vinCheckChar(value)) {
    return invalid('CHECK_CHARACTER', 'VIN check character (the 9th) does not match the others.');
  }
  return valid(value);
}
