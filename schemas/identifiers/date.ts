import { type Checked, invalid, valid } from './invalidIdentifier';

/** Days in a month of the proleptic Gregorian calendar (month 1-12). */
function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

/**
 * Checks an ISO calendar date `YYYY-MM-DD` that exists (no 2023-02-29). Computed directly
 * rather than through Date.UTC, which maps years 0-99 onto 1900-1999.
 */
export function checkCalendarDate(input: unknown): Checked<string> {
  if (typeof input !== 'string') return invalid('TYPE', 'Date must be a string.');
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(input);
  if (!m) return invalid('STRUCTURE', 'Date must be written YYYY-MM-DD.');
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) {
    return invalid('DATE', `Date ${input} does not exist in the calendar.`);
  }
  return valid(input);
}

/** China Standard Time, the courts' and the registries' calendar: UTC+8 all year (no daylight saving since 1991). */
const CHINA_OFFSET_MS = 8 * 3600_000;

/** The calendar day (`YYYY-MM-DD`) in China Standard Time at an instant, by default now. */
export function calendarDateInChina(at: number | Date = Date.now()): string {
  return new Date(Number(at) + CHINA_OFFSET_MS).toISOString().slice(0, 10);
}

/**
 * Checks an instant written in ISO 8601 UTC, `YYYY-MM-DDTHH:MM:SS[.fff]Z`, on a calendar day
 * that exists; returns it with milliseconds (`2026-11-25T09:30:00.000Z`).
 */
export function checkInstant(input: unknown): Checked<string> {
  if (typeof input !== 'string') return invalid('TYPE', 'DateTime must be a string.');
  const m = /^(\d{4}-\d{2}-\d{2})T([01]\d|2[0-3]):([0-5]\d):([0-5]\d)(?:\.(\d{1,3}))?Z$/.exec(input);
  if (!m) return invalid('STRUCTURE', 'DateTime must be written YYYY-MM-DDTHH:MM:SS.sssZ (UTC).');
  const day = checkCalendarDate(m[1]);
  if (!day.ok) return invalid('DATE', `DateTime ${input} is on a day that does not exist in the calendar.`);
  return valid(`${m[1]}T${m[2]}:${m[3]}:${m[4]}.${(m[5] ?? '').padEnd(3, '0')}Z`);
}
