import { z } from 'zod';
import { checkCalendarDate, decimalToFen } from '../../schemas/identifiers';

/**
 * The pieces the four banks' answers are made of, each validated strictly and translated into
 * domain units here, so a client's schema reads like its bank's documentation.
 */

/** Integer fen as a JSON number (NCB). */
export const fenNumber = z.int();

/** Integer fen as a digit string (WEB: no numbers in JSON that a float could round). */
export const fenString = z
  .string()
  .regex(/^-?\d{1,15}$/)
  .transform((digits) => decimalToFen(digits, 1));

/** Yuan with exactly two decimals, "12345.67" (HZCB, RCC). */
export const yuanString = z
  .string()
  .regex(/^-?\d{1,13}\.\d{2}$/)
  .transform((yuan) => decimalToFen(yuan, 100));

/** Units of a product with at most three decimals, into thousandths (NCB, WEB). */
export const unitsString = z
  .string()
  .regex(/^\d{1,12}(\.\d{1,3})?$/)
  .transform((units) => decimalToFen(units, 1000));

/** A calendar date in a bank's own layout (three capture groups: year, month, day), into YYYY-MM-DD. */
export function dateIn(layout: RegExp, written: string) {
  return z.string().transform((value, ctx) => {
    const m = layout.exec(value);
    const iso = m ? `${m[1]}-${m[2]}-${m[3]}` : '';
    if (m && checkCalendarDate(iso).ok) return iso;
    ctx.issues.push({ code: 'custom', message: `expected a calendar date written ${written}`, input: value });
    return z.NEVER;
  });
}

const CHINA_OFFSET_MS = 8 * 3600 * 1000;
/** 9999-12-31T23:59:59.999 in China: later instants have no YYYY-MM-DD date. */
const LAST_INSTANT_MS = Date.parse('9999-12-31T23:59:59.999+08:00');

/**
 * Epoch milliseconds into the calendar day in China (UTC+8, no daylight saving) (WEB): a
 * day's midnight in China is 16:00 UTC the day before, so a UTC reading would be a day early.
 */
export const chinaDateOfEpochMs = z
  .int()
  .min(0)
  .max(LAST_INSTANT_MS)
  .transform((ms) => new Date(ms + CHINA_OFFSET_MS).toISOString().slice(0, 10));

/** A code from a bank's code table, translated through that table. */
export function codeOf<const T extends Record<string, string>>(table: T) {
  const codes = Object.keys(table) as [Extract<keyof T, string>, ...Extract<keyof T, string>[]];
  return z.enum(codes).transform((code) => table[code] as T[keyof T]);
}

/** ISO 4217 alphabetic currency code. */
export const currencyCode = z.string().regex(/^[A-Z]{3}$/);

/** A non-empty identifier or account number as the bank writes it. */
export const text = z.string().min(1);
