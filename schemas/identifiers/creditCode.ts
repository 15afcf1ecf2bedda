import { asciiUpperCase, type Checked, invalid, valid } from './invalidIdentifier';

/** GB 32100 unified social credit code: 31 symbols (no I, O, S, V, Z). */
export const CREDIT_CODE_ALPHABET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];

/** The check character for the first 17 symbols of a unified social credit code. */
export function creditCodeCheckChar(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += CREDIT_CODE_ALPHABET.indexOf(first17[i]!) * WEIGHTS[i]!;
  const check = 31 - (sum % 31);
  return CREDIT_CODE_ALPHABET[check === 31 ? 0 : check]!;
}

/** Checks an 18-character unified social credit code; lower-case letters are normalised to upper case. */
export function checkCreditCode(input: unknown): Checked<string> {
  if (typeof input !== 'string') return invalid('TYPE', 'CreditCode must be a string.');
  const value = asciiUpperCase(input);
  if (value.length !== 18) {
    return invalid('LENGTH', `CreditCode must be 18 characters long, got ${value.length}.`);
  }
  for (let i = 0; i < 18; i++) {
    if (!CREDIT_CODE_ALPHABET.includes(value[i]!)) {
      return invalid(
        'ALPHABET',
        `CreditCode character ${i + 1} is not allowed: use 0-9 and A-Y without I, O, S, V, Z.`,
      );
    }
  }
  if (!/^[0-9A-HJ-NP-RTUWXY]{2}\d{6}/.test(value)) {
    return invalid('STRUCTURE', 'CreditCode characters 3-8 must be the registering authority\'s region code (digits).');
  }
  if (value[17] !== creditCodeCheckChar(value)) {
    return invalid('CHECK_CHARACTER', 'CreditCode check character (the 18th) does not match the first 17.');
  }
  return valid(value);
}
