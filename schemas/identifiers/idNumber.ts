import { asciiUpperCase, type Checked, invalid, valid } from './invalidIdentifier';
import { calendarDateInChina, checkCalendarDate } from './date';

/** ISO 7064 MOD 11-2 weights over the first 17 digits of a resident ID (GB 11643). */
const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CHECK_CHARS = '10X98765432';

/** The check character for the first 17 digits of a resident ID number. */
export function idNumberCheckChar(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17.charCodeAt(i) - 48) * WEIGHTS[i]!;
  return CHECK_CHARS[sum % 11]!;
}

/**
 * Checks an 18-character resident ID number; a lower-case `x` is normalised to `X`. No one is
 * born after `today` (`YYYY-MM-DD`), by default today's date in China Standard Time, where the
 * IDs are issued; tests pass their own day rather than depend on the clock.
 */
export function checkIdNumber(input: unknown, today: string = calendarDateInChina()): Checked<string> {
  if (typeof input !== 'string') return invalid('TYPE', 'IdNumber must be a string.');
  const value = asciiUpperCase(input);
  if (value.length !== 18) {
    return invalid('LENGTH', `IdNumber must be 18 characters long, got ${value.length}.`);
  }
  if (!/^\d{17}[\dX]$/.test(value)) {
    return invalid('ALPHABET', 'IdNumber must be 17 digits followed by a digit or X.');
  }
  if (value[0] === '0') return invalid('STRUCTURE', 'IdNumber must start with a region code (1-9).');
  const birth = `${value.slice(6, 10)}-${value.slice(10, 12)}-${value.slice(12, 14)}`;
  if (!checkCalendarDate(birth).ok || birth < '1900-01-01') {
    return invalid('DATE', 'IdNumber holds no valid date of birth (characters 7-14).');
  }
  // ISO dates of the same form compare as strings.
  if (birth > today) return invalid('DATE', 'IdNumber holds a date of birth after today (characters 7-14).');
  const expected = idNumberCheckChar(value);
  if (value[17] !== expected) {
    return invalid('CHECK_CHARACTER', 'IdNumber check character (the 18th) does not match the first 17 digits.');
  }
  return valid(value);
}
